'use strict';
/**
 * Mirrors packages/cli/src/webhooks/live-webhooks.ts and the webhook table WebhookService keeps: the
 * production webhooks of active workflows (/webhook/<path>, dynamic <webhookId>/a/:param paths too)
 * and a call to one of them. Exists because Legnext Trigger receives Legnext's job callbacks there.
 */
const { responseError } = require('./http');
const { ENDPOINTS } = require('./additional-data');

function normalizeWebhookPath(webhookPath) {
	let normalized = webhookPath.trim();
	if (normalized.startsWith('/')) normalized = normalized.slice(1);
	if (normalized.endsWith('/')) normalized = normalized.slice(0, -1);
	return normalized;
}

/** @param {object} ctx the engine's parts (see harness.js) */
function createLiveWebhooks(ctx) {
	/** `${method} ${path}` -> { workflowId, node, webhookPath, method, isDynamic, webhookId } */
	const liveWebhooks = new Map();

	const keyOf = (webhookData) => `${webhookData.httpMethod} ${normalizeWebhookPath(webhookData.path)}`;
	const urlOf = (entry) =>
		`${ctx.webhookBaseUrl}${ENDPOINTS.webhook}/${entry.isDynamic && entry.webhookId ? `${entry.webhookId}/` : ''}${normalizeWebhookPath(entry.webhookPath)}`;

	function find(webhookPath, method) {
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

	/**
	 * Registers a webhook of an active workflow (WebhookService.storeWebhook).
	 * @returns {{ key: string, url: string }}
	 */
	function register(workflow, webhookData) {
		const key = keyOf(webhookData);
		const existing = liveWebhooks.get(key);
		if (existing && existing.workflowId !== workflow.id) {
			throw new ctx.wf.WebhookPathTakenError(webhookData.node);
		}
		const node = workflow.getNode(webhookData.node);
		const entry = {
			workflowId: workflow.id,
			node: webhookData.node,
			webhookPath: webhookData.path,
			method: webhookData.httpMethod,
			isDynamic: webhookData.path.includes(':'),
			webhookId: node?.webhookId,
		};
		liveWebhooks.set(key, entry);
		return { key, url: urlOf(entry) };
	}

	function unregister(keys) {
		for (const key of keys) liveWebhooks.delete(key);
	}

	function unregisterWorkflow(workflowId) {
		for (const [key, entry] of liveWebhooks) if (entry.workflowId === workflowId) liveWebhooks.delete(key);
	}

	/** The production URL of a webhook node of an active workflow. */
	function webhookUrl(workflowId, nodeName) {
		for (const entry of liveWebhooks.values()) {
			if (entry.workflowId === workflowId && entry.node === nodeName) return urlOf(entry);
		}
		return undefined;
	}

	/** Calls of production webhooks still running (the node's webhook() included), for inFlight(). */
	const running = new Set();

	/** LiveWebhooks.executeWebhook, counted in inFlight() until it returns. */
	async function executeLiveWebhook(req, res, webhookPath) {
		const call = executeCall(req, res, webhookPath);
		running.add(call);
		try {
			return await call;
		} finally {
			running.delete(call);
		}
	}

	async function executeCall(req, res, webhookPath) {
		const method = req.method;
		const webhook = find(webhookPath, method);
		if (!webhook) {
			throw responseError(404, `The requested webhook "${method} ${webhookPath}" is not registered.`, 'The workflow must be active for a production URL to run successfully.');
		}
		req.params = webhook.params;
		const workflowData = ctx.activeWorkflows.get(webhook.workflowId);
		const workflow = ctx.workflows.build(workflowData, { active: true });
		const additionalData = ctx.additionalData.getBase({ workflowId: workflow.id });
		const workflowStartNode = workflow.getNode(webhook.node);
		if (workflowStartNode === null) throw responseError(404, 'Could not find node to process webhook.');
		const webhookData = ctx.webhookService.getNodeWebhooks(workflow, workflowStartNode, additionalData).find(
			(w) => w.httpMethod === method && w.path === webhook.webhookPath,
		);
		if (!webhookData) throw responseError(404, `The requested webhook "${method} ${webhookPath}" is not registered.`);
		try {
			return await ctx.webhookHelpers.executeWebhook({
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
			ctx.workflows.saveStaticData(workflow);
		}
	}

	/** The production webhook calls still running (a node's webhook() may go on after it answered). */
	const inFlight = () => [...running];

	return { register, unregister, unregisterWorkflow, webhookUrl, executeLiveWebhook, inFlight };
}

module.exports = { createLiveWebhooks };
