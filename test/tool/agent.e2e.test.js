// The Legnext node as an AI agent's tool in a real n8n 2.41 (scripts/n8n-host): the README's example
// workflow (examples/ai-agent-legnext-tools.json: an AI Agent 3 (n8n 1.123 has no 3.1) with two Legnext tools, Generate
// Images and Upscale Image, their fields from `$fromAI`), its Chat Trigger made public and sent each
// message over HTTP as n8n's hosted chat page does, its OpenAI Chat Model (Chat Completions, not the Responses API) talking to a scripted chat
// server in this process (chat-server.js). The model calls Generate Images with a prompt of its
// choosing, then answers from what the tool returned. Read back: what the model was offered and
// told (the chat server's requests), what reached Legnext (the simulator's), and the agent's answer
// as n8n recorded it.
//
// Timing: the node's first look at an image job comes 30 s after the submit; the simulator's jobs
// take 3 s, so that look finds them done. Both runs start together in beforeAll and share those 30 s.

const support = require('../harness/e2e/support');
const { agentExampleWorkflow, chatTriggerName, sendChatMessage, startAgentWorld } = require('../harness/e2e/agent-example');

const API_KEY = 'e2e-legnext-agent-key-3b9d0e17';
const LEGNEXT = { id: 'LgxE2eCredAgent1', name: 'Legnext e2e (agent)', type: 'legnextApi' };
const OPENAI = { id: 'LgxE2eCredChat01', name: 'Scripted chat model', type: 'openAiApi' };
const WF = 'LgxE2eWfAgent001';
const FAIL_MARK = '[e2e-fail]';
const FILE_PATH = /\/files\/[0-9a-f-]{36}\//;

/** The user's requests; the model turns each into its own prompt (toolArguments below). */
const ASK = { images: 'Draw a red fox asleep in the snow', failing: `Draw a forbidden thing ${FAIL_MARK}` };
const chosenPrompt = (userText) => `${userText.replace(/^Draw /, '')}, watercolor --ar 3:2`;

jest.setTimeout(3 * 60 * 1000);

/** The scripted model's final message, from the tool's result: the image URLs, or the tool's error. */
function finalAnswer(toolContent) {
	let result;
	try {
		result = JSON.parse(toolContent);
	} catch {
		return `The tool answered something I cannot read: ${toolContent}`;
	}
	const first = Array.isArray(result) ? result[0] : result;
	if (first?.imageUrls?.length) return `Here are your four pictures (job ${first.jobId}):\n${first.imageUrls.join('\n')}`;
	return `Legnext could not make the picture. ${first?.error ?? toolContent}`;
}

const TOOL = 'Generate_Images'; // the node "Generate Images", as n8n names the tool

/**
 * The example with its chat made public, the scripted model and the test's credentials.
 * Files are of no use to a model: in tool mode the node offers no downloads and makes none, even
 * when Generate Images asks for its images.
 */
function workflow() {
	const workflow = agentExampleWorkflow({ id: WF, name: 'e2e', legnext: LEGNEXT, openai: OPENAI, generateImages: { download: 'images' } });
	const tools = workflow.nodes.filter((node) => node.credentials?.legnextApi);
	for (const node of tools) expect(node.type).toBe(`${support.NODE_TYPE}Tool`);
	return workflow;
}

const imported = workflow();
let world;
let chat;
let sim;
let n8n;
/** Both runs' finished executions, by user request (ASK's keys). */
let finished;
/** What the chat answered each request (ASK's keys), as the hosted chat page receives it. */
const answered = {};
const run = async (key) => (await finished)[key];

/** The chat-completion requests of one conversation (its user message), in order. */
const conversation = (userText) =>
	chat.completions().filter((r) => r.body.messages?.some((m) => m.role === 'user' && String(m.content).includes(userText)));

/** The tool message the model received in a conversation. */
function toolMessage(userText) {
	const requests = conversation(userText);
	return requests.flatMap((r) => r.body.messages).find((m) => m.role === 'tool');
}

/** The two executions, told apart by the message their Chat Trigger received. */
async function bothFinished(timeoutMs = 150000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = (await n8n.listExecutions(WF)).filter((e) => support.FINISHED.includes(e.status));
		if (done.length >= 2) {
			const executions = await Promise.all(done.map((e) => n8n.getExecution(e.id)));
			const request = (e) => support.nodeOutput(e, chatTriggerName(imported))?.[0]?.json?.chatInput;
			return Object.fromEntries(Object.entries(ASK).map(([key, text]) => [key, executions.find((e) => request(e) === text)]));
		}
		if (Date.now() > deadline) throw new Error(`Both runs not finished after ${timeoutMs} ms: ${JSON.stringify(done)}`);
		await support.delay(1000);
	}
}


beforeAll(async () => {
	world = await startAgentWorld({
		apiKey: API_KEY,
		legnext: LEGNEXT,
		openai: OPENAI,
		workflow: imported,
		chat: { toolName: TOOL, toolArguments: (userText) => ({ prompt: chosenPrompt(userText) }), finalAnswer },
	});
	({ n8n, simulator: sim, chat } = world);
	sim.inject({ failJobsWhen: (body) => String(body?.text ?? '').includes(FAIL_MARK) });

	// Both chats at once: n8n answers each when its run ends.
	for (const [key, text] of Object.entries(ASK)) {
		answered[key] = sendChatMessage(n8n, imported, text);
		answered[key].catch(() => {}); // awaited (and reported) by the tests
	}
	finished = bothFinished();
	finished.catch(() => {}); // awaited (and reported) by the tests
}, support.INSTALL_AND_START_MS);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

test('the model is offered the two Legnext tools, each saying what it does, how long it takes and what comes back', async () => {
	await run('images');
	const [first] = conversation(ASK.images);
	const tools = Object.fromEntries(first.body.tools.map((t) => [t.function.name, t.function]));
	expect(Object.keys(tools).sort()).toEqual(['Generate_Images', 'Upscale_Image']);

	const generate = tools.Generate_Images;
	// The node's own text, not n8n's default ("<action> in Legnext"): what it does, how long, what comes back.
	expect(generate.description).toMatch(/^Create four Midjourney images .* from a text prompt\./);
	expect(generate.description).toMatch(/Takes 30–90 seconds: the call returns when the job is done, with four image URLs \(imageUrls\) and the job ID\.$/);
	expect(Object.keys(generate.parameters.properties)).toEqual(['prompt']);
	expect(generate.parameters.properties.prompt.description).toMatch(/Midjourney prompt/);

	const upscale = tools.Upscale_Image;
	expect(upscale.description).toMatch(/^Make one of the four images of an earlier job larger .* Takes 90–120 seconds: .* the image URL \(imageUrls\) and the job ID\.$/);
	expect(Object.keys(upscale.parameters.properties).sort()).toEqual(['imageNo', 'jobId']);
	expect(upscale.parameters.properties.imageNo.type).toBe('number');
});

test('the prompt the model chose reaches Legnext, the tool waits for the job, and the answer carries its image URLs', async () => {
	const execution = await run('images');
	support.expectStatus(execution, 'success');
	const prompt = chosenPrompt(ASK.images);

	// Legnext received the model's prompt, once.
	const submits = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && r.body?.text === prompt);
	expect(submits).toHaveLength(1);
	const job = [...sim.jobs.values()].find((j) => j.body?.text === prompt);
	const view = sim.view(job.id);
	expect(view.status).toBe('completed');
	expect(view.output.image_urls).toHaveLength(4);

	// The tool polled until the job was done, and only then did the model hear back.
	const [, second] = conversation(ASK.images);
	const checks = sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${job.id}`);
	expect(checks.length).toBeGreaterThanOrEqual(1);
	expect(second.at).toBeGreaterThan(Math.max(...checks.map((r) => r.at)));
	expect(second.at).toBeGreaterThan(Date.parse(view.meta.ended_at));
	const result = JSON.parse(toolMessage(ASK.images).content);
	expect(result).toHaveLength(1);
	expect(result[0]).toMatchObject({ jobId: job.id, status: 'completed', imageUrls: view.output.image_urls });
	// No files: the node made no downloads in tool mode although the workflow asks for images.
	expect(sim.requests.filter((r) => FILE_PATH.test(r.path) && r.at >= submits[0].at && r.at <= second.at)).toEqual([]);

	// The agent's answer, as n8n recorded it and as the chat showed it, carries the four URLs.
	const [answer] = support.nodeOutput(execution, 'AI Agent');
	for (const url of view.output.image_urls) expect(answer.json.output).toContain(url);
	expect(answer.json.output).toContain(job.id);
	const shown = await answered.images;
	expect(shown.status).toBe(200);
	expect(JSON.parse(shown.text)).toEqual({ output: answer.json.output });
});

test('a job that fails: the model is told Legnext’s reason and what to do, in one message without an item suffix', async () => {
	const execution = await run('failing');
	support.expectStatus(execution, 'success'); // the agent goes on and answers with what the tool said
	const job = [...sim.jobs.values()].find((j) => String(j.body?.text ?? '').includes(FAIL_MARK));
	expect(job.body.text).toBe(chosenPrompt(ASK.failing));
	const view = sim.view(job.id);
	expect(view.status).toBe('failed');

	const message = toolMessage(ASK.failing);
	console.log(`Tool message the model received on a failed job:\n${message.content}`);
	const [error] = JSON.parse(message.content);
	expect(typeof error.error).toBe('string');
	expect(error.error).toContain(job.id);
	expect(error.error).toContain(view.error.message); // Legnext's reason …
	expect(error.error).toContain(view.error.raw_message); // … with its raw message
	expect(error.error).toMatch(/Adjust the prompt/); // what to do
	expect(error.error).not.toMatch(/\(item \d+\)/);

	const [answer] = support.nodeOutput(execution, 'AI Agent');
	expect(answer.json.output).toContain(view.error.raw_message);

	// The Legnext key reaches neither the model nor what n8n recorded.
	expect(JSON.stringify(chat.requests)).not.toContain(API_KEY);
	expect(JSON.stringify(execution)).not.toContain(API_KEY);
	expect(n8n.logs()).not.toContain(API_KEY);
});
