import { sleep } from 'n8n-workflow';

export interface RetryPolicy {
	maxAttempts: number;
	/** No retry starts once this much time has passed since the first attempt. */
	maxElapsedMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const RETRY_POLICIES = {
	/** Status checks, balance, downloads: nothing is created, so retrying is always safe. */
	read: { maxAttempts: 5, maxElapsedMs: 60_000, baseDelayMs: 500, maxDelayMs: 15_000 },
	/**
	 * A paid submit that Legnext refused with 429 (its cap on running jobs): wait for a slot and
	 * send it again, for as long as a batch of jobs may reasonably take to make room.
	 */
	submitRefused: { maxAttempts: 60, maxElapsedMs: 20 * 60_000, baseDelayMs: 1_000, maxDelayMs: 60_000 },
	/** A paid submit whose connection never opened: a few quick tries, then say the host is down. */
	submitNotSent: { maxAttempts: 3, maxElapsedMs: 15_000, baseDelayMs: 1_000, maxDelayMs: 5_000 },
} satisfies Record<string, RetryPolicy>;

/**
 * Exponential backoff with full jitter; a server's Retry-After wins when it asks for longer,
 * within the policy's cap.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const jittered = exponential / 2 + Math.random() * (exponential / 2);
	if (retryAfterMs === undefined) return Math.round(jittered);
	return Math.round(Math.min(policy.maxDelayMs, Math.max(retryAfterMs, jittered)));
}

/** Waits, but returns at once when the execution is cancelled. */
export async function cancellableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) return;
	await new Promise<void>((resolve) => {
		const done = () => {
			signal.removeEventListener('abort', done);
			resolve();
		};
		signal.addEventListener('abort', done);
		void sleep(ms).then(done);
	});
}
