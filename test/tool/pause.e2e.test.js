// The Legnext node as an AI agent's tool with "Pause Until Callback" chosen, in a real n8n 2.41: the
// execution pauses inside the agent's tool call, Legnext's callback resumes it, and the model gets the
// finished job (image URLs), as with Poll Until Done (test/tool/agent.e2e.test.js, whose example this reuses).
const support = require('../harness/e2e/support');
const { agentExampleWorkflow, sendChatMessage, startAgentWorld } = require('../harness/e2e/agent-example');

const API_KEY = 'e2e-legnext-agent-pause-6a1c';
const LEGNEXT = { id: 'LgxE2eCredAgPau1', name: 'Legnext e2e (agent pause)', type: 'legnextApi' };
const OPENAI = { id: 'LgxE2eCredChatP1', name: 'Scripted chat model (pause)', type: 'openAiApi' };
const WF = 'LgxE2eWfAgentPau';

jest.setTimeout(3 * 60 * 1000);

const imported = agentExampleWorkflow({ id: WF, name: 'e2e pause', legnext: LEGNEXT, openai: OPENAI, generateImages: { waitMode: 'callback' } });

let world;
let sim;
let chat;
let n8n;

beforeAll(async () => {
	world = await startAgentWorld({
		apiKey: API_KEY,
		legnext: LEGNEXT,
		openai: OPENAI,
		workflow: imported,
		chat: { toolName: 'Generate_Images', toolArguments: () => ({ prompt: 'a red fox asleep in the snow' }), finalAnswer: (content) => `TOOL SAID: ${content}` },
	});
	({ n8n, simulator: sim, chat } = world);
}, support.INSTALL_AND_START_MS);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

test('the tool call pauses, the callback resumes it, and the model gets the image URLs', async () => {
	// As the hosted chat page sends it; its answer is not awaited: the run pauses inside the tool call.
	sendChatMessage(n8n, imported, 'Draw a fox').catch(() => {});
	const summary = await n8n.waitForExecution((e) => support.FINISHED.includes(e.status), 120000, { workflowId: WF });
	const execution = await n8n.getExecution(summary.id);
	expect(execution.status).toBe('success');

	const submits = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion');
	expect(submits).toHaveLength(1);
	expect(submits[0].body.callback).toMatch(/\/webhook-waiting\//);
	const [job] = [...sim.jobs.values()];
	expect(sim.callbacks.find((c) => c.jobId === job.id && c.kind === 'final')).toMatchObject({ status: 200 });

	const toolMessage = chat.completions().flatMap((r) => r.body.messages).find((m) => m.role === 'tool');
	const [result] = JSON.parse(toolMessage.content);
	expect(result).toMatchObject({ jobId: job.id, status: 'completed', imageUrls: sim.view(job.id).output.image_urls });
	expect(support.nodeOutput(execution, 'AI Agent')[0].json.output).toContain(job.id);
});
