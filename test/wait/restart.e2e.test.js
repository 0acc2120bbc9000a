// n8n restarted while executions pause (Pause Until Callback), in a real n8n 2.41 with the package:
// a callback that arrives after the restart resumes its execution with the files; an execution whose
// job never calls back still ends at the time limit with an item that names the job, although the
// node's own final check (a timer in the stopped process) was lost with the restart.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-restart-key-5d2a9c1e';
const GOOD = { id: 'LgxRstCredGood01', name: 'Legnext e2e', type: 'legnextApi' };
const WF = { callsBack: 'LgxRstWfCallBack', silent: 'LgxRstWfSilent01' };
const HOOK = { callsBack: 'lgx-restart-calls-back', silent: 'lgx-restart-silent' };
const SLOW = '[e2e-restart-slow]';
const SILENT = '[e2e-restart-silent]';

// The restart takes up to a minute here: the job that calls back runs 90 s so it ends after it.
jest.setTimeout(8 * 60 * 1000);

// The silent job runs 20 s: the node's early check 5 s after its pause (made before the restart, or lost
// with it) still finds it running, so that only n8n's own resume ends that wait.
function durations(_taskType, job) {
	const text = String(job?.body?.text ?? '');
	if (text.includes(SLOW)) return { pending: 2, processing: 88 };
	return text.includes(SILENT) ? { pending: 2, processing: 18 } : { pending: 1, processing: 4 };
}

function pausing(hook, id, prompt, timeLimitMinutes) {
	return support.chainWorkflow(id, `e2e restart: ${prompt}`, [
		support.webhookNode(hook),
		support.legnextNode('Text to Image', GOOD, {
			resource: 'image',
			operation: 'textToImage',
			prompt,
			waitMode: 'callback',
			timeLimitMinutes,
			download: 'grid',
		}),
	]);
}

let world;
let sim;
const executions = {};

beforeAll(async () => {
	world = await support.startWorld({
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
		credentials: (simulator) => [{ ...GOOD, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => [pausing(HOOK.callsBack, WF.callsBack, `A harbour at dusk ${SLOW}`, 5), pausing(HOOK.silent, WF.silent, `A quiet field ${SILENT}`, 0.5)],
		activate: Object.values(WF),
	});
	sim = world.simulator;
	// The silent job never calls back (a lost callback); the other calls back as Legnext does.
	for (const key of ['callsBack', 'silent']) {
		if (key === 'silent') sim.inject({ callbacks: 'missing' });
		await support.callWebhook(world.n8n, HOOK[key]);
		executions[key] = await world.n8n.waitForExecution((e) => e.status === 'waiting', 60000, { workflowId: WF[key] });
		sim.inject({ callbacks: 'normal' });
	}

	// Restart n8n: same folder, same port, so the resume URLs the jobs carry stay valid.
	const { userFolder, port, brokerPort } = world.n8n;
	await world.n8n.stop({ keepUserFolder: true });
	world.n8n = await support.host.startN8n({ userFolder, port, brokerPort });
}, support.INSTALL_AND_START_MS + 120000);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

const jobOf = (mark) => [...sim.jobs.values()].find((job) => String(job.body?.text ?? '').includes(mark));

test('a callback after the restart resumes the paused execution with its files', async () => {
	const job = jobOf(SLOW);
	const done = await world.n8n.waitForExecution((e) => String(e.id) === String(executions.callsBack.id) && support.FINISHED.includes(e.status), 180000, {
		workflowId: WF.callsBack,
	});
	const execution = await world.n8n.getExecution(done.id);
	expect(execution.status).toBe('success');
	const [item] = support.nodeOutput(execution, 'Text to Image');
	expect(item.json).toMatchObject({ jobId: job.id, status: 'completed' });
	expect(item.binary.data).toMatchObject({ mimeType: 'image/png' });
	const callback = sim.callbacks.find((c) => c.jobId === job.id && c.kind === 'final');
	expect(callback.status).toBe(200);
	expect(sim.requests.filter((r) => r.method === 'POST' && String(r.body?.text ?? '').includes(SLOW))).toHaveLength(1);
});

test('no callback at all: n8n still ends the wait after the time limit, with an item that names the job', async () => {
	const job = jobOf(SILENT);
	// Time limit 0.5 min, then n8n's own resume 2 min later (its wait tracker looks every minute).
	const done = await world.n8n.waitForExecution((e) => String(e.id) === String(executions.silent.id) && support.FINISHED.includes(e.status), 300000, {
		workflowId: WF.silent,
	});
	const execution = await world.n8n.getExecution(done.id);
	expect(execution.status).toBe('success');
	const [item] = support.nodeOutput(execution, 'Text to Image');
	expect(item.json).toMatchObject({
		error: `No callback from Legnext for job ${job.id} within 0.5 min (item 0)`,
		details: expect.stringContaining('Job → Get'),
		jobId: job.id,
	});
	// What only the resume reads (the pause's deadline, the item's own wait settings) is not in what the user sees.
	expect(Object.keys(item.json).sort()).toEqual(['details', 'error', 'jobId']);
	expect(sim.requests.filter((r) => r.method === 'POST' && String(r.body?.text ?? '').includes(SILENT))).toHaveLength(1);
});
