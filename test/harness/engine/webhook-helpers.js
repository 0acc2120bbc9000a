'use strict';
/**
 * Mirrors packages/cli/src/webhooks/webhook-helpers.ts executeWebhook and prepareExecutionData: runs a
 * node's webhook(), answers the caller as its response mode says, and starts (or continues) the
 * execution with the webhook's data. Exists because production webhooks (Legnext Trigger) and
 * waiting webhooks (resume by callback) both go through it in n8n.
 */
const { parseBody, sendErrorResponse, responseError } = require('./http');

const SUPPORTED_RESPONSE_MODES = new Set(['onReceived', 'lastNode', 'responseNode', 'formPage', 'streaming', 'hostedChat']);

/** Evaluates a webhook description field like WebhookExecutionContext does. */
function webhookDescriptionValue(workflow, node, webhookData, mode, additionalKeys, property, defaultValue) {
	const value = webhookData.webhookDescription[property];
	if (value === undefined) return defaultValue;
	return workflow.expression.getSimpleParameterValue(node, value, mode, additionalKeys, undefined, defaultValue);
}

/** responseMode lastNode (and the rest, simplified): the answer once the execution has ended. */
function lastNodeResponse(run, responseData, responseCode) {
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

/** @param {object} ctx the engine's parts (see harness.js) */
function createWebhookHelpers(ctx) {
	const { wf, events } = ctx;

	/**
	 * WebhookHelpers.executeWebhook: runs the node's webhook(), answers the caller as the response
	 * mode says, and runs (or continues) the execution with the webhook's workflowData.
	 * @returns {Promise<any>} what the request handler should send (or { noWebhookResponse: true })
	 */
	async function executeWebhook({ workflow, webhookData, workflowData, workflowStartNode, executionMode, runExecutionData, record, req, res }) {
		const additionalKeys = { $executionId: record?.id };
		const additionalData = ctx.additionalData.getBase({ workflowId: workflow.id, workflowSettings: workflowData.settings });
		if (record) additionalData.executionId = record.id;
		additionalData.httpRequest = req;
		additionalData.httpResponse = res;

		const describe = (property, defaultValue) =>
			webhookDescriptionValue(workflow, workflowStartNode, webhookData, executionMode, additionalKeys, property, defaultValue);
		const responseMode = describe('responseMode', 'onReceived');
		const responseCode = describe('responseCode', 200);
		const responseData = describe('responseData', 'firstEntryJson');
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
			webhookResultData = await ctx.webhookService.runWebhook(workflow, webhookData, workflowStartNode, additionalData, executionMode, runExecutionData);
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
		const target = record ?? ctx.executions.newRecord(workflowData, executionMode, 'trigger');
		let promise;
		try {
			({ promise } = ctx.runner.launch(target, { runExecutionData, restart: Boolean(record), expectedStatus: record ? 'waiting' : undefined }));
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
		return lastNodeResponse(await promise, responseData, responseCode);
	}

	return { executeWebhook };
}

module.exports = { createWebhookHelpers };
