'use strict';
/**
 * Mirrors what n8n's WorkflowRepository and packages/cli/src/workflows/workflow-static-data.service.ts
 * keep for a workflow: the stored JSON (with what the editor fills in) and its static data, saved
 * only when a run changed it. Exists so every run, resume and activation builds its Workflow from
 * stored data, as n8n does, and never shares objects with a previous run.
 */
const crypto = require('crypto');

let workflowCounter = 0;

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * @param {{ wf: any, nodeTypes: import('n8n-workflow').INodeTypes, defaultSettings: Record<string, unknown> }} deps
 */
function createWorkflowStore({ wf, nodeTypes, defaultSettings }) {
	/** workflow id -> static data (plain JSON) */
	const staticDataStore = new Map();

	/** What n8n stores for a workflow: ids, defaults an editor would have added. */
	function prepare(input) {
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

	function build(workflowData, { active = false, staticData } = {}) {
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

	return {
		prepare,
		build,
		saveStaticData,
		staticData: (workflowId) => clone(staticDataStore.get(workflowId)) ?? {},
		setStaticData: (workflowId, data) => staticDataStore.set(workflowId, clone(data)),
	};
}

module.exports = { createWorkflowStore, clone };
