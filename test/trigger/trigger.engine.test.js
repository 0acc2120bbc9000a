// The Legnext Trigger in n8n's engine: its URL and token, the callback round trip, and refusals.
const { randomUUID } = require('crypto');
const http = require('http');
const { startWorld, legnextTriggerWorkflow, apiRequests, API_KEY } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

/** legnextTriggerWorkflow, its trigger downloading the four images unless `trigger` says otherwise. */
const callbackWorkflow = (id, { legnext = {}, trigger = {} } = {}) => legnextTriggerWorkflow(world, id, { legnext, trigger: { download: 'images', ...trigger } });

async function post(url, body, headers = { 'content-type': 'application/json' }) {
	const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
	return { status: response.status, text: await response.text() };
}

/** A POST with no content-type header at all (fetch adds one to any string body). */
function postWithoutType(url, text) {
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers: { 'content-length': Buffer.byteLength(text) } }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode));
		});
		request.on('error', reject);
		request.end(text);
	});
}

async function noRun(ms = 1500) {
	await expect(world.engine.nextTriggeredRun({ timeoutMs: ms })).rejects.toThrow();
}

async function finishedJob() {
	const response = await fetch(`${world.simulator.url}/api/v1/diffusion`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify({ text: 'made by the test' }),
	});
	const job = await response.json();
	for (let i = 0; i < 100; i++) {
		const current = await (await fetch(`${world.simulator.url}/api/v1/job/${job.job_id}`, { headers: { 'x-api-key': API_KEY } })).json();
		if (current.status === 'completed') return current;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error('job did not finish');
}

/** The token a Legnext node adds, read off the callback it sent. */
async function tokenSentBy(workflow) {
	world.simulator.reset();
	const run = await world.engine.runWorkflow(workflow, { startNode: 'Start' });
	expect(run.status).toBe('success');
	const sent = new URL(apiRequests(world.simulator).find((r) => r.method === 'POST').body.callback);
	return { url: `${sent.origin}${sent.pathname}`, token: sent.searchParams.get('token'), run };
}

describe('the trigger URL and the round trip', () => {
	const workflow = () => callbackWorkflow('wf-round-trip');
	let url;
	let token;

	beforeAll(async () => {
		const activation = await world.engine.activateWorkflow(workflow());
		url = activation.webhookUrls['Legnext Trigger'];
		// legnext/<workflow ID>: a Legnext node in any n8n process can build it without static data.
		expect(url).toBe(`${world.engine.webhookBaseUrl}webhook/legnext/wf-round-trip`);
		({ token } = await tokenSentBy(workflow()));
		expect(token).toMatch(/^[0-9a-f]{48}$/);
		await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
	});

	test('a Legnext node sends the trigger URL with its token; the callback starts the workflow with the job and its files', async () => {
		const run = await world.engine.runWorkflow(workflow(), { startNode: 'Start' });
		expect(run.status).toBe('success');
		const submitted = apiRequests(world.simulator).find((r) => r.method === 'POST');
		expect(submitted.body.callback).toBe(`${url}?token=${token}`);
		// The output says where the callback went, without the token.
		expect(run.output('Legnext')[0].json.callbackUrl).toBe(`${url}?token=***`);

		const triggered = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(triggered.status).toBe('success');
		const items = triggered.output('Legnext Trigger');
		expect(items).toHaveLength(4);
		expect(items[0].json).toMatchObject({ jobId: run.output('Legnext')[0].json.jobId, status: 'completed' });
		const bytes = await world.engine.binaryBuffer(items[2].binary.data);
		const served = Buffer.from(await (await fetch(items[2].json.imageUrls[2])).arrayBuffer());
		expect(bytes.equals(served)).toBe(true);
		// Verification read the job from the API rather than trusting the callback.
		expect(apiRequests(world.simulator).filter((r) => r.method === 'GET' && r.path.includes(items[0].json.jobId)).length).toBeGreaterThan(0);
	});

	test('refusals: no token, wrong token, not JSON, not a job, over 1 MB', async () => {
		const job = await finishedJob();
		const wrapped = { timestamp: Date.now(), data: job };
		expect((await post(url, wrapped)).status).toBe(401);
		expect((await post(`${url}?token=${'0'.repeat(48)}`, wrapped)).status).toBe(401);
		const withToken = `${url}?token=${token}`;
		expect((await post(withToken, 'job done', { 'content-type': 'text/plain' })).status).toBeGreaterThanOrEqual(400);
		expect((await post(withToken, { hello: 'world' })).status).toBe(400);
		expect((await post(withToken, { ...wrapped, padding: 'x'.repeat(1024 * 1024 + 10) })).status).toBe(413);
		await noRun();
	});

	test('a forged "completed" the API does not confirm starts nothing; a real one twice starts one run', async () => {
		const withToken = `${url}?token=${token}`;
		const unknown = { job_id: randomUUID(), status: 'completed', task_type: 'diffusion', output: { image_urls: ['https://evil.example/x.png'] } };
		expect((await post(withToken, { timestamp: Date.now(), data: unknown })).status).toBe(200);
		await noRun();

		const job = await finishedJob();
		await Promise.all([post(withToken, { timestamp: 1, data: job }), post(withToken, job)]);
		const run = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(run.output('Legnext Trigger')[0].json.jobId).toBe(job.job_id);
		await noRun();
	});

	test('Legnext unreachable through every verification try: the workflow still starts, with an item that names the job and the reason', async () => {
		const job = await finishedJob();
		world.simulator.reset();
		world.simulator.inject({ unreachable: { on: 'job', forSeconds: 3600 } });
		expect((await post(`${url}?token=${token}`, { timestamp: 1, data: job })).status).toBe(200);
		const run = await world.engine.nextTriggeredRun({ timeoutMs: 20_000 });
		const [item] = run.output('Legnext Trigger');
		expect(item.json).toEqual({
			jobId: job.job_id,
			status: 'completed',
			taskType: 'diffusion',
			verified: false,
			verificationError: expect.stringMatching(/Could not reach Legnext/),
		});
		// Retried before giving up; no files fetched from an unconfirmed callback.
		expect(world.simulator.requests.filter((r) => r.path.includes(job.job_id) && r.dropped).length).toBeGreaterThan(1);
		expect(item.binary).toBeUndefined();
	});

	test('a JSON job is read whatever the content type says (text/plain, none)', async () => {
		const withToken = `${url}?token=${token}`;
		const job = await finishedJob();
		expect((await post(withToken, JSON.stringify({ timestamp: 1, data: job }), { 'content-type': 'text/plain' })).status).toBe(200);
		expect((await world.engine.nextTriggeredRun({ timeoutMs: 10_000 })).output('Legnext Trigger')[0].json.jobId).toBe(job.job_id);
		const another = await finishedJob();
		expect(await postWithoutType(withToken, JSON.stringify(another))).toBe(200);
		expect((await world.engine.nextTriggeredRun({ timeoutMs: 10_000 })).output('Legnext Trigger')[0].json.jobId).toBe(another.job_id);
	});

	test('statuses not chosen start nothing (progress callbacks)', async () => {
		const job = await finishedJob();
		expect((await post(`${url}?token=${token}`, { timestamp: 1, data: { ...job, status: 'processing' } })).status).toBe(200);
		await noRun();
	});

	test('a Legnext node in another workflow with the trigger URL by hand: its token is derived from the key', async () => {
		const other = callbackWorkflow('wf-other', { legnext: { callback: 'url', callbackUrl: url } });
		other.nodes = other.nodes.filter((node) => node.name !== 'Legnext Trigger');
		const run = await world.engine.runWorkflow(other, { startNode: 'Start' });
		expect(run.status).toBe('success');
		const sent = apiRequests(world.simulator).find((r) => r.method === 'POST').body.callback;
		// The same token as the trigger's own workflow: it is derived from the key and the URL, never copied.
		expect(sent).toBe(`${url}?token=${token}`);
		const triggered = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(triggered.output('Legnext Trigger')[0].json.status).toBe('completed');
	});

	test('a token made for another workflow is refused', async () => {
		await world.engine.activateWorkflow(callbackWorkflow('wf-neighbour'));
		const { token: neighbours } = await tokenSentBy(callbackWorkflow('wf-neighbour'));
		await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(neighbours).not.toBe(token);
		const job = await finishedJob();
		expect((await post(`${url}?token=${neighbours}`, job)).status).toBe(401);
		await noRun();
		await world.engine.deactivateWorkflow('wf-neighbour');
	});

	test('jobs in flight across a deactivation, an edit and a re-activation still reach the workflow', async () => {
		world.simulator.reset();
		const run = await world.engine.runWorkflow(workflow(), { startNode: 'Start' });
		const jobId = run.output('Legnext')[0].json.jobId;
		await world.engine.deactivateWorkflow('wf-round-trip');
		// While inactive n8n itself refuses the URL; the job is still running at Legnext.
		expect((await post(`${url}?token=${token}`, { job_id: jobId, status: 'completed' })).status).toBeGreaterThanOrEqual(400);
		// The trigger's options changed and the workflow published again.
		await world.engine.activateWorkflow(callbackWorkflow('wf-round-trip', { trigger: { download: 'none' } }));
		const reactivatedAt = Date.now();
		const triggered = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(triggered.output('Legnext Trigger')[0].json).toMatchObject({ jobId, status: 'completed' });
		// Legnext's own callback, made after the re-activation, was accepted.
		const callback = world.simulator.callbacks.find((c) => c.jobId === jobId && c.kind === 'final');
		expect(callback).toMatchObject({ status: 200 });
		expect(callback.at).toBeGreaterThanOrEqual(reactivatedAt - 50);
		expect((await tokenSentBy(workflow())).token).toBe(token);
		await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
	});
});

test('Callback → Legnext Trigger in an inactive workflow says what to do, before any request', async () => {
	const run = await world.engine.runWorkflow(callbackWorkflow('wf-inactive'), { startNode: 'Start' });
	expect(run.status).toBe('error');
	expect(run.error.message).toMatch(/Legnext Trigger of this workflow is not listening/);
	expect(run.error.description).toMatch(/activate/);
	expect(apiRequests(world.simulator)).toHaveLength(0);
});

test('Callback → Custom URL with the Production URL of a trigger whose workflow is not active: refused before any request, per item', async () => {
	const inactive = `${world.engine.webhookBaseUrl}webhook/legnext/wf-not-published`;
	const sender = callbackWorkflow('wf-sender', { legnext: { callback: 'url', callbackUrl: inactive } });
	sender.nodes = sender.nodes.filter((node) => node.name !== 'Legnext Trigger');
	const run = await world.engine.runWorkflow(sender, { startNode: 'Start' });
	expect(run.status).toBe('error');
	expect(run.error.message).toMatch(/Callback URL: the Legnext Trigger at .*webhook\/legnext\/wf-not-published is not listening \(item 0\)/);
	expect(run.error.description).toMatch(/activate/i);
	expect(apiRequests(world.simulator)).toHaveLength(0);

	// The same URL once its workflow is active: sent, and the callback starts that workflow.
	await world.engine.activateWorkflow(callbackWorkflow('wf-not-published'));
	world.simulator.reset();
	const again = await world.engine.runWorkflow(sender, { startNode: 'Start' });
	expect(again.status).toBe('success');
	expect(apiRequests(world.simulator).filter((r) => r.method === 'POST')).toHaveLength(1);
	await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
	await world.engine.deactivateWorkflow('wf-not-published');
});

test('a failed job reaches the trigger with its reason in jobError, and no files are fetched', async () => {
	await world.engine.activateWorkflow(callbackWorkflow('wf-failed'));
	world.simulator.inject({ failJobs: 1 });
	await world.engine.runWorkflow(callbackWorkflow('wf-failed'), { startNode: 'Start' });
	const run = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
	const [item] = run.output('Legnext Trigger');
	expect(item.json.status).toBe('failed');
	expect(item.json.jobError.message).toEqual(expect.any(String));
	expect(item.binary).toBeUndefined();
	await world.engine.deactivateWorkflow('wf-failed');
});

test('a canceled job reaches the trigger (Statuses has Canceled, on by default) with its reason in jobError', async () => {
	await world.engine.activateWorkflow(callbackWorkflow('wf-canceled'));
	world.simulator.inject({ cancelJobs: 1, cancelStatus: 'cancelled', cancelWith: { message: 'Job canceled by moderation' } });
	await world.engine.runWorkflow(callbackWorkflow('wf-canceled'), { startNode: 'Start' });
	const run = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
	const [item] = run.output('Legnext Trigger');
	expect(item.json.status).toBe('cancelled');
	expect(item.json.jobError.message).toBe('Job canceled by moderation');
	expect(item.binary).toBeUndefined();
	await world.engine.deactivateWorkflow('wf-canceled');
});

test('the Task Types filter takes the SDKs\' hyphens (video-diffusion) as the docs\' underscores (video_diffusion)', async () => {
	const workflow = callbackWorkflow('wf-hyphens', {
		legnext: { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', prompt: 'waves' },
		trigger: { taskTypes: ['video_diffusion'], download: 'none' },
	});
	await world.engine.activateWorkflow(workflow);
	world.simulator.inject({ taskTypeSpelling: 'hyphen' });
	await world.engine.runWorkflow(workflow, { startNode: 'Start' });
	const run = await world.engine.nextTriggeredRun({ timeoutMs: 20_000 });
	expect(run.output('Legnext Trigger')[0].json).toMatchObject({ status: 'completed', taskType: 'video-diffusion' });
	await world.engine.deactivateWorkflow('wf-hyphens');
});
