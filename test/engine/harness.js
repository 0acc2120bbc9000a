'use strict';
/**
 * n8n engine test harness: runs a built community node package in n8n-core's real WorkflowExecute,
 * without a whole n8n. What n8n's cli adds around the engine (credentials store, waiting-webhook and
 * production-webhook HTTP endpoints, WaitTracker, static data persistence, execution storage) is
 * re-created here by mirroring n8n 2.41.1's cli sources:
 *
 *  - packages/cli/src/webhooks/waiting-webhooks.ts   resume of a waiting execution by HTTP
 *  - packages/cli/src/webhooks/webhook-helpers.ts    executeWebhook / prepareExecutionData
 *  - packages/cli/src/webhooks/webhook.service.ts    getNodeWebhooks / runWebhook / webhook methods
 *  - packages/cli/src/webhooks/live-webhooks.ts      production webhook calls of active workflows
 *  - packages/cli/src/active-workflow-manager.ts     addWebhooks / clearWebhooks on (de)activation
 *  - packages/cli/src/wait-tracker.ts                resume at `waitTill` without a call
 *  - packages/cli/src/workflow-runner.ts             runMainProcess (WorkflowExecute + hooks + timeout)
 *  - packages/cli/src/manual-execution.service.ts    full manual run from the start node
 *  - packages/cli/src/credentials-helper.ts          see ./credentials.js
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
const crypto = require('crypto');
const http = require('http');
const path = require('path');
const { EventEmitter } = require('events');

const { initN8n, engineOpened, engineClosed } = require('./n8n');
const { builtinNodeTypes } = require('./builtin-nodes');
const { createCredentialsHelper } = require('./credentials');
const { decorateRequest, decorateResponse, parseBody, sendErrorResponse, responseError } = require('./http');

/** n8n's endpoint defaults (@n8n/config EndpointsConfig). */
const ENDPOINTS = {
	rest: 'rest',
	webhook: 'webhook',
	webhookWaiting: 'webhook-waiting',
	webhookTest: 'webhook-test',
	form: 'form',
	formWaiting: 'form-waiting',
	formTest: 'form-test',
	mcp: 'mcp',
	mcpTest: 'mcp-test',
};
const SUPPORTED_RESPONSE_MODES = new Set(['onReceived', 'lastNode', 'responseNode', 'formPage', 'streaming', 'hostedChat']);
/** setTimeout cannot wait longer (WAIT_INDEFINITELY is the year 3000). */
const MAX_TIMER_MS = 2 ** 31 - 1;

let executionCounter = 0;

function splitType(fullType) {
	const index = fullType.lastIndexOf('.');
	return index < 0 ? ['', fullType] : [fullType.slice(0, index), fullType.slice(index + 1)];
}

/** packages/cli/src/utils.ts shouldAssignExecuteMethod */
function shouldAssignExecuteMethod(nodeType) {
	const isDeclarativeNode = nodeType?.description?.requestDefaults !== undefined;
	return (
		!nodeType.execute &&
		!nodeType.supplyData &&
		!nodeType.poll &&
		!nodeType.trigger &&
		(!nodeType.webhook || isDeclarativeNode) &&
		(!nodeType.methods || isDeclarativeNode)
	);
}
let workflowCounter = 0;

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

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
 *   defaultSettings?: Record<string, unknown>,
 * }} options
 */
async function createEngine(options) {
	const { packageDir, credentials = {}, host = '127.0.0.1', port = 0 } = options;
	const defaultSettings = options.defaultSettings ?? { executionOrder: 'v1' };
	const { core, workflow: wf, Container, flatted } = await initN8n();
	engineOpened();

	// ---- node and credential types -------------------------------------------------------------
	const loader = new core.PackageDirectoryLoader(path.resolve(packageDir));
	await loader.loadAll();
	// LoadNodesAndCredentials names a package's node types `<package name>.<description name>`.
	const nodeTypeData = { ...builtinNodeTypes() };
	for (const [name, entry] of Object.entries(loader.nodeTypes)) nodeTypeData[`${loader.packageName}.${name}`] = entry;
	const credentialTypes = { ...loader.credentialTypes };

	/** NodeTypes (packages/cli/src/node-types.ts), without the AI-tool variants. */
	/** @type {import('n8n-workflow').INodeTypes} */
	const nodeTypes = {
		getByName(nodeType) {
			const entry = nodeTypeData[nodeType];
			if (!entry) throw new core.UnrecognizedNodeTypeError(...splitType(nodeType));
			return entry.type;
		},
		getByNameAndVersion(nodeType, version) {
			const versionedNodeType = wf.NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
			if (shouldAssignExecuteMethod(versionedNodeType)) {
				// Declarative nodes run through n8n-core's RoutingNode.
				versionedNodeType.execute = async function () {
					const routingNode = new core.RoutingNode(this, versionedNodeType);
					const data = await routingNode.runNode();
					return data ?? [];
				};
			}
			return versionedNodeType;
		},
		getKnownTypes() {
			return Object.fromEntries(Object.keys(nodeTypeData).map((name) => [name, { className: name, sourcePath: nodeTypeData[name].sourcePath }]));
		},
	};

	const credentialsHelper = createCredentialsHelper({ credentialTypes, nodeTypes, overwrites: options.credentialsOverwrites });
	for (const [typeName, data] of Object.entries(credentials)) {
		await credentialsHelper.setCredentials(typeName, data);
	}

	const instanceSettings = Container.get(core.InstanceSettings);
	const binaryDataService = Container.get(core.BinaryDataService);
	const events = new EventEmitter();

	// ---- storage: executions, static data, active webhooks -------------------------------------
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
	 * @property {EngineRun[]} history
	 * @property {Array<(run: EngineRun) => void>} listeners
	 * @property {'start'|'webhook'|'trigger'|'waitTracker'} startedBy
	 * @property {(error?: Error) => void} [cancel]
	 * @property {any} [staticDataSnapshot] static data the last run started with (kept with the execution)
	 */
	/** @type {Map<string, ExecutionRecord>} */
	const executions = new Map();
	/** workflow id -> static data (plain JSON) */
	const staticDataStore = new Map();
	/** workflow id -> workflow JSON of active workflows */
	const activeWorkflows = new Map();
	/** `${method} ${path}` -> { workflowId, node, webhookPath, method } */
	const liveWebhooks = new Map();
	/** runs of executions started by production webhooks, not yet taken by nextTriggeredRun() */
	const triggeredRuns = [];
	const triggeredWaiters = [];
	/** rejecters of pending waitForResume() calls, for close() */
	const pendingWaits = new Set();
	let closed = false;

	// ---- HTTP server --------------------------------------------------------------------------
	const server = http.createServer((req, res) => {
		void handleHttp(decorateRequest(req), decorateResponse(res));
	});
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	const webhookBaseUrl = `http://${host}:${address.port}/`;

	async function handleHttp(req, res) {
		try {
			const segments = req.path.split('/').filter(Boolean);
			const [first, ...rest] = segments;
			if (first === ENDPOINTS.webhookWaiting && (rest.length === 1 || rest.length === 2)) {
				const [executionId, suffix] = rest.map((segment) => decodeURIComponent(segment));
				return await respond(res, await executeWaitingWebhook(req, res, executionId, suffix));
			}
			if (first === ENDPOINTS.webhook && rest.length > 0) {
				const webhookPath = decodeURIComponent(req.path.slice(`/${ENDPOINTS.webhook}/`.length));
				return await respond(res, await executeLiveWebhook(req, res, webhookPath));
			}
			if (req.path === '/healthz') return res.json({ status: 'ok' });
			throw responseError(404, `Cannot ${req.method} ${req.path}`);
		} catch (error) {
			sendErrorResponse(res, error);
		}
	}

	/** WebhookRequestHandler: sends what the webhook manager returned (unless the node answered). */
	async function respond(res, response) {
		if (!response || response.noWebhookResponse === true || res.headersSent || res.writableEnded) return;
		if (response.stream) {
			res.statusCode = response.responseCode ?? 200;
			response.stream.pipe(res);
			return;
		}
		res.statusCode = response.responseCode ?? 200;
		for (const [key, value] of Object.entries(response.headers ?? {})) res.setHeader(key, value);
		const { data } = response;
		if (data === undefined) res.end();
		else if (typeof data === 'string' || Buffer.isBuffer(data)) res.send(data);
		else res.json(data);
	}

	// ---- building workflows and additional data ------------------------------------------------
	/** What n8n stores for a workflow: ids, defaults an editor would have added. */
	function prepareWorkflowData(input) {
		const data = clone(input);
		data.id = data.id ?? `wf-${++workflowCounter}`;
		data.name = data.name ?? `Test workflow ${data.id}`;
		data.connections = data.connections ?? {};
		data.settings = { ...defaultSettings, ...(data.settings ?? {}) };
		if (!Array.isArray(data.nodes) || data.nodes.length === 0) throw new Error('The workflow has no nodes');
		for (const node of data.nodes) {
			node.id = node.id ?? crypto.randomUUID();
			node.typeVersion = node.typeVersion ?? 1;
			node.position = node.position ?? [0, 0];
			node.parameters = node.parameters ?? {};
			// The editor gives every node with webhooks a webhookId when it is added.
			const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			wf.NodeHelpers.resolveNodeWebhookId?.(node, type.description);
		}
		if (data.staticData !== undefined && !staticDataStore.has(data.id)) staticDataStore.set(data.id, clone(data.staticData));
		delete data.staticData;
		return data;
	}

	function buildWorkflow(workflowData, { active = false, staticData } = {}) {
		return new wf.Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes: clone(workflowData.nodes),
			connections: clone(workflowData.connections),
			active,
			nodeTypes,
			staticData: clone(staticData ?? staticDataStore.get(workflowData.id)) ?? {},
			settings: clone(workflowData.settings),
			pinData: clone(workflowData.pinData),
		});
	}

	/** WorkflowStaticDataService.saveStaticData */
	function saveStaticData(workflow) {
		if (workflow.staticData.__dataChanged === true) {
			const data = clone(workflow.staticData);
			delete data.__dataChanged;
			staticDataStore.set(workflow.id, data);
			workflow.staticData.__dataChanged = false;
		}
	}

	/** WorkflowExecuteAdditionalData.getBase */
	function getBase({ workflowId, executionTimeoutTimestamp, workflowSettings } = {}) {
		return {
			currentNodeExecutionIndex: 0,
			credentialsHelper,
			executeWorkflow: async () => {
				throw new wf.UnexpectedError('Sub-workflows are not supported by the test harness');
			},
			restApiUrl: webhookBaseUrl + ENDPOINTS.rest,
			instanceBaseUrl: webhookBaseUrl,
			formWaitingBaseUrl: webhookBaseUrl + ENDPOINTS.formWaiting,
			formBaseUrl: webhookBaseUrl + ENDPOINTS.form,
			formTestBaseUrl: webhookBaseUrl + ENDPOINTS.formTest,
			webhookBaseUrl: webhookBaseUrl + ENDPOINTS.webhook,
			webhookWaitingBaseUrl: webhookBaseUrl + ENDPOINTS.webhookWaiting,
			webhookTestBaseUrl: webhookBaseUrl + ENDPOINTS.webhookTest,
			mcpBaseUrl: webhookBaseUrl + ENDPOINTS.mcp,
			mcpTestBaseUrl: webhookBaseUrl + ENDPOINTS.mcpTest,
			executionTimeoutTimestamp,
			userId: undefined,
			workflowId,
			workflowSettings,
			variables: {},
			setExecutionStatus: () => {},
			sendDataToUI: () => {},
			externalSecretsProxy: Container.get(core.ExternalSecretsProxy),
			async getRunExecutionData(executionId) {
				const record = executions.get(executionId);
				return record?.data ? flatted.parse(record.data) : undefined;
			},
		};
	}

	// ---- running executions (WorkflowRunner.runMainProcess) ------------------------------------
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
		return record;
	}

	function makeRun(record, fullRunData, extraError) {
		const data = fullRunData.data ?? wf.createRunExecutionData();
		const runData = data.resultData?.runData ?? {};
		const runsOf = (nodeName) => runData[nodeName] ?? [];
		/** @type {EngineRun} */
		const run = {
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
		return run;
	}

	/** Execution lifecycle "after" hook + ActiveExecutions.finalizeExecution, in one place. */
	function finalize(record, workflow, fullRunData, extraError) {
		// hookFunctionsSave: changed static data is saved, except for manual executions.
		if (record.mode !== 'manual') saveStaticData(workflow);
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
		if (status === 'waiting') scheduleWaitTracker(record);
		const listeners = record.listeners.splice(0);
		for (const listener of listeners) listener(run);
		events.emit('run', run);
		if (record.startedBy === 'trigger' && run.sequence === 0) {
			const waiter = triggeredWaiters.shift();
			if (waiter) waiter(run);
			else triggeredRuns.push(run);
		}
		return run;
	}

	/**
	 * Starts WorkflowExecute for an execution record, like WorkflowRunner.runMainProcess.
	 * @returns {{ promise: Promise<EngineRun>, cancel: (error?: Error) => void, settled: Promise<void> }}
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
		const workflow = buildWorkflow(record.workflowData, { active: activeWorkflows.has(record.workflowData.id), staticData });
		record.staticDataSnapshot = clone(workflow.staticData);
		const workflowSettings = record.workflowData.settings ?? {};
		const executionTimeoutSeconds = Number(workflowSettings.executionTimeout ?? -1);
		let timeout = timeoutMs ?? (executionTimeoutSeconds > 0 ? executionTimeoutSeconds * 1000 : undefined);
		const additionalData = getBase({
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

		/** @type {(run: EngineRun) => void} */
		let resolveRun = () => {};
		/** @type {Promise<EngineRun>} */
		const promise = new Promise((resolve) => (resolveRun = resolve));
		let done = false;
		let cancellationError;
		const complete = (fullRunData, extraError) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			resolveRun(finalize(record, workflow, fullRunData, extraError ?? cancellationError));
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

	// ---- WaitTracker ------------------------------------------------------------------------
	function scheduleWaitTracker(record) {
		clearTimeout(record.waitTimer);
		record.waitTimer = undefined;
		if (!record.waitTill || closed) return;
		const delay = record.waitTill.getTime() - Date.now();
		if (delay > MAX_TIMER_MS) return; // WAIT_INDEFINITELY: only a webhook call resumes it
		record.waitTimer = setTimeout(() => {
			record.waitTimer = undefined;
			try {
				resumeFromWaitTracker(record);
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
	function resumeFromWaitTracker(record) {
		if (record.status !== 'waiting') return; // resumed by a call meanwhile, or canceled
		if (record.finished) throw new wf.UnexpectedError('The execution did succeed and can so not be started again.');
		const runExecutionData = flatted.parse(record.data);
		launch(record, { runExecutionData, restart: true, expectedStatus: 'waiting', staticData: record.staticDataSnapshot });
	}

	// ---- webhooks: shared pieces ------------------------------------------------------------
	function evaluateDescriptionProperty(workflow, node, webhookDescription, property, defaultValue) {
		const native = wf.resolveWebhookDescriptionField(node, webhookDescription, property);
		if (native.resolved) return native.value;
		return workflow.expression.getSimpleParameterValue(node, webhookDescription[property], 'internal', {}, undefined, defaultValue);
	}

	/** WebhookService.getNodeWebhooks */
	function getNodeWebhooks(workflow, node, additionalData, ignoreRestartWebhooks = false) {
		if (node.disabled === true) return [];
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (nodeType.description.webhooks === undefined) return [];
		const workflowId = workflow.id || '__UNSAVED__';
		const returnData = [];
		for (const webhookDescription of nodeType.description.webhooks) {
			if (ignoreRestartWebhooks && webhookDescription.restartWebhook === true) continue;
			let nodeWebhookPath = evaluateDescriptionProperty(workflow, node, webhookDescription, 'path');
			if (nodeWebhookPath === undefined || nodeWebhookPath === null) continue;
			nodeWebhookPath = nodeWebhookPath.toString().trim();
			if (nodeWebhookPath.startsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(1);
			if (nodeWebhookPath.endsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(0, -1);
			const isFullPath = evaluateDescriptionProperty(workflow, node, webhookDescription, 'isFullPath', false);
			const restartWebhook = evaluateDescriptionProperty(workflow, node, webhookDescription, 'restartWebhook', false);
			const webhookPath = wf.NodeHelpers.getNodeWebhookPath(workflowId, node, nodeWebhookPath, isFullPath, restartWebhook);
			const webhookMethods = evaluateDescriptionProperty(workflow, node, webhookDescription, 'httpMethod', 'GET');
			if (webhookMethods === undefined) continue;
			const isDynamic = webhookPath.startsWith(':') || webhookPath.includes('/:');
			for (const httpMethod of String(webhookMethods).split(',')) {
				if (!httpMethod) continue;
				returnData.push({
					httpMethod: httpMethod.trim(),
					node: node.name,
					path: webhookPath,
					webhookDescription,
					workflowId,
					workflowExecuteAdditionalData: additionalData,
					webhookId: isDynamic && node.webhookId ? node.webhookId : undefined,
				});
			}
		}
		return returnData;
	}

	/** WebhookService.runWebhook */
	async function runWebhook(workflow, webhookData, node, additionalData, mode, runExecutionData) {
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (nodeType.webhook === undefined) {
			throw new wf.UnexpectedError('Node does not have any webhooks defined', { extra: { nodeName: node.name } });
		}
		const closeFunctions = [];
		const context = new core.WebhookContext(workflow, node, additionalData, mode, webhookData, closeFunctions, runExecutionData ?? null);
		try {
			return wf.isNodeClassInstance?.(nodeType) ? await nodeType.webhook(context) : await nodeType.webhook.call(context);
		} finally {
			await Promise.allSettled(closeFunctions.map(async (fn) => await fn()));
		}
	}

	/** WebhookService.runWebhookMethod */
	async function runWebhookMethod(method, workflow, webhookData, mode, activation) {
		const node = workflow.getNode(webhookData.node);
		if (!node) return undefined;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const webhookFn = nodeType.webhookMethods?.[webhookData.webhookDescription.name]?.[method];
		if (webhookFn === undefined) return undefined;
		const context = new core.HookContext(workflow, node, webhookData.workflowExecuteAdditionalData, mode, activation, webhookData);
		return await webhookFn.call(context);
	}

	/** Evaluates a webhook description field like WebhookExecutionContext does. */
	function webhookDescriptionValue(workflow, node, webhookData, mode, additionalKeys, property, defaultValue) {
		const value = webhookData.webhookDescription[property];
		if (value === undefined) return defaultValue;
		return workflow.expression.getSimpleParameterValue(node, value, mode, additionalKeys, undefined, defaultValue);
	}

	/**
	 * WebhookHelpers.executeWebhook: runs the node's webhook(), answers the caller as the response
	 * mode says, and runs (or continues) the execution with the webhook's workflowData.
	 * @returns {Promise<any>} what the request handler should send (or { noWebhookResponse: true })
	 */
	async function executeWebhook({ workflow, webhookData, workflowData, workflowStartNode, executionMode, runExecutionData, record, req, res }) {
		const additionalKeys = { $executionId: record?.id };
		const additionalData = getBase({ workflowId: workflow.id, workflowSettings: workflowData.settings });
		if (record) additionalData.executionId = record.id;
		additionalData.httpRequest = req;
		additionalData.httpResponse = res;

		const responseMode = webhookDescriptionValue(workflow, workflowStartNode, webhookData, executionMode, additionalKeys, 'responseMode', 'onReceived');
		const responseCode = webhookDescriptionValue(workflow, workflowStartNode, webhookData, executionMode, additionalKeys, 'responseCode', 200);
		const responseData = webhookDescriptionValue(workflow, workflowStartNode, webhookData, executionMode, additionalKeys, 'responseData', 'firstEntryJson');
		if (!SUPPORTED_RESPONSE_MODES.has(responseMode)) {
			throw responseError(500, `The response mode '${responseMode}' is not valid!`);
		}

		// parseRequestBody: v1 nodes with options.binaryData keep the raw stream
		const keepsBinary =
			workflowStartNode.typeVersion === 1 &&
			workflow.expression.getSimpleParameterValue(workflowStartNode, '={{$parameter["options"]["binaryData"]}}', executionMode, additionalKeys, undefined, false);
		if (!keepsBinary) await parseBody(req);

		let didSendResponse = false;
		let runExecutionDataMerge = {};
		let webhookResultData;
		try {
			webhookResultData = await runWebhook(workflow, webhookData, workflowStartNode, additionalData, executionMode, runExecutionData);
		} catch (err) {
			events.emit('webhookError', { node: workflowStartNode.name, error: err });
			sendErrorResponse(res, responseError(500, 'Workflow Webhook Error: Workflow could not be started!'));
			didSendResponse = true;
			runExecutionDataMerge = {
				resultData: {
					runData: {},
					lastNodeExecuted: workflowStartNode.name,
					error: { ...err, message: err.message, stack: err.stack },
				},
			};
			webhookResultData = { noWebhookResponse: true, workflowData: [[{ json: {} }]] };
		}

		if (webhookResultData.noWebhookResponse === true && !didSendResponse) didSendResponse = true;

		if (webhookResultData.workflowData === undefined) {
			if (!didSendResponse) {
				return webhookResultData.webhookResponse !== undefined
					? { data: webhookResultData.webhookResponse, responseCode }
					: { data: { message: 'Webhook call received' }, responseCode };
			}
			return { noWebhookResponse: true };
		}

		const shouldDeferOnReceivedResponse = responseMode === 'onReceived' && !didSendResponse;

		// prepareExecutionData
		const nodeExecutionStack = [{ node: workflowStartNode, data: { main: webhookResultData.workflowData ?? [] }, source: null }];
		runExecutionData ??= wf.createRunExecutionData({ executionData: { nodeExecutionStack } });
		if (record) {
			const resumingNodeExecutionData = runExecutionData.executionData.nodeExecutionStack[0];
			resumingNodeExecutionData.data.main = webhookResultData.workflowData ?? [];
			resumingNodeExecutionData.metadata = { ...resumingNodeExecutionData.metadata, forwardAllOutputs: true };
		}
		if (Object.keys(runExecutionDataMerge).length !== 0) Object.assign(runExecutionData, runExecutionDataMerge);
		if (['manual', 'evaluation'].includes(executionMode)) runExecutionData.resultData.pinData = workflowData.pinData;

		// WorkflowRunner.run
		const target = record ?? newRecord(workflowData, executionMode, 'trigger');
		let promise;
		try {
			({ promise } = launch(target, { runExecutionData, restart: Boolean(record), expectedStatus: record ? 'waiting' : undefined }));
		} catch (error) {
			events.emit('webhookError', { node: workflowStartNode.name, error });
			if (didSendResponse) return { noWebhookResponse: true };
			throw responseError(500, 'There was a problem executing the workflow');
		}

		if (shouldDeferOnReceivedResponse) {
			// extractWebhookOnReceivedResponse: `responseData` defaults to "firstEntryJson", which n8n
			// 2.41.1 then sends as the body (a real n8n answers "firstEntryJson" here, checked).
			let body;
			if (responseData === 'noData') body = undefined;
			else if (responseData) body = responseData;
			else if (webhookResultData.webhookResponse !== undefined) body = webhookResultData.webhookResponse;
			else body = { message: 'Workflow was started' };
			return { data: body, responseCode };
		}
		if (didSendResponse) return { noWebhookResponse: true };

		// responseMode lastNode (and the rest, simplified): answer when the execution ends
		const run = await promise;
		if (run.status === 'error') return { data: { message: 'Error in workflow' }, responseCode: 500 };
		const lastNode = run.lastNodeExecuted;
		const items = lastNode ? run.output(lastNode) : [];
		if (!lastNode || items.length === 0) {
			return { data: { message: 'Workflow executed successfully but the last node did not return any data' }, responseCode };
		}
		if (responseData === 'allEntries') return { data: items.map((item) => item.json), responseCode };
		if (responseData === 'noData') return { data: undefined, responseCode };
		return { data: items[0].json, responseCode };
	}

	// ---- waiting webhooks (WaitingWebhooks.executeWebhook) ---------------------------------
	function parseSignatureParam(req) {
		const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
		let token = url.searchParams.get(core.WAITING_TOKEN_QUERY_PARAM) ?? undefined;
		let webhookPath;
		if (token?.includes('/')) {
			const slashIndex = token.indexOf('/');
			webhookPath = token.slice(slashIndex + 1);
			token = token.slice(0, slashIndex);
		}
		return { token, webhookPath };
	}

	function validateToken(req, executionData) {
		const { token, webhookPath } = parseSignatureParam(req);
		const storedToken = executionData.resumeToken;
		if (!token || !storedToken || token.length !== storedToken.length) return { valid: false };
		return { valid: crypto.timingSafeEqual(Buffer.from(token), Buffer.from(storedToken)), webhookPath };
	}

	function validateSignature(req) {
		const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
		const { token: providedSignature, webhookPath } = parseSignatureParam(req);
		if (!providedSignature) return { valid: false };
		url.searchParams.set(core.WAITING_TOKEN_QUERY_PARAM, providedSignature);
		return { valid: core.validateUrlSignature(providedSignature, url, instanceSettings.hmacSignatureSecret), webhookPath };
	}

	function isSendAndWaitRequest(nodes, suffix) {
		return Boolean(suffix && Object.values(nodes).some((node) => node.id === suffix && node.parameters.operation === wf.SEND_AND_WAIT_OPERATION));
	}

	async function executeWaitingWebhook(req, res, executionId, suffix) {
		events.emit('waitingWebhookRequest', { executionId, suffix, method: req.method, url: req.url });
		req.params = {};
		const record = executions.get(executionId);
		const executionData = record?.data ? flatted.parse(record.data) : undefined;

		if (executionData?.resumeToken) {
			const { nodes } = buildWorkflow(record.workflowData);
			const isSendAndWait = isSendAndWaitRequest(nodes, suffix);
			const { valid, webhookPath } = isSendAndWait ? validateSignature(req) : validateToken(req, executionData);
			if (!valid) {
				events.emit('waitingWebhookRejected', { executionId, suffix, reason: 'Invalid token' });
				if (isSendAndWait) {
					res.status(401);
					res.render('form-invalid-token');
				} else {
					res.status(401).json({ error: 'Invalid token' });
				}
				return { noWebhookResponse: true };
			}
			if (!suffix && webhookPath) suffix = webhookPath;
		}
		if (!record) throw responseError(404, `The execution "${executionId}" does not exist.`);
		if (record.status === 'running') throw responseError(409, `The execution "${executionId}" is running already.`);
		if (executionData?.resultData?.error) throw responseError(409, `The execution "${executionId}" has finished with error.`);
		if (record.finished) {
			const { nodes } = buildWorkflow(record.workflowData);
			if (isSendAndWaitRequest(nodes, suffix)) {
				res.render('send-and-wait-no-action-required', { isTestWebhook: false });
				return { noWebhookResponse: true };
			}
			throw responseError(409, `The execution "${executionId} has finished already.`);
		}
		if (record.status !== 'waiting') throw responseError(409, `The execution "${executionId}" is not waiting (${record.status}).`);

		// getWebhookExecutionData
		const lastNodeExecuted = executionData.resultData.lastNodeExecuted;
		// Disabled so that the node is not executed again (which would start the wait all over again).
		executionData.executionData.nodeExecutionStack[0].node.disabled = true;
		executionData.waitTill = undefined;
		// preserveInputOverride: drop the node's "waiting" run
		const runDataArray = executionData.resultData.runData[lastNodeExecuted];
		const entryToPop = runDataArray.pop();
		if (entryToPop?.inputOverride) {
			runDataArray.push({ startTime: 0, executionTime: 0, executionIndex: 0, source: entryToPop.source, inputOverride: entryToPop.inputOverride });
		}

		const workflowData = record.workflowData;
		const workflow = buildWorkflow(workflowData);
		const workflowStartNode = workflow.getNode(lastNodeExecuted);
		if (workflowStartNode === null) throw responseError(404, 'Could not find node to process webhook.');
		const additionalData = getBase({ workflowId: workflow.id });
		const webhookData = getNodeWebhooks(workflow, workflowStartNode, additionalData).find(
			(webhook) =>
				webhook.httpMethod === req.method &&
				webhook.path === (suffix ?? '') &&
				webhook.webhookDescription.restartWebhook === true &&
				(webhook.webhookDescription.nodeType === 'form' || false) === false,
		);
		if (webhookData === undefined) {
			if (isSendAndWaitRequest(workflow.nodes, suffix)) {
				res.render('send-and-wait-no-action-required', { isTestWebhook: false });
				return { noWebhookResponse: true };
			}
			throw responseError(404, `The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.`);
		}
		events.emit('executionResumed', { executionId, resumeSource: 'webhook' });
		clearTimeout(record.waitTimer);
		const response = await executeWebhook({
			workflow,
			webhookData,
			workflowData,
			workflowStartNode,
			executionMode: record.mode,
			runExecutionData: executionData,
			record,
			req,
			res,
		});
		// Still waiting (the webhook gave no workflowData): keep the WaitTracker timer.
		if (record.status === 'waiting') scheduleWaitTracker(record);
		return response;
	}

	// ---- production webhooks (LiveWebhooks.executeWebhook) ---------------------------------
	function normalizeWebhookPath(webhookPath) {
		let normalized = webhookPath.trim();
		if (normalized.startsWith('/')) normalized = normalized.slice(1);
		if (normalized.endsWith('/')) normalized = normalized.slice(0, -1);
		return normalized;
	}

	function findLiveWebhook(webhookPath, method) {
		const direct = liveWebhooks.get(`${method} ${normalizeWebhookPath(webhookPath)}`);
		if (direct) return { ...direct, params: {} };
		// dynamic paths: <webhookId>/a/:param
		const parts = normalizeWebhookPath(webhookPath).split('/');
		for (const entry of liveWebhooks.values()) {
			if (entry.method !== method || !entry.isDynamic) continue;
			const pattern = entry.webhookPath.split('/');
			const [id, ...rest] = parts;
			if (id !== entry.webhookId || rest.length !== pattern.length) continue;
			const params = {};
			if (pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = rest[i]), true) : p === rest[i]))) return { ...entry, params };
		}
		return undefined;
	}

	async function executeLiveWebhook(req, res, webhookPath) {
		const method = req.method;
		const webhook = findLiveWebhook(webhookPath, method);
		if (!webhook) {
			throw responseError(404, `The requested webhook "${method} ${webhookPath}" is not registered.`, 'The workflow must be active for a production URL to run successfully.');
		}
		req.params = webhook.params;
		const workflowData = activeWorkflows.get(webhook.workflowId);
		const workflow = buildWorkflow(workflowData, { active: true });
		const additionalData = getBase({ workflowId: workflow.id });
		const workflowStartNode = workflow.getNode(webhook.node);
		if (workflowStartNode === null) throw responseError(404, 'Could not find node to process webhook.');
		const webhookData = getNodeWebhooks(workflow, workflowStartNode, additionalData).find(
			(w) => w.httpMethod === method && w.path === webhook.webhookPath,
		);
		if (!webhookData) throw responseError(404, `The requested webhook "${method} ${webhookPath}" is not registered.`);
		try {
			return await executeWebhook({
				workflow,
				webhookData,
				workflowData,
				workflowStartNode,
				executionMode: 'webhook',
				runExecutionData: undefined,
				record: undefined,
				req,
				res,
			});
		} finally {
			saveStaticData(workflow);
		}
	}

	// ---- activation (ActiveWorkflowManager.addWebhooks / clearWebhooks) --------------------
	function liveWebhookKey(webhookData) {
		const webhookPath = normalizeWebhookPath(webhookData.path);
		return `${webhookData.httpMethod} ${webhookPath}`;
	}

	async function activateWorkflow(input) {
		const workflowData = prepareWorkflowData(input);
		if (activeWorkflows.has(workflowData.id)) await deactivateWorkflow(workflowData.id);
		const workflow = buildWorkflow(workflowData, { active: true });
		const additionalData = getBase({ workflowId: workflow.id, workflowSettings: workflowData.settings });
		const webhooks = Object.values(workflow.nodes).flatMap((node) => getNodeWebhooks(workflow, node, additionalData, true));
		const urls = {};
		const added = [];
		activeWorkflows.set(workflowData.id, workflowData);
		try {
			for (const webhookData of webhooks) {
				const key = liveWebhookKey(webhookData);
				const existing = liveWebhooks.get(key);
				if (existing && existing.workflowId !== workflow.id) {
					throw new wf.WebhookPathTakenError(webhookData.node);
				}
				const node = workflow.getNode(webhookData.node);
				const isDynamic = webhookData.path.includes(':');
				liveWebhooks.set(key, {
					workflowId: workflow.id,
					node: webhookData.node,
					webhookPath: webhookData.path,
					method: webhookData.httpMethod,
					isDynamic,
					webhookId: node?.webhookId,
				});
				added.push(key);
				await runWebhookMethod('checkExists', workflow, webhookData, 'trigger', 'activate').then(async (exists) => {
					if (!exists) await runWebhookMethod('create', workflow, webhookData, 'trigger', 'activate');
				});
				urls[webhookData.node] = `${webhookBaseUrl}${ENDPOINTS.webhook}/${isDynamic && node?.webhookId ? `${node.webhookId}/` : ''}${normalizeWebhookPath(webhookData.path)}`;
			}
		} catch (error) {
			for (const key of added) liveWebhooks.delete(key);
			activeWorkflows.delete(workflowData.id);
			saveStaticData(workflow);
			throw error;
		}
		saveStaticData(workflow);
		return { workflowId: workflowData.id, webhookUrls: urls, staticData: clone(staticDataStore.get(workflowData.id)) ?? {} };
	}

	async function deactivateWorkflow(workflowOrId) {
		const workflowId = typeof workflowOrId === 'string' ? workflowOrId : workflowOrId.id ?? workflowOrId.workflowId;
		const workflowData = activeWorkflows.get(workflowId);
		if (!workflowData) return;
		const workflow = buildWorkflow(workflowData, { active: true });
		const additionalData = getBase({ workflowId: workflow.id, workflowSettings: workflowData.settings });
		const webhooks = Object.values(workflow.nodes).flatMap((node) => getNodeWebhooks(workflow, node, additionalData, true));
		try {
			for (const webhookData of webhooks) {
				await runWebhookMethod('delete', workflow, webhookData, 'internal', 'update');
			}
		} finally {
			saveStaticData(workflow);
			for (const [key, entry] of liveWebhooks) if (entry.workflowId === workflowId) liveWebhooks.delete(key);
			activeWorkflows.delete(workflowId);
		}
	}

	// ---- public API ---------------------------------------------------------------------------
	function startWorkflow(input, { timeoutMs, mode = 'manual', startNode } = {}) {
		if (closed) throw new Error('The engine is closed');
		const workflowData = prepareWorkflowData(input);
		const record = newRecord(workflowData, mode, 'start');
		const { promise, cancel, settled } = launch(record, { startNode, timeoutMs });
		return { executionId: record.id, workflowId: workflowData.id, promise, cancel: () => cancel(), settled };
	}

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

	const engine = {
		/** http://127.0.0.1:PORT/ — n8n's "webhook URL" (N8N_WEBHOOK_URL) of this engine. */
		webhookBaseUrl,
		events,
		/** The loader's full node type name for a node class name or description name. */
		nodeTypeName(name) {
			const lower = name.charAt(0).toLowerCase() + name.slice(1);
			const candidates = [`${loader.packageName}.${lower}`, `${loader.packageName}.${name}`, name];
			const found = candidates.find((candidate) => nodeTypeData[candidate]);
			if (!found) throw new Error(`No node type "${name}" in ${loader.packageName} (known: ${Object.keys(nodeTypeData).join(', ')})`);
			return found;
		},
		nodeTypes,
		packageName: loader.packageName,
		credentialsHelper,
		async setCredentials(typeName, data) {
			await credentialsHelper.setCredentials(typeName, data);
		},
		startWorkflow,
		async runWorkflow(workflow, runOptions = {}) {
			return await startWorkflow(workflow, runOptions).promise;
		},
		/** Resolves with the next result of a waiting execution after it was resumed (by a call or at its wait limit). */
		async waitForResume(run, { timeoutMs = 30_000 } = {}) {
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
		},
		/** Resolves with the first result of the next execution a production webhook starts. */
		async nextTriggeredRun({ timeoutMs = 30_000 } = {}) {
			const queued = triggeredRuns.shift();
			if (queued) return queued;
			let resolver;
			const promise = new Promise((resolve) => {
				resolver = resolve;
				triggeredWaiters.push(resolve);
			});
			try {
				return await withTimeout(promise, timeoutMs, `No workflow was triggered within ${timeoutMs} ms`);
			} catch (error) {
				const index = triggeredWaiters.indexOf(resolver);
				if (index >= 0) triggeredWaiters.splice(index, 1);
				throw error;
			}
		},
		/** Stops an execution: a running one like n8n's "stop" (PCancelable.cancel), a waiting one is marked canceled. */
		cancelExecution(executionId) {
			const record = executions.get(executionId);
			if (!record) return;
			if (record.workflowExecution) {
				record.cancel?.();
			} else if (record.status === 'waiting') {
				clearTimeout(record.waitTimer);
				const data = flatted.parse(record.data);
				finalize(record, buildWorkflow(record.workflowData), { data, mode: record.mode, status: 'canceled', finished: false }, new wf.ManualExecutionCancelledError(executionId));
			}
		},
		/** The stored (serialized and parsed back) state of an execution, as n8n's database would give it. */
		execution(executionId) {
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
		},
		activateWorkflow,
		deactivateWorkflow,
		/** The production URL of a webhook node of an active workflow. */
		webhookUrl(workflowId, nodeName, webhookName = 'default') {
			for (const entry of liveWebhooks.values()) {
				if (entry.workflowId === workflowId && entry.node === nodeName) {
					return `${webhookBaseUrl}${ENDPOINTS.webhook}/${entry.isDynamic ? `${entry.webhookId}/` : ''}${normalizeWebhookPath(entry.webhookPath)}`;
				}
			}
			return undefined;
		},
		staticData(workflowId) {
			return clone(staticDataStore.get(workflowId)) ?? {};
		},
		setStaticData(workflowId, data) {
			staticDataStore.set(workflowId, clone(data));
		},
		/** The bytes of a binary data entry (stored in n8n-core's BinaryDataService). */
		async binaryBuffer(binaryData) {
			return await binaryDataService.getAsBuffer(binaryData);
		},
		async binaryStream(binaryData) {
			if (!binaryData.id) return require('stream').Readable.from([Buffer.from(binaryData.data, 'base64')]);
			return await binaryDataService.getAsStream(binaryData.id);
		},
		async close() {
			if (closed) return;
			closed = true;
			for (const record of executions.values()) {
				clearTimeout(record.waitTimer);
				record.waitTimer = undefined;
				if (record.workflowExecution) record.workflowExecution.cancel();
			}
			for (const waiter of triggeredWaiters.splice(0)) waiter(undefined);
			for (const reject of pendingWaits) reject(new Error('The engine was closed'));
			pendingWaits.clear();
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				for (const socket of sockets) socket.destroy();
			});
			engineClosed();
		},
	};
	return engine;
}

module.exports = { createEngine };
