'use strict';
/**
 * Mirrors packages/cli/src/wait-tracker.ts: resumes a waiting execution at its `waitTill` when no
 * webhook call came first. Exists so a node's wait limit (putExecutionToWait with a date) behaves in
 * the harness as in n8n, including the "execute() is not called again" resume.
 */

/** setTimeout cannot wait longer (WAIT_INDEFINITELY is the year 3000). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** @param {object} ctx the engine's parts (see harness.js) */
function createWaitTracker(ctx) {
	const { wf, flatted, events } = ctx;

	function schedule(record) {
		clearTimeout(record.waitTimer);
		record.waitTimer = undefined;
		if (!record.waitTill || ctx.closed) return;
		const delay = record.waitTill.getTime() - Date.now();
		if (delay > MAX_TIMER_MS) return; // WAIT_INDEFINITELY: only a webhook call resumes it
		record.waitTimer = setTimeout(() => {
			record.waitTimer = undefined;
			try {
				resume(record);
			} catch (error) {
				events.emit('waitTrackerError', { executionId: record.id, error });
			}
		}, Math.max(0, delay));
	}

	/**
	 * WaitTracker.startExecution: the stored execution runs again as is. WorkflowExecute's
	 * handleWaitingState then clears waitTill, disables the waiting node (its input items pass
	 * through unchanged) and drops its "waiting" run; execute() is NOT called again.
	 */
	function resume(record) {
		if (record.status !== 'waiting') return; // resumed by a call meanwhile, or canceled
		if (record.finished) throw new wf.UnexpectedError('The execution did succeed and can so not be started again.');
		const runExecutionData = flatted.parse(record.data);
		ctx.runner.launch(record, { runExecutionData, restart: true, expectedStatus: 'waiting', staticData: record.staticDataSnapshot });
	}

	return { schedule };
}

module.exports = { createWaitTracker };
