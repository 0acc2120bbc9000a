'use strict';
/**
 * Mirrors packages/cli/src/webhooks/waiting-webhooks.ts: a call to /webhook-waiting/<executionId>
 * resumes a waiting execution (token or signature checked, 404/409 answers as n8n gives them). Exists
 * because the Legnext node's "pause until callback" mode is resumed by Legnext calling this URL.
 */
const crypto = require('crypto');

const { responseError } = require('./http');

/** @param {object} ctx the engine's parts (see harness.js) */
function createWaitingWebhooks(ctx) {
	const { core, wf, events, flatted, instanceSettings } = ctx;

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

	/** The 401 answer to a bad token; undefined when the call may go on (and the suffix it names). */
	function rejectInvalidToken(req, res, record, executionData, executionId, suffix) {
		const { nodes } = ctx.workflows.build(record.workflowData);
		const isSendAndWait = isSendAndWaitRequest(nodes, suffix);
		const { valid, webhookPath } = isSendAndWait ? validateSignature(req) : validateToken(req, executionData);
		if (valid) return { suffix: !suffix && webhookPath ? webhookPath : suffix };
		events.emit('waitingWebhookRejected', { executionId, suffix, reason: 'Invalid token' });
		if (isSendAndWait) {
			res.status(401);
			res.render('form-invalid-token');
		} else {
			res.status(401).json({ error: 'Invalid token' });
		}
		return { response: { noWebhookResponse: true } };
	}

	async function executeWaitingWebhook(req, res, executionId, suffix) {
		events.emit('waitingWebhookRequest', { executionId, suffix, method: req.method, url: req.url });
		req.params = {};
		const record = ctx.executions.get(executionId);
		const executionData = record?.data ? flatted.parse(record.data) : undefined;

		if (executionData?.resumeToken) {
			const checked = rejectInvalidToken(req, res, record, executionData, executionId, suffix);
			if (checked.response) return checked.response;
			suffix = checked.suffix;
		}
		if (!record) throw responseError(404, `The execution "${executionId}" does not exist.`);
		if (record.status === 'running') {
			events.emit('waitingWebhookRefused', { executionId, suffix, url: req.url, status: 409 });
			throw responseError(409, `The execution "${executionId}" is running already.`);
		}
		if (executionData?.resultData?.error) throw responseError(409, `The execution "${executionId}" has finished with error.`);
		if (record.finished) {
			const { nodes } = ctx.workflows.build(record.workflowData);
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
		const workflow = ctx.workflows.build(workflowData);
		const workflowStartNode = workflow.getNode(lastNodeExecuted);
		if (workflowStartNode === null) throw responseError(404, 'Could not find node to process webhook.');
		const additionalData = ctx.additionalData.getBase({ workflowId: workflow.id });
		const webhookData = ctx.webhookService.getNodeWebhooks(workflow, workflowStartNode, additionalData).find(
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
		const response = await ctx.webhookHelpers.executeWebhook({
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
		if (record.status === 'waiting') ctx.waitTracker.schedule(record);
		return response;
	}

	return { executeWaitingWebhook };
}

module.exports = { createWaitingWebhooks };
