'use strict';
/**
 * Mirrors packages/cli/src/active-workflow-manager.ts addWebhooks / clearWebhooks: activating a
 * workflow registers its production webhooks and runs the nodes' webhook methods (checkExists,
 * create; delete on deactivation), saving static data they change. Exists because Legnext Trigger's
 * activation is where a real n8n would call those methods.
 */
/** @param {object} ctx the engine's parts (see harness.js) */
function createActiveWorkflows(ctx) {
	/** workflow id -> workflow JSON of active workflows */
	const activeWorkflows = new Map();

	function webhooksOf(workflowData) {
		const workflow = ctx.workflows.build(workflowData, { active: true });
		const additionalData = ctx.additionalData.getBase({ workflowId: workflow.id, workflowSettings: workflowData.settings });
		return { workflow, webhooks: ctx.webhookService.getWorkflowWebhooks(workflow, additionalData) };
	}

	async function activateWorkflow(input) {
		const { runWebhookMethod } = ctx.webhookService;
		const workflowData = ctx.workflows.prepare(input);
		if (activeWorkflows.has(workflowData.id)) await deactivateWorkflow(workflowData.id);
		const { workflow, webhooks } = webhooksOf(workflowData);
		const urls = {};
		const added = [];
		activeWorkflows.set(workflowData.id, workflowData);
		try {
			for (const webhookData of webhooks) {
				const { key, url } = ctx.liveWebhooks.register(workflow, webhookData);
				added.push(key);
				await runWebhookMethod('checkExists', workflow, webhookData, 'trigger', 'activate').then(async (exists) => {
					if (!exists) await runWebhookMethod('create', workflow, webhookData, 'trigger', 'activate');
				});
				urls[webhookData.node] = url;
			}
		} catch (error) {
			ctx.liveWebhooks.unregister(added);
			activeWorkflows.delete(workflowData.id);
			ctx.workflows.saveStaticData(workflow);
			throw error;
		}
		ctx.workflows.saveStaticData(workflow);
		return { workflowId: workflowData.id, webhookUrls: urls, staticData: ctx.workflows.staticData(workflowData.id) };
	}

	async function deactivateWorkflow(workflowOrId) {
		const workflowId = typeof workflowOrId === 'string' ? workflowOrId : workflowOrId.id ?? workflowOrId.workflowId;
		const workflowData = activeWorkflows.get(workflowId);
		if (!workflowData) return;
		const { workflow, webhooks } = webhooksOf(workflowData);
		try {
			for (const webhookData of webhooks) {
				await ctx.webhookService.runWebhookMethod('delete', workflow, webhookData, 'internal', 'update');
			}
		} finally {
			ctx.workflows.saveStaticData(workflow);
			ctx.liveWebhooks.unregisterWorkflow(workflowId);
			activeWorkflows.delete(workflowId);
		}
	}

	return {
		activateWorkflow,
		deactivateWorkflow,
		isActive: (workflowId) => activeWorkflows.has(workflowId),
		get: (workflowId) => activeWorkflows.get(workflowId),
	};
}

module.exports = { createActiveWorkflows };
