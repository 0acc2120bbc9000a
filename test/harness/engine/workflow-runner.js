'use strict';
/**
 * Mirrors packages/cli/src/workflow-runner.ts runMainProcess (and ActiveExecutions.add): runs n8n-core's
 * WorkflowExecute for an execution, from its start node or from stored run data (a resume), with
 * lifecycle hooks and the workflow's execution timeout. Exists so every start and resume of the
 * harness goes through one path, as in n8n.
 */

const { clone } = require('./workflows');

/** @param {object} ctx the engine's parts (see harness.js) */
function createWorkflowRunner(ctx) {
	const { core, wf, events } = ctx;

	/**
	 * Starts WorkflowExecute for an execution record, like WorkflowRunner.runMainProcess.
	 * @returns {{ promise: Promise<import('./harness').EngineRun>, cancel: (error?: Error) => void, settled: Promise<void> }}
	 */
	function launch(record, { runExecutionData, startNode, timeoutMs, restart = false, expectedStatus, staticData }) {
		// ActiveExecutions.add: an existing execution is claimed only from the status the caller saw.
		if (expectedStatus !== undefined && record.status !== expectedStatus) {
			const error = new wf.OperationalError('Execution is already being resumed by another process', { extra: { executionId: record.id } });
			error.name = 'ExecutionAlreadyResumingError';
			throw error;
		}
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		// runMainProcess builds its own Workflow; static data comes from the store ("database"),
		// or, for WaitTracker resumes (loadStaticData false), from the execution's workflow snapshot.
		// n8n's executeManually sets `active: false` on the workflow of every manual run, published or not
		// (workflow-execution.service.ts, n8n 1.123 and 2.41): a node cannot tell from it whether its
		// workflow is active. Other modes build the Workflow with the workflow's real state.
		const active = record.mode === 'manual' ? false : ctx.activeWorkflows.isActive(record.workflowData.id);
		const workflow = ctx.workflows.build(record.workflowData, { active, staticData });
		record.staticDataSnapshot = clone(workflow.staticData);
		const workflowSettings = record.workflowData.settings ?? {};
		const executionTimeoutSeconds = Number(workflowSettings.executionTimeout ?? -1);
		let timeout = timeoutMs ?? (executionTimeoutSeconds > 0 ? executionTimeoutSeconds * 1000 : undefined);
		const additionalData = ctx.additionalData.getBase({
			workflowId: workflow.id,
			executionTimeoutTimestamp: timeout !== undefined ? Date.now() + timeout : undefined,
			workflowSettings,
		});
		additionalData.executionId = record.id;
		additionalData.restartExecutionId = restart ? record.id : undefined;
		const hooks = new core.ExecutionLifecycleHooks(record.mode, record.id, record.workflowData);
		additionalData.hooks = hooks;
		// ActiveExecutions.setStatus is in memory only: the stored execution stays "running" until the
		// execution ends and is saved (a resume call before that gets 409, as in n8n).
		additionalData.setExecutionStatus = () => {};
		for (const hookName of ['nodeExecuteBefore', 'nodeExecuteAfter']) {
			hooks.addHandler(hookName, (nodeName, data) => {
				events.emit(hookName, { executionId: record.id, nodeName, data });
			});
		}

		/** @type {(run: import('./harness').EngineRun) => void} */
		let resolveRun = () => {};
		/** @type {Promise<import('./harness').EngineRun>} */
		const promise = new Promise((resolve) => (resolveRun = resolve));
		let done = false;
		let cancellationError;
		const complete = (fullRunData, extraError) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			resolveRun(ctx.executions.finalize(record, workflow, fullRunData, extraError ?? cancellationError));
		};
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => complete(fullRunData));

		record.status = 'running';
		const startedAt = new Date();
		let workflowExecution;
		try {
			if (runExecutionData) {
				workflowExecution = new core.WorkflowExecute(additionalData, record.mode, runExecutionData).processRunExecutionData(workflow);
			} else {
				const start = startNode ? workflow.getNode(startNode) : workflow.getStartNode();
				if (!start) throw new wf.UserError('The workflow has no node to start from');
				workflowExecution = new core.WorkflowExecute(additionalData, record.mode).run({ workflow, startNode: start, pinData: record.mode === 'manual' ? record.workflowData?.pinData : undefined });
			}
		} catch (error) {
			// WorkflowHasIssuesError and the like: n8n fails the execution (WorkflowRunner.failExecution).
			const fullRunData = {
				data: runExecutionData ?? wf.createRunExecutionData(),
				mode: record.mode,
				startedAt,
				stoppedAt: new Date(),
				status: 'error',
				finished: false,
			};
			fullRunData.data.resultData.error = error;
			complete(fullRunData, error);
			return { promise, cancel: () => {}, settled: Promise.resolve() };
		}
		record.workflowExecution = workflowExecution;

		const cancel = (error) => {
			if (done || !record.workflowExecution) return;
			cancellationError = error ?? new wf.ManualExecutionCancelledError(record.id);
			workflowExecution.cancel();
		};
		record.cancel = cancel;
		timer = timeout !== undefined ? setTimeout(() => cancel(new wf.TimeoutExecutionCancelledError(record.id)), Math.max(0, timeout)) : undefined;

		const settled = Promise.resolve(workflowExecution).then(
			(fullRunData) => {
				if (fullRunData && !done) complete(fullRunData);
			},
			(error) => {
				// WorkflowRunner.processError: the execution crashed.
				const data = runExecutionData ?? wf.createRunExecutionData();
				data.resultData.error = { ...error, message: error?.message, stack: error?.stack };
				complete({ data, mode: record.mode, startedAt, stoppedAt: new Date(), status: 'error', finished: false }, error);
			},
		);
		return { promise, cancel, settled };
	}

	/** ManualExecutionService: a full run from the start node (or the one named). */
	function startWorkflow(input, { timeoutMs, mode = 'manual', startNode } = {}) {
		if (ctx.closed) throw new Error('The engine is closed');
		const workflowData = ctx.workflows.prepare(input);
		const record = ctx.executions.newRecord(workflowData, mode, 'start');
		const { promise, cancel, settled } = launch(record, { startNode, timeoutMs });
		return { executionId: record.id, workflowId: workflowData.id, promise, cancel: () => cancel(), settled };
	}

	/**
	 * ExecutionService.retry (n8n 1.123 and 2.41): a failed execution runs again as a new one, mode
	 * "retry", from its saved data: the error removed, the failed node's last run dropped, everything
	 * else as saved (the other nodes' runs, the stack, the nodes' context).
	 */
	/** n8n's Retry of a failed execution; `workflow`: retry with the workflow as saved now (edited since), as n8n's "Retry with currently saved workflow". */
	function retryExecution(executionId, { timeoutMs, workflow } = {}) {
		if (ctx.closed) throw new Error('The engine is closed');
		const saved = ctx.executions.stored(executionId);
		if (!saved?.data?.executionData) throw new Error(`Execution ${executionId} has no saved data to retry`);
		if (saved.finished) throw new Error('The execution succeeded, so it cannot be retried.');
		const runExecutionData = saved.data;
		const { lastNodeExecuted } = runExecutionData.resultData;
		if (lastNodeExecuted) {
			delete runExecutionData.resultData.error;
			const runs = runExecutionData.resultData.runData?.[lastNodeExecuted];
			if (runs?.length && runs[runs.length - 1].error !== undefined) runs.pop();
		}
		const workflowData = workflow ? { ...saved.workflowData, ...workflow } : saved.workflowData;
		if (workflow) {
			// As n8n's ExecutionService.retry with loadWorkflow: the stack's nodes become the saved workflow's.
			const current = ctx.workflows.build(workflowData);
			for (const entry of runExecutionData.executionData.nodeExecutionStack) entry.node = current.getNode(entry.node.name);
		}
		const record = ctx.executions.newRecord(workflowData, 'retry', 'retry');
		const { promise, settled } = launch(record, { runExecutionData, timeoutMs });
		return { executionId: record.id, promise, settled };
	}

	return { launch, startWorkflow, retryExecution };
}

module.exports = { createWorkflowRunner };
