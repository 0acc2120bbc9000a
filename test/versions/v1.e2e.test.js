// Version 1 of the Legnext node in a real n8n 2.41: workflows as Legnext's published node 0.1.0
// saves them (typeVersion 1, only non-default parameters) with a 0.1.0 credential (API key only),
// after upgrading to this package. The simulator's address reaches that credential through n8n's
// CREDENTIALS_OVERWRITE_DATA, which fills only what the stored credential leaves empty.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-legnext-v1-key-52d7a1c4';
const CREDENTIAL = { id: 'LgxE2eCredV1Only', name: 'Legnext (0.1.0)', type: 'legnextApi' };
const WF = { chain: 'LgxE2eWfV1Chain1', followUps: 'LgxE2eWfV1Follow' };
const HOOK = { chain: 'lgx-e2e-v1-chain', followUps: 'lgx-e2e-v1-follow-ups' };
const UUID = /^[0-9a-f-]{36}$/;

jest.setTimeout(3 * 60 * 1000);

/** A node as 0.1.0 saved it. */
function node010(name, parameters, settings = {}) {
	return { ...support.legnextNode(name, CREDENTIAL, parameters), typeVersion: 1, ...settings };
}

function workflows() {
	const { chainWorkflow, webhookNode } = support;
	return [
		chainWorkflow(WF.chain, 'e2e 0.1.0: Imagine, Get job, Get balance', [
			webhookNode(HOOK.chain),
			// Retry On Fail, as many 0.1.0 users set it: 0.1.0's `error: {code: 0}` made n8n run it again.
			node010('Imagine', { text: '={{ $json.body.prompt }}' }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 }),
			node010('Get Job', { resource: 'job', jobId: '={{ $json.job_id }}' }),
			node010('Get Balance', { resource: 'account' }),
		]),
		chainWorkflow(WF.followUps, 'e2e 0.1.0: Pan down, then Video Diffusion from the same job', [
			webhookNode(HOOK.followUps),
			node010('Pan', { operation: 'pan', jobId: '={{ $json.body.jobId }}', direction: 0 }),
			node010('Video Diffusion', { resource: 'video', jobId: "={{ $('Start').item.json.body.jobId }}" }),
		]),
	];
}

let world;
let n8n;
let sim;

beforeAll(async () => {
	const simulatorPort = await support.host.freePort();
	world = await support.startWorld({
		simulator: { apiKeys: [API_KEY], timeScale: 1, port: simulatorPort, durations: () => ({ pending: 1, processing: 1 }) },
		credentials: () => [{ ...CREDENTIAL, data: { apiKey: API_KEY } }],
		env: { CREDENTIALS_OVERWRITE_DATA: JSON.stringify({ legnextApi: { baseUrl: `http://127.0.0.1:${simulatorPort}` } }) },
		workflows: () => workflows(),
		activate: Object.values(WF),
	});
	({ n8n, simulator: sim } = world);
}, support.INSTALL_AND_START_MS);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

async function runByWebhook(hook, workflowId, body) {
	const known = await support.executionIds(n8n, workflowId);
	await support.callWebhook(n8n, hook, body);
	const summary = await support.waitForNewFinishedExecution(n8n, workflowId, known, 60000);
	const execution = await n8n.getExecution(summary.id);
	if (execution.status !== 'success') throw new Error(support.describeExecution(execution));
	return execution;
}

const apiRequests = () => sim.requests.filter((r) => r.path.startsWith('/api/'));

test('Imagine → Get Job → Get Balance: 0.1.0’s requests and outputs, one job despite Retry On Fail', async () => {
	const execution = await runByWebhook(HOOK.chain, WF.chain, { prompt: 'a lighthouse at dawn --ar 3:2' });

	const submits = apiRequests().filter((r) => r.method === 'POST');
	expect(submits).toHaveLength(1);
	expect(submits[0]).toMatchObject({ path: '/api/v1/diffusion', status: 200 });
	expect(submits[0].body).toEqual({ text: 'a lighthouse at dawn --ar 3:2' });
	expect(sim.createdJobs()).toBe(1);

	const [submitted] = support.nodeOutput(execution, 'Imagine');
	expect(submitted.json).toMatchObject({ status: 'pending', task_type: 'diffusion', jobError: null });
	expect(submitted.json.job_id).toMatch(UUID);
	expect(submitted.json).not.toHaveProperty('error');
	expect(execution.data.resultData.runData.Imagine).toHaveLength(1);

	const [got] = support.nodeOutput(execution, 'Get Job');
	expect(got.json.job_id).toBe(submitted.json.job_id);
	expect(got.json).not.toHaveProperty('error');
	expect(apiRequests().filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${submitted.json.job_id}`)).toHaveLength(1);

	const [balance] = support.nodeOutput(execution, 'Get Balance');
	expect(Object.keys(balance.json).sort()).toEqual(['code', 'data', 'message']);
	expect(balance.json.data).toMatchObject({ available_points: expect.any(Number) });
});

test('Pan down and Video Diffusion from a finished job: 0.1.0’s defaults fill the bodies, nothing empty is sent', async () => {
	const first = await runByWebhook(HOOK.chain, WF.chain, { prompt: 'a harbour at night' });
	const jobId = support.nodeOutput(first, 'Imagine')[0].json.job_id;
	// Simulated jobs take 2 s; follow-ups need a finished parent.
	await support.delay(2500);
	const before = apiRequests().length;

	const execution = await runByWebhook(HOOK.followUps, WF.followUps, { jobId });
	const sent = apiRequests().slice(before).filter((r) => r.method === 'POST');
	expect(sent.map((r) => [r.path, r.body])).toEqual([
		['/api/v1/pan', { jobId, imageNo: 0, direction: 0, scale: 1.5 }],
		['/api/v1/video-diffusion', { jobId, imageNo: 0, videoType: 0 }],
	]);
	expect(support.nodeOutput(execution, 'Pan')[0].json).toMatchObject({ status: 'pending', task_type: 'pan', jobError: null });
	expect(support.nodeOutput(execution, 'Video Diffusion')[0].json).toMatchObject({ status: 'pending', task_type: 'video_diffusion' });
});

test('the editor gets both versions: 2 for new nodes, 1 with the notice about the newer version', async () => {
	const response = await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie: n8n.cookie, 'browser-id': n8n.browserId } });
	expect(response.ok).toBe(true);
	const types = (await response.json()).filter((type) => type.name === support.NODE_TYPE);
	expect(types.map((type) => type.version).sort()).toEqual([1, 2]);
	const v1 = types.find((type) => type.version === 1);
	expect(v1.properties[0]).toMatchObject({ type: 'notice', displayName: expect.stringMatching(/newer version waits for the result/) });
	expect(v1.subtitle).toContain('"image:imagine":"Image → Imagine"');
	expect(types.find((type) => type.version === 2).defaultVersion).toBe(2);
	// Each version's icon is served (n8n resolves them from the entry file's folder).
	for (const type of types) {
		for (const url of [type.iconUrl.light, type.iconUrl.dark]) {
			const icon = await fetch(`${n8n.baseUrl}/${url}`, { headers: { cookie: n8n.cookie, 'browser-id': n8n.browserId } });
			expect([url, icon.status, (await icon.text()).slice(0, 4)]).toEqual([url, 200, '<svg']);
		}
	}
});
