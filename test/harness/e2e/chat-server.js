// A scripted, OpenAI-compatible chat model on loopback for the agent test: what n8n's OpenAI Chat
// Model node calls when its Base URL points here (`GET /v1/models`, `POST /v1/chat/completions`,
// Chat Completions API, plain or streamed). It plays a model that uses one tool: its first answer to
// a user message is a call of the tool named `toolName` (or the first it is offered), with the
// arguments `toolArguments` chooses; once the tool's result comes back, its final message is `finalAnswer(result)`. Every
// request is kept, so a test can read what the model was offered and what the tool told it.
const http = require('node:http');

const MODEL = 'scripted-model';

/**
 * @param {object} script
 * @param {string} [script.toolName] the tool to call, as the model is offered it
 * @param {(userText: string) => object} script.toolArguments the arguments the model chooses for its tool call
 * @param {(toolContent: string) => string} script.finalAnswer the final message, from the tool message's content
 */
async function startChatServer({ toolName, toolArguments, finalAnswer }) {
	const requests = [];
	let calls = 0;

	function reply(body) {
		const messages = body.messages ?? [];
		const last = messages[messages.length - 1];
		if (last?.role === 'tool') return { content: finalAnswer(String(textOf(last.content))) };
		const user = [...messages].reverse().find((m) => m.role === 'user');
		const offered = (body.tools ?? []).map((t) => t.function);
		const tool = toolName ? offered.find((f) => f.name === toolName) : offered[0];
		if (!tool) return { content: `I have no tool ${toolName ?? ''} to call.` };
		calls += 1;
		const args = JSON.stringify(toolArguments(String(textOf(user?.content) ?? '')));
		return { toolCall: { id: `call_scripted_${calls}`, type: 'function', function: { name: tool.name, arguments: args } } };
	}

	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const url = new URL(req.url, 'http://127.0.0.1');
			const body = raw ? safeJson(raw) : undefined;
			requests.push({ method: req.method, path: url.pathname, body, at: Date.now() });
			if (req.method === 'GET' && url.pathname.endsWith('/models')) {
				return send(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'e2e' }] });
			}
			if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions') || !body) {
				return send(res, 404, { error: { message: `${req.method} ${url.pathname} is not scripted`, type: 'invalid_request_error' } });
			}
			const answer = reply(body);
			return body.stream ? stream(res, body, answer) : send(res, 200, completion(body, answer));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		/** The chat-completion requests, in order. */
		completions: () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions')),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

function completion(body, { content, toolCall }) {
	return {
		id: `chatcmpl-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? MODEL,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: content ?? null, ...(toolCall && { tool_calls: [toolCall] }) },
				finish_reason: toolCall ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as server-sent events, as `stream: true` asks. */
function stream(res, body, { content, toolCall }) {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = { id: `chatcmpl-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model ?? MODEL };
	const chunk = (delta, finish = null) => res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
	chunk({ role: 'assistant', content: toolCall ? null : '' });
	if (toolCall) chunk({ tool_calls: [{ index: 0, ...toolCall }] });
	else chunk({ content });
	chunk({}, toolCall ? 'tool_calls' : 'stop');
	res.end('data: [DONE]\n\n');
}

function send(res, status, json) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(json));
}

/** A message's text: a string, or the text parts of a content array. */
function textOf(content) {
	if (Array.isArray(content)) return content.map((part) => part?.text ?? '').join('');
	return content;
}

function safeJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

module.exports = { startChatServer, MODEL };
