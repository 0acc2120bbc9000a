'use strict';
/**
 * n8n engine test harness: runs a built community node package in n8n-core's real WorkflowExecute,
 * without a whole n8n. What n8n's cli adds around the engine (credentials store, waiting-webhook and
 * production-webhook HTTP endpoints, WaitTracker, static data persistence, execution storage) is
 * re-created by mirroring n8n 2.41.1's cli sources, a file each; this file only composes them:
 *
 *  - ./waiting-webhooks.js   webhooks/waiting-webhooks.ts   resume of a waiting execution by HTTP
 *  - ./webhook-helpers.js    webhooks/webhook-helpers.ts    executeWebhook / prepareExecutionData
 *  - ./webhook-service.js    webhooks/webhook.service.ts    getNodeWebhooks / runWebhook / webhook methods
 *  - ./live-webhooks.js      webhooks/live-webhooks.ts      production webhook calls of active workflows
 *  - ./active-workflows.js   active-workflow-manager.ts     addWebhooks / clearWebhooks on (de)activation
 *  - ./wait-tracker.js       wait-tracker.ts                resume at `waitTill` without a call
 *  - ./workflow-runner.js    workflow-runner.ts             runMainProcess (WorkflowExecute + hooks + timeout);
 *                            manual-execution.service.ts    full manual run from the start node
 *  - ./execution-store.js    ExecutionRepository + active-executions.ts (stored executions, final status)
 *  - ./workflows.js          WorkflowRepository + workflow-static-data.service.ts
 *  - ./additional-data.js    workflow-execute-additional-data.ts getBase
 *  - ./node-types.js         node-types.ts + load-nodes-and-credentials.ts
 *  - ./webhook-server.js     the webhook HTTP server (webhook-request-handler.ts)
 *  - ./credentials.js        credentials-helper.ts
 *  - ./binary-data.js        controllers/binary-data.controller.ts  GET /rest/binary-data/signed
 *
 * The parts share one context object `ctx` (n8n's DI container, in effect): each reads the others
 * from it at call time, so the order they are created in does not matter.
 *
 * Waiting executions are stored serialized (flatted, like n8n's database) and read back for every
 * resume, so a resumed run sees exactly what a real n8n would load.
 *
 * API
 *   const engine = await createEngine({ packageDir, credentials: { <type>: {...data} }, credentialsOverwrites?, host?, port?, defaultSettings? })
 *   engine.nodeTypeName('Legnext')                 -> 'n8n-nodes-legnext.legnext'
 *   engine.runWorkflow(workflow, { timeoutMs?, mode? = 'manual', startNode? }) -> Promise<EngineRun>
 *   engine.startWorkflow(workflow, opts)           -> { executionId, workflowId, promise, cancel(), settled }
 *   engine.waitForResume(run, { timeoutMs? })      -> next result of that execution after a resume
 *   engine.activateWorkflow(workflow) / deactivateWorkflow(workflowId)
 *   engine.nextTriggeredRun({ timeoutMs? })        -> first result of the next webhook-started execution
 *   engine.whenWebhooksSettled()                   -> once no production webhook call runs and every execution
 *                                                     one started has its first result (ready for nextTriggeredRun)
 *   engine.webhookBaseUrl, engine.webhookUrl(workflowId, nodeName), engine.events (EventEmitter)
 *   engine.binaryBuffer(binaryData), engine.binaryStream(binaryData)
 *   engine.staticData(workflowId), engine.setStaticData(id, data), engine.setCredentials(type, data)
 *   engine.execution(executionId) (stored state), engine.cancelExecution(executionId), engine.close()
 *   EngineRun: { status, error, runData, output(node, outputIndex = 0, runIndex = last), nodeError(node),
 *                nodeRuns(node), waitTill, executionId, workflowId, mode, finished, lastNodeExecuted, runExecutionData }
 *
 * Workflows: `{ nodes, connections, id?, name?, settings?, staticData?, pinData? }`; missing node ids,
 * webhookIds, positions and typeVersion 1 are filled in like the editor would; settings default to
 * `{ executionOrder: 'v1' }` (what n8n gives new workflows). Built-in types: `test.start`, `test.items`.
 */
const { EventEmitter } = require('events');

const { initN8n, engineOpened, engineClosed } = require('./n8n');
const { createCredentialsHelper } = require('./credentials');
const { loadNodeTypes } = require('./node-types');
const { createWorkflowStore } = require('./workflows');
const { createAdditionalData } = require('./additional-data');
const { createExecutionStore } = require('./execution-store');
const { createWorkflowRunner } = require('./workflow-runner');
const { createWaitTracker } = require('./wait-tracker');
const { createWebhookService } = require('./webhook-service');
const { createWebhookHelpers } = require('./webhook-helpers');
const { createWaitingWebhooks } = require('./waiting-webhooks');
const { createLiveWebhooks } = require('./live-webhooks');
const { createActiveWorkflows } = require('./active-workflows');
const { startWebhookServer } = require('./webhook-server');
const { createBinaryDataRoutes } = require('./binary-data');

/**
 * @typedef {object} EngineRun
 * @property {string} executionId
 * @property {string} workflowId
 * @property {string} mode
 * @property {'success'|'error'|'waiting'|'canceled'|'crashed'} status
 * @property {boolean} finished
 * @property {any} error                 the execution's error (resultData.error), or the cancellation error
 * @property {import('n8n-workflow').IRunData} runData
 * @property {import('n8n-workflow').IRunExecutionData} runExecutionData
 * @property {Date | undefined} waitTill
 * @property {string | undefined} lastNodeExecuted
 * @property {(nodeName: string, outputIndex?: number, runIndex?: number) => import('n8n-workflow').INodeExecutionData[]} output
 * @property {(nodeName: string, runIndex?: number) => any} nodeError
 * @property {(nodeName: string) => import('n8n-workflow').ITaskData[]} nodeRuns
 * @property {number} sequence           position of this result in the execution's history
 */

/**
 * @param {{
 *   packageDir: string,
 *   credentials?: Record<string, Record<string, unknown>>,
 *   credentialsOverwrites?: Record<string, Record<string, unknown>>,
 *   host?: string,
 *   port?: number,
 *   webhookUrl?: string,  the address n8n says it has (N8N_WEBHOOK_URL), e.g. a private one; default its own
 *   defaultSettings?: Record<string, unknown>,
 * }} options
 */
async function createEngine(options) {
	const { packageDir, credentials = {}, host = '127.0.0.1', port = 0 } = options;
	const defaultSettings = options.defaultSettings ?? { executionOrder: 'v1' };
	const { core, workflow: wf, Container, flatted } = await initN8n();
	engineOpened();

	const types = await loadNodeTypes({ core, wf }, packageDir);
	const { nodeTypes } = types;
	const credentialsHelper = createCredentialsHelper({ credentialTypes: types.credentialTypes, nodeTypes, overwrites: options.credentialsOverwrites });
	for (const [typeName, data] of Object.entries(credentials)) {
		await credentialsHelper.setCredentials(typeName, data);
	}
	const binaryDataService = Container.get(core.BinaryDataService);

	const ctx = {
		core,
		wf,
		Container,
		flatted,
		events: new EventEmitter(),
		instanceSettings: Container.get(core.InstanceSettings),
		nodeTypes,
		credentialsHelper,
		closed: false,
		/** set once the webhook server listens */
		webhookBaseUrl: '',
	};
	ctx.workflows = createWorkflowStore({ wf, nodeTypes, defaultSettings });
	ctx.additionalData = createAdditionalData(ctx);
	ctx.executions = createExecutionStore(ctx);
	ctx.runner = createWorkflowRunner(ctx);
	ctx.waitTracker = createWaitTracker(ctx);
	ctx.webhookService = createWebhookService(ctx);
	ctx.webhookHelpers = createWebhookHelpers(ctx);
	ctx.waitingWebhooks = createWaitingWebhooks(ctx);
	ctx.liveWebhooks = createLiveWebhooks(ctx);
	ctx.activeWorkflows = createActiveWorkflows(ctx);
	ctx.binaryData = createBinaryDataRoutes(ctx);
	const server = await startWebhookServer(ctx, { host, port });
	ctx.webhookBaseUrl = options.webhookUrl ?? server.baseUrl;

	const { startWorkflow } = ctx.runner;
	return {
		/** http://127.0.0.1:PORT/ — n8n's "webhook URL" (N8N_WEBHOOK_URL) of this engine. */
		webhookBaseUrl: ctx.webhookBaseUrl,
		events: ctx.events,
		nodeTypeName: types.nodeTypeName,
		nodeTypes,
		packageName: types.packageName,
		credentialsHelper,
		async setCredentials(typeName, data) {
			await credentialsHelper.setCredentials(typeName, data);
		},
		startWorkflow,
		async runWorkflow(workflow, runOptions = {}) {
			return await startWorkflow(workflow, runOptions).promise;
		},
		/** n8n's Retry of a failed execution (the executions list's Retry): resolves with the new execution's run. */
		async retryExecution(executionId, runOptions = {}) {
			return await ctx.runner.retryExecution(executionId, runOptions).promise;
		},
		waitForResume: ctx.executions.waitForResume,
		nextTriggeredRun: ctx.executions.nextTriggeredRun,
		/** Waits for what the harness knows has started, not for a wall clock: a node's webhook() still running, then its execution. */
		async whenWebhooksSettled() {
			for (;;) {
				const pending = [...ctx.liveWebhooks.inFlight(), ...ctx.executions.triggeredInFlight()];
				if (pending.length === 0 || ctx.closed) return;
				await Promise.allSettled(pending);
			}
		},
		cancelExecution: ctx.executions.cancelExecution,
		execution: ctx.executions.stored,
		activateWorkflow: ctx.activeWorkflows.activateWorkflow,
		deactivateWorkflow: ctx.activeWorkflows.deactivateWorkflow,
		webhookUrl: ctx.liveWebhooks.webhookUrl,
		staticData: ctx.workflows.staticData,
		setStaticData: ctx.workflows.setStaticData,
		/** The bytes of a binary data entry (stored in n8n-core's BinaryDataService). */
		async binaryBuffer(binaryData) {
			return await binaryDataService.getAsBuffer(binaryData);
		},
		async binaryStream(binaryData) {
			if (!binaryData.id) return require('stream').Readable.from([Buffer.from(binaryData.data, 'base64')]);
			return await binaryDataService.getAsStream(binaryData.id);
		},
		async close() {
			if (ctx.closed) return;
			ctx.closed = true;
			ctx.executions.closeAll();
			await server.close();
			engineClosed();
		},
	};
}

module.exports = { createEngine };
