// Workflow and node builders for the e2e tests: the shapes n8n imports (webhook, Legnext, Legnext
// Trigger, Split Out, a chain of nodes), with ids unique within the process.
const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('./world');

const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PACKAGE}.legnext`;
const TRIGGER_TYPE = `${PACKAGE}.legnextTrigger`;

let counter = 0;
/** A stable-looking UUID for node ids and webhook ids, unique within the process. */
function uuid(prefix = 'e2e0') {
	counter += 1;
	const tail = String(counter).padStart(12, '0');
	return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${tail}`;
}

function credentialRef(credential) {
	return { legnextApi: { id: credential.id, name: credential.name } };
}

/** A production webhook that starts the workflow and answers at once (the run goes on). */
function webhookNode(pathName, name = 'Start') {
	return {
		id: uuid('a0b0'),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: uuid('b0c0'),
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
	};
}

function legnextNode(name, credential, parameters, position = [240, 0]) {
	return {
		id: uuid('c0d0'),
		name,
		type: NODE_TYPE,
		typeVersion: 2,
		position,
		parameters,
		credentials: credentialRef(credential),
	};
}

/** Text to Image, Poll Until Done unless `extra` says otherwise. */
function textToImageNode(name, credential, prompt, extra = {}) {
	return legnextNode(name, credential, { resource: 'image', operation: 'textToImage', prompt, waitMode: 'poll', ...extra });
}

function triggerNode(name, credential, parameters, webhookId = uuid('d0e0')) {
	return {
		id: uuid('e0f0'),
		name,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		credentials: credentialRef(credential),
	};
}

/** Split Out: the webhook's body `{prompts: [{p}, …]}` as one item per prompt. */
function splitPromptsNode() {
	return {
		id: uuid('f0a0'),
		name: 'Prompts',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [0, 0],
		parameters: { fieldToSplitOut: 'body.prompts', options: {} },
	};
}

/** A workflow whose nodes run one after the other, in the order given. */
function chainWorkflow(id, name, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	nodes.forEach((node, i) => {
		node.position = [i * 240, 0];
	});
	return { id, name, active: false, settings: { executionOrder: 'v1' }, connections, nodes };
}

module.exports = { PACKAGE, NODE_TYPE, TRIGGER_TYPE, uuid, webhookNode, legnextNode, textToImageNode, triggerNode, splitPromptsNode, chainWorkflow };
