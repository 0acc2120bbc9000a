import { sleep } from 'n8n-workflow';

/**
 * Time as the node sees it. In n8n `timeScale` is always 1. The benchmark runs the node against
 * the Legnext simulator with time compressed (a 60 s job takes 0.6 s) and sets the same scale
 * here, so the node's waits shrink with the simulator's jobs and figures stay in job seconds.
 */
export const clock = {
	timeScale: 1,
	/** Milliseconds of job time since an arbitrary start. */
	now(): number {
		return Date.now() * clock.timeScale;
	},
	/** Waits this much job time, but returns at once when the execution is cancelled. */
	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		await cancellableSleep(ms / clock.timeScale, signal);
	},
};

/**
 * Waits `ms` real milliseconds, or until `signal` aborts. Defined here, at module level, so that what
 * the timer keeps until it fires is this function's own closure, never the caller's scope (an
 * execution's context, say).
 */
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
