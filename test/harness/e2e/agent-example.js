'use strict';
/**
 * The README's AI-agent example (examples/ai-agent-legnext-tools.json: an AI Agent with two Legnext
 * tools, Generate Images and Upscale Image) made runnable in a test: a webhook instead of its chat
 * trigger, its OpenAI Chat Model talking to the scripted chat server (chat-server.js), the test's
 * credentials, and the Generate Images tool's parameters changed as the test asks.
 */
const fs = require('node:fs');
const path = require('node:path');

const support = require('./support');
const { startChatServer } = require('./chat-server');

const EXAMPLE = path.join(support.ROOT, 'examples', 'ai-agent-legnext-tools.json');

function agentExampleWorkflow({ id, name, hook, legnext, openai, generateImages = {} }) {
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const trigger = example.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	const webhook = { ...support.webhookNode(hook), position: trigger.position };
	const nodes = example.nodes.map((node) => {
		if (node === trigger) return webhook;
		if (node.type === '@n8n/n8n-nodes-langchain.agent') {
			return { ...node, parameters: { ...node.parameters, promptType: 'define', text: '={{ $json.body.request }}' } };
		}
		if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi') {
			const parameters = { ...node.parameters, model: { __rl: true, mode: 'id', value: 'scripted-model' }, responsesApiEnabled: false };
			return { ...node, parameters, credentials: { openAiApi: { id: openai.id, name: openai.name } } };
		}
		// The example's sticky note (what to set) is no tool: it takes no credential.
		if (node.type === 'n8n-nodes-base.stickyNote') return node;
		const credentials = { legnextApi: { id: legnext.id, name: legnext.name } };
		if (node.name === 'Generate Images') return { ...node, credentials, parameters: { ...node.parameters, ...generateImages } };
		return { ...node, credentials };
	});
	const connections = { ...example.connections, [webhook.name]: example.connections[trigger.name] };
	delete connections[trigger.name];
	return { ...example, id, name: `${name}: ${example.name}`, nodes, connections };
}

/**
 * The scripted chat server (`chat`: its options) and a real n8n with the simulator, the Legnext and the
 * chat model's credentials and `workflow` (from agentExampleWorkflow) activated. close() stops both.
 */
async function startAgentWorld({ apiKey, legnext, openai, workflow, chat: chatOptions }) {
	const chat = await startChatServer(chatOptions);
	const world = await support.startWorld({
		simulator: { apiKeys: [apiKey], timeScale: 1, durations: () => ({ pending: 1, processing: 2 }) },
		credentials: (simulator) => [
			{ ...legnext, data: { apiKey, baseUrl: simulator.url } },
			{ ...openai, data: { apiKey: 'sk-e2e-scripted', url: chat.url } },
		],
		workflows: () => [workflow],
		activate: [workflow.id],
	});
	return {
		...world,
		chat,
		close: async () => {
			await world.close();
			await chat.close();
		},
	};
}

module.exports = { agentExampleWorkflow, startAgentWorld };
