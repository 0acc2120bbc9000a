'use strict';
/**
 * The README's AI-agent example (examples/ai-agent-legnext-tools.json: an AI Agent with two Legnext
 * tools, Generate Images and Upscale Image) made runnable in a test: its Chat Trigger and AI Agent as
 * they are, the chat made public (a chat that is not public answers only the editor's chat panel,
 * which a test cannot open; n8n's hosted chat page posts to the same URL), its OpenAI Chat Model
 * talking to the scripted chat server (chat-server.js), the test's credentials, and the Generate
 * Images tool's parameters changed as the test asks.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const support = require('./support');
const { startChatServer } = require('./chat-server');

const EXAMPLE = path.join(support.ROOT, 'examples', 'ai-agent-legnext-tools.json');

const CHAT_TRIGGER = '@n8n/n8n-nodes-langchain.chatTrigger';

function agentExampleWorkflow({ id, name, legnext, openai, generateImages = {} }) {
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const nodes = example.nodes.map((node) => {
		if (node.type === CHAT_TRIGGER) return { ...node, parameters: { ...node.parameters, public: true } };
		if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi') {
			const parameters = { ...node.parameters, model: { __rl: true, mode: 'id', value: 'scripted-model' }, responsesApiEnabled: false };
			return { ...node, parameters, credentials: { openAiApi: { id: openai.id, name: openai.name } } };
		}
		// The agent and the sticky note (what to set) as they are: only the Legnext tools take the test's credential.
		if (node.type !== `${support.NODE_TYPE}Tool`) return node;
		const credentials = { legnextApi: { id: legnext.id, name: legnext.name } };
		if (node.name === 'Generate Images') return { ...node, credentials, parameters: { ...node.parameters, ...generateImages } };
		return { ...node, credentials };
	});
	return { ...example, id, name: `${name}: ${example.name}`, nodes };
}

/** The name of the workflow's Chat Trigger: its output item holds the message (`chatInput`). */
const chatTriggerName = (workflow) => workflow.nodes.find((node) => node.type === CHAT_TRIGGER).name;

/**
 * A chat message as n8n's hosted chat page sends it, to the Chat Trigger's production URL. n8n answers
 * when the run ends (the agent's `{output}`); just after activation it may answer 404 for a moment.
 */
async function sendChatMessage(n8n, workflow, chatInput, sessionId = crypto.randomUUID()) {
	const trigger = workflow.nodes.find((node) => node.type === CHAT_TRIGGER);
	const url = `${n8n.baseUrl}/webhook/${trigger.webhookId}/chat`;
	const body = JSON.stringify({ action: 'sendMessage', sessionId, chatInput });
	for (const deadline = Date.now() + 60000; ; ) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(240000) });
		const text = await response.text();
		if (response.status !== 404 || Date.now() > deadline) return { status: response.status, text };
		await support.delay(500);
	}
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

module.exports = { agentExampleWorkflow, chatTriggerName, sendChatMessage, startAgentWorld };
