'use strict';
/**
 * Mirrors n8n's ExecutionRepository and ActiveExecutions (packages/cli/src/active-executions.ts) with
 * the execution lifecycle's final save (execution-lifecycle/shared/shared-hook-functions.ts). Exists
 * so waiting executions are stored serialized (flatted, like n8n's database) and read back for every
 * resume, and so tests can await an execution's next result or the next webhook-started one.
 */

const { clone } = require('./workflows');

let executionCounter = 0;

/**
 * @typedef {object} ExecutionRecord
 * @property {string} id
 * @property {any} workflowData          pristine workflow JSON (what n8n stores with the execution)
 * @property {string} mode
 * @property {string} status            new | running | waiting | success | error | canceled | crashed
 * @property {boolean} finished
 * @property {string | undefined} data  flatted runExecutionData
 * @property {Date | undefined} waitTill
 * @property {any} workflowExecution     the running PCancelable
 * @property {NodeJS.Timeout | undefined} waitTimer
 * @property {import('./harness').EngineRun[]} history
 * @property {Array<(run: import('./harness').EngineRun) => void>} listeners
 * @property {'start'|'webhook'|'trigger'|'waitTracker'} startedBy
 * @property {(error?: Error) => void} [cancel]
 * @property {any} [staticDataSnapshot] static data the last run started with (kept with the execution)
 */

function withTimeout(promise, timeoutMs, message) {
	if (timeoutMs === undefined || timeoutMs === Infinity) return promise;
	let timer;
	return Promise.race([
		promise,
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(message)), timeoutMs);
		}),
	]).finally(() => clearTimeout(timer));
}

/** @param {object} ctx the engine's parts (see harness.js) */
function createExecutionStore(ctx) {
	const { wf, flatted, events } = ctx;
	/** @type {Map<string, ExecutionRecord>} */
	const executions = new Map();
	/** runs of executions started by production webhooks, not yet taken by nextTriggeredRun() */
	const triggeredRuns = [];
	const triggeredWaiters = [];
	/** webhook-started executions without a first result yet -> resolves when it is in */
	const triggeredRunning = new Map();
	/** rejecters of pending waitForResume() calls, for close() */
	const pendingWaits = new Set();

	function newRecord(workflowData, mode, startedBy) {
		const id = String(++executionCounter);
		/** @type {ExecutionRecord} */
		const record = {
			id,
			workflowData,
			mode,
			status: 'new',
			finished: false,
			data: undefined,
			waitTill: undefined,
			workflowExecution: undefined,
			waitTimer: undefined,
			history: [],
			listeners: [],
			startedBy,
		};
		executions.set(id, record);
		if (startedBy === 'trigger') triggeredRunning.set(record, new Promise((resolve) => record.listeners.push(resolve)));
		return record;
	}

	function makeRun(record, fullRunData, extraError) {
		const data = fullRunData.data ?? wf.createRunExecutionData();
		const runData = data.resultData?.runData ?? {};
		const runsOf = (nodeName) => runData[nodeName] ?? [];
		return {
			executionId: record.id,
			workflowId: record.workflowData.id,
			mode: fullRunData.mode ?? record.mode,
			status: fullRunData.status,
			finished: fullRunData.finished === true,
			error: data.resultData?.error ?? extraError,
			runData,
			runExecutionData: data,
			waitTill: fullRunData.waitTill,
			lastNodeExecuted: data.resultData?.lastNodeExecuted,
			startedAt: fullRunData.startedAt,
			stoppedAt: fullRunData.stoppedAt,
			sequence: record.history.length,
			output(nodeName, outputIndex = 0, runIndex) {
				const runs = runsOf(nodeName);
				const task = runs[runIndex ?? runs.length - 1];
				return task?.data?.main?.[outputIndex] ?? [];
			},
			nodeError(nodeName, runIndex) {
				const runs = runsOf(nodeName);
				return runs[runIndex ?? runs.length - 1]?.error;
			},
			nodeRuns: runsOf,
		};
	}

	/** Execution lifecycle "after" hook + ActiveExecutions.finalizeExecution, in one place. */
	function finalize(record, workflow, fullRunData, extraError) {
		// hookFunctionsSave: changed static data is saved, except for manual executions.
		if (record.mode !== 'manual') ctx.workflows.saveStaticData(workflow);
		// determineFinalExecutionStatus (execution-lifecycle/shared/shared-hook-functions.ts)
		let status = fullRunData.status;
		if (fullRunData.waitTill) status = 'waiting';
		else if (status !== 'canceled' && status !== 'crashed') {
			status = !fullRunData.data?.resultData?.error && status !== 'error' ? 'success' : 'error';
		}
		fullRunData.status = status;
		record.status = status;
		record.finished = fullRunData.finished === true;
		record.waitTill = fullRunData.waitTill ? new Date(fullRunData.waitTill) : undefined;
		record.data = flatted.stringify(fullRunData.data);
		record.workflowExecution = undefined;
		const run = makeRun(record, fullRunData, extraError);
		record.history.push(run);
		if (status === 'waiting') ctx.waitTracker.schedule(record);
		const listeners = record.listeners.splice(0);
		for (const listener of listeners) listener(run);
		events.emit('run', run);
		if (record.startedBy === 'trigger' && run.sequence === 0) {
			triggeredRunning.delete(record);
			const waiter = triggeredWaiters.shift();
			if (waiter) waiter(run);
			else triggeredRuns.push(run);
		}
		return run;
	}

	/** Resolves with the next result of a waiting execution after it was resumed (by a call or at its wait limit). */
	async function waitForResume(run, { timeoutMs = 30_000 } = {}) {
		const record = executions.get(run.executionId);
		if (!record) throw new Error(`Unknown execution ${run.executionId}`);
		const next = record.history[run.sequence + 1];
		if (next) return next;
		if (!['waiting', 'running', 'new'].includes(record.status)) {
			throw new Error(`Execution ${run.executionId} is not waiting (status ${record.status})`);
		}
		let listener;
		let rejecter;
		const pending = new Promise((resolve, reject) => {
			listener = resolve;
			rejecter = reject;
			pendingWaits.add(reject);
			record.listeners.push(resolve);
		});
		try {
			return await withTimeout(pending, timeoutMs, `Execution ${run.executionId} was not resumed within ${timeoutMs} ms (status ${record.status})`);
		} finally {
			pendingWaits.delete(rejecter);
			const index = record.listeners.indexOf(listener);
			if (index >= 0) record.listeners.splice(index, 1);
		}
	}

	/** Resolves with the first result of the next execution a production webhook starts. */
	async function nextTriggeredRun({ timeoutMs = 30_000 } = {}) {
		const queued = triggeredRuns.shift();
		if (queued) return queued;
		let resolver;
		let delivered;
		const promise = new Promise((resolve) => {
			resolver = (run) => ((delivered = run), resolve(run));
			triggeredWaiters.push(resolver);
		});
		try {
			return await withTimeout(promise, timeoutMs, `No workflow was triggered within ${timeoutMs} ms`);
		} catch (error) {
			// A run handed over as the time ran out (between the timer and this catch) is this call's, not lost.
			if (delivered) return delivered;
			const index = triggeredWaiters.indexOf(resolver);
			if (index >= 0) triggeredWaiters.splice(index, 1);
			throw error;
		}
	}

	/** The first results still to come of executions production webhooks started (each resolves when it is in). */
	const triggeredInFlight = () => [...triggeredRunning.values()];

	/** Stops an execution: a running one like n8n's "stop" (PCancelable.cancel), a waiting one is marked canceled. */
	function cancelExecution(executionId) {
		const record = executions.get(executionId);
		if (!record) return;
		if (record.workflowExecution) {
			record.cancel?.();
		} else if (record.status === 'waiting') {
			clearTimeout(record.waitTimer);
			const data = flatted.parse(record.data);
			const workflow = ctx.workflows.build(record.workflowData);
			finalize(record, workflow, { data, mode: record.mode, status: 'canceled', finished: false }, new wf.ManualExecutionCancelledError(executionId));
		}
	}

	/** The stored (serialized and parsed back) state of an execution, as n8n's database would give it. */
	function stored(executionId) {
		const record = executions.get(executionId);
		if (!record) return undefined;
		return {
			id: record.id,
			status: record.status,
			finished: record.finished,
			mode: record.mode,
			waitTill: record.waitTill,
			workflowData: clone(record.workflowData),
			data: record.data ? flatted.parse(record.data) : undefined,
			history: record.history.slice(),
		};
	}

	/** close(): stops timers and running executions, releases everyone still waiting. */
	function closeAll() {
		for (const record of executions.values()) {
			clearTimeout(record.waitTimer);
			record.waitTimer = undefined;
			if (record.workflowExecution) record.workflowExecution.cancel();
		}
		for (const waiter of triggeredWaiters.splice(0)) waiter(undefined);
		for (const reject of pendingWaits) reject(new Error('The engine was closed'));
		pendingWaits.clear();
	}

	return {
		get: (executionId) => executions.get(executionId),
		newRecord,
		finalize,
		waitForResume,
		nextTriggeredRun,
		triggeredInFlight,
		cancelExecution,
		stored,
		closeAll,
	};
}

module.exports = { createExecutionStore };
