'use strict';
/**
 * Mirrors packages/cli/src/workflow-execute-additional-data.ts getBase: what every node execution
 * context gets besides the workflow (credentials, instance URLs, stored run data). Exists so node
 * code reads the same base URLs ($execution.resumeUrl and the like) it reads in a real n8n.
 */

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

/**
 * @param {object} ctx the engine's parts (see harness.js); read at call time, as n8n's DI container would be
 */
function createAdditionalData(ctx) {
	const { core, wf, Container, flatted } = ctx;

	/** WorkflowExecuteAdditionalData.getBase */
	function getBase({ workflowId, executionTimeoutTimestamp, workflowSettings } = {}) {
		const baseUrl = ctx.webhookBaseUrl;
		return {
			currentNodeExecutionIndex: 0,
			credentialsHelper: ctx.credentialsHelper,
			executeWorkflow: async () => {
				throw new wf.UnexpectedError('Sub-workflows are not supported by the test harness');
			},
			restApiUrl: baseUrl + ENDPOINTS.rest,
			instanceBaseUrl: baseUrl,
			formWaitingBaseUrl: baseUrl + ENDPOINTS.formWaiting,
			formBaseUrl: baseUrl + ENDPOINTS.form,
			formTestBaseUrl: baseUrl + ENDPOINTS.formTest,
			webhookBaseUrl: baseUrl + ENDPOINTS.webhook,
			webhookWaitingBaseUrl: baseUrl + ENDPOINTS.webhookWaiting,
			webhookTestBaseUrl: baseUrl + ENDPOINTS.webhookTest,
			mcpBaseUrl: baseUrl + ENDPOINTS.mcp,
			mcpTestBaseUrl: baseUrl + ENDPOINTS.mcpTest,
			executionTimeoutTimestamp,
			userId: undefined,
			workflowId,
			workflowSettings,
			variables: {},
			setExecutionStatus: () => {},
			sendDataToUI: () => {},
			externalSecretsProxy: Container.get(core.ExternalSecretsProxy),
			async getRunExecutionData(executionId) {
				const record = ctx.executions.get(executionId);
				return record?.data ? flatted.parse(record.data) : undefined;
			},
		};
	}

	return { getBase };
}

module.exports = { createAdditionalData, ENDPOINTS };
