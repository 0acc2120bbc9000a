'use strict';
/**
 * Mirrors packages/cli/src/webhooks/webhook.service.ts: a node's webhooks (getNodeWebhooks), running
 * its webhook() (runWebhook) and its webhook methods checkExists / create / delete (runWebhookMethod).
 * Exists because live webhooks, waiting webhooks and activation all resolve webhooks the same way.
 */

/** @param {object} ctx the engine's parts (see harness.js) */
function createWebhookService(ctx) {
	const { core, wf, nodeTypes } = ctx;

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

	/** The webhooks of all nodes of a workflow, as activation registers them (no restart webhooks). */
	function getWorkflowWebhooks(workflow, additionalData) {
		return Object.values(workflow.nodes).flatMap((node) => getNodeWebhooks(workflow, node, additionalData, true));
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

	return { getNodeWebhooks, getWorkflowWebhooks, runWebhook, runWebhookMethod };
}

module.exports = { createWebhookService };
