import { clock } from './clock';

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
	 * send it again, for as long as a batch of jobs may reasonably take to make room. A slot frees
	 * when a job ends, any second: the wait stays short (a refused submit costs nothing), so the
	 * slot is taken soon after; a longer Retry-After from Legnext still wins.
	 */
	submitRefused: { maxAttempts: 300, maxElapsedMs: 20 * 60_000, baseDelayMs: 1_000, maxDelayMs: 8_000 },
	/** A paid submit whose connection never opened: a few quick tries, then say the host is down. */
	submitNotSent: { maxAttempts: 3, maxElapsedMs: 15_000, baseDelayMs: 1_000, maxDelayMs: 5_000 },
} satisfies Record<string, RetryPolicy>;

/**
 * Exponential backoff with full jitter, capped by the policy; a server's Retry-After wins when it asks
 * for longer, even past that cap (sending sooner would only be refused again). The policy's
 * time in all (`maxElapsedMs`) and the item's Time Limit still bound the wait: see withRetries.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const jittered = exponential / 2 + Math.random() * (exponential / 2);
	if (retryAfterMs === undefined) return Math.round(jittered);
	return Math.round(Math.max(retryAfterMs, jittered));
}

/** One try's result: a value, or a failure that says whether (and how) it may be tried again. */
export type Attempt<T> =
	| { value: T }
	| { failure: { policy?: RetryPolicy; retryAfterMs?: number; toError: (attempts: number) => Error } };

/**
 * The one retry loop of the package (API requests and file downloads): tries until a value, a
 * failure without a policy, or the policy's limits; a cancelled execution stops at once.
 */
export async function withRetries<T>(
	tryOnce: () => Promise<Attempt<T>>,
	signal: AbortSignal | undefined,
	cancelled: () => Error,
	/** Clock time (job time) after which no try starts: the item's Time Limit, whatever the policy allows. */
	giveUpAt = Infinity,
): Promise<T> {
	const started = clock.now();
	for (let attempt = 1; ; attempt++) {
		const result = await tryOnce();
		if ('value' in result) return result.value;
		if (signal?.aborted) throw cancelled();
		const { policy, retryAfterMs, toError } = result.failure;
		const delay = policy ? retryDelay(policy, attempt, retryAfterMs) : 0;
		const now = clock.now();
		const again =
			policy !== undefined && attempt < policy.maxAttempts && now - started + delay <= policy.maxElapsedMs && now + delay <= giveUpAt;
		if (!again) throw toError(attempt);
		await clock.sleep(delay, signal);
	}
}
