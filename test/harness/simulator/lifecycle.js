// @ts-check
'use strict';
/**
 * A job's life after its submit: timers in job time that settle its accounting when it ends and post
 * its callbacks (final, and as the job's callback plan says: progress, twice, late, missing). Exists
 * so a job ends and calls back on time whether anybody polls it or not. Legnext never retries a
 * callback, whatever it is answered (a 401, a 500, nothing), and neither does this.
 */
const { jobView } = require('./jobs');

/**
 * @param {object} deps
 * @param {import('./clock').Clock} deps.clock
 * @param {Map<string, import('./jobs').Job>} deps.jobs
 * @param {{settle: (job: import('./jobs').Job) => void}} deps.accounts
 * @param {import('./callbacks').CallbackSender} deps.sender
 * @param {import('./callbacks').CallbackAttempt[]} deps.callbacks where attempts are recorded
 * @param {(job: import('./jobs').Job) => (name: string) => string} deps.fileUrlOf
 * @param {() => boolean} deps.isClosed
 * @param {((line: string) => void) | undefined} deps.log
 */
function createLifecycle({ clock, jobs, accounts, sender, callbacks, fileUrlOf, isClosed, log }) {
	/** @type {Set<Promise<unknown>>} */
	const pendingCallbacks = new Set();
	/** @type {Set<{at: number}>} callbacks whose timer is set and has not fired (job time) */
	const scheduledCallbacks = new Set();

	/**
	 * @param {import('./jobs').Job} job
	 * @param {import('./callbacks').CallbackAttempt['kind']} kind
	 * @returns {Promise<void>}
	 */
	function postCallback(job, kind) {
		if (isClosed() || !jobs.has(job.id)) return Promise.resolve();
		const view = jobView(job, clock.now(), fileUrlOf(job));
		const body = job.callbackPlan.shape === 'bare' ? view : { timestamp: Date.now(), data: view };
		/** @type {import('./callbacks').CallbackAttempt} */
		const attempt = { url: job.callback, jobId: job.id, jobStatus: String(view.status), kind, body, at: Date.now() };
		callbacks.push(attempt);
		const sending = sender.send(attempt, job.callbackPlan).then((done) => {
			log?.(`[legnext-sim] callback ${kind} ${done.jobStatus} job ${job.id} → ${done.status ?? done.error}`);
		});
		pendingCallbacks.add(sending);
		sending.finally(() => pendingCallbacks.delete(sending));
		return sending;
	}

	/** @param {import('./jobs').Job} job */
	function schedule(job) {
		const plan = job.callbackPlan;
		if (job.callback && plan.progress && plan.mode !== 'missing') {
			job.timers.push(clock.at(job.startedAt, () => void postCallback(job, 'progress')));
		}
		job.timers.push(
			clock.at(job.endsAt, () => {
				accounts.settle(job);
				if (!job.callback || plan.mode === 'missing') return;
				const at = job.endsAt + plan.delay * 1000 + (plan.mode === 'late' ? plan.lateBy * 1000 : 0);
				callbackAt(job, at, () => {
					void postCallback(job, 'final').then(() => {
						if (plan.mode !== 'twice' || isClosed() || !jobs.has(job.id)) return;
						callbackAt(job, Math.max(clock.now(), at) + 1000, () => void postCallback(job, 'duplicate'));
					});
				});
			}),
		);
	}

	/**
	 * A callback's timer, remembered until it fires: a timer set while advance() fires another one (the
	 * job's end sets its final callback's) fires on the next turn of the event loop, after advance()
	 * returned, so whenCallbacksSettled() must know that callback is coming.
	 * @param {import('./jobs').Job} job
	 * @param {number} at job time
	 * @param {() => void} post
	 */
	function callbackAt(job, at, post) {
		const due = { at };
		scheduledCallbacks.add(due);
		job.timers.push(
			clock.at(at, () => {
				scheduledCallbacks.delete(due);
				post();
			}),
		);
	}

	/** Stops every job's timers (reset). */
	function cancelAll() {
		for (const job of jobs.values()) for (const timer of job.timers) clock.cancel(timer);
		scheduledCallbacks.clear();
	}

	/**
	 * Resolves when no callback is in flight nor due within `withinSeconds` of job time from now (0:
	 * none due now; more also waits for callbacks set for a little later, as the duplicate of `twice`).
	 */
	async function whenCallbacksSettled({ withinSeconds = 0 } = {}) {
		for (;;) {
			if (pendingCallbacks.size > 0) {
				await Promise.allSettled([...pendingCallbacks]);
				continue;
			}
			const horizon = clock.now() + withinSeconds * 1000;
			const next = Math.min(...[...scheduledCallbacks].map((due) => due.at));
			if (isClosed() || !(next <= horizon)) return;
			await new Promise((resolve) => setTimeout(resolve, Math.ceil(clock.realMsUntil(next)) + 1));
		}
	}

	return { schedule, cancelAll, whenCallbacksSettled };
}

module.exports = { createLifecycle };
