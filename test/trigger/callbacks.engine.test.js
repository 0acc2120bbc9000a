// The Legnext Trigger's callbacks (issue 21): the dedupe window against late replays, jobs sent to
// another URL, and a callback that arrives before Legnext's API has caught up. In n8n's engine.
const path = require('path');
const { startWorld, legnextTriggerWorkflow, API_KEY, ROOT } = require('../harness/world');
const { requireFromCore } = require('../harness/engine/n8n');

/** n8n's logger, the one a node's `this.logger` is. */
const n8nLogger = () => requireFromCore('@n8n/di').Container.get(requireFromCore('@n8n/backend-common').Logger);

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

async function post(url, body) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, text: await response.text() };
}

async function noRun(ms = 1500) {
	await expect(world.engine.nextTriggeredRun({ timeoutMs: ms })).rejects.toThrow();
}

/** A job made straight at the API with this callback, once it has ended. */
async function finishedJob(callback) {
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	const job = await (await fetch(`${world.simulator.url}/api/v1/diffusion`, { method: 'POST', headers, body: JSON.stringify({ text: 'elsewhere', callback }) })).json();
	for (let i = 0; i < 100; i++) {
		const current = await (await fetch(`${world.simulator.url}/api/v1/job/${job.job_id}`, { headers })).json();
		if (current.status === 'completed') return current;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error('job did not finish');
}

/** Runs the Legnext node of the workflow; its job's callback and the execution it started. */
async function roundTrip(id) {
	const run = await world.engine.runWorkflow(legnextTriggerWorkflow(world, id), { startNode: 'Start' });
	expect(run.status).toBe('success');
	const triggered = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
	await world.simulator.whenCallbacksSettled();
	const callback = world.simulator.callbacks.find((c) => c.kind === 'final');
	return { jobId: run.output('Legnext')[0].json.jobId, triggered, callback };
}

describe('the dedupe window', () => {
	test('a genuine callback replayed after an hour (and after a day) starts no second execution', async () => {
		await world.engine.activateWorkflow(legnextTriggerWorkflow(world, 'wf-replay'));
		const { jobId, triggered, callback } = await roundTrip('wf-replay');
		expect(triggered.output('Legnext Trigger')[0].json.jobId).toBe(jobId);

		const realNow = Date.now;
		try {
			for (const later of [61 * 60_000, 25 * 60 * 60_000]) {
				Date.now = () => realNow() + later;
				expect((await post(callback.url, callback.body)).status).toBe(200);
				await noRun();
			}
		} finally {
			Date.now = realNow;
		}
		await world.engine.deactivateWorkflow('wf-replay');
	});

	test('the same callback replayed as "Completed" or "COMPLETED " starts no second execution', async () => {
		await world.engine.activateWorkflow(legnextTriggerWorkflow(world, 'wf-replay-case'));
		const { jobId, triggered, callback } = await roundTrip('wf-replay-case');
		expect(triggered.output('Legnext Trigger')[0].json.jobId).toBe(jobId);
		expect(callback.body.data.status).toBe('completed');
		for (const status of ['Completed', 'COMPLETED ']) {
			const replay = { ...callback.body, data: { ...callback.body.data, status } };
			const answer = await post(callback.url, replay);
			expect(answer.status).toBe(200);
			expect(JSON.parse(answer.text)).toMatchObject({ started: false, reason: 'duplicate' });
			await noRun();
		}
		await world.engine.deactivateWorkflow('wf-replay-case');
	});

	test('the record stays bounded: at most 2,000 entries, about 120 KB', () => {
		const { firstTimeSeen, MAX_SEEN } = require(path.join(ROOT, 'dist/nodes/LegnextTrigger/dedupe'));
		const seen = {};
		const start = Date.now();
		for (let n = 0; n < 2_500; n++) firstTimeSeen(seen, `${require('crypto').randomUUID()}:completed`, start + n);
		expect(Object.keys(seen).length).toBe(MAX_SEEN);
		expect(JSON.stringify(seen).length).toBeLessThan(130_000);
	});
});

describe('jobs sent to another callback URL', () => {
	test('refused when the callback says so, and when only Legnext’s API does', async () => {
		await world.engine.activateWorkflow(legnextTriggerWorkflow(world, 'wf-elsewhere'));
		const url = world.engine.webhookUrl('wf-elsewhere', 'Legnext Trigger');
		const { callback } = await roundTrip('wf-elsewhere');
		const token = new URL(callback.url).searchParams.get('token');

		const job = await finishedJob('https://elsewhere.example/hook');
		expect(job.config.webhook_config.endpoint).toBe('https://elsewhere.example/hook');
		expect((await post(`${url}?token=${token}`, { timestamp: 1, data: job })).status).toBe(409);
		await noRun();
		// The same job with its config left out of the body: the API's copy says where it was sent.
		const { config, ...bare } = job;
		void config;
		const warnings = jest.spyOn(n8nLogger(), 'warn');
		try {
			expect((await post(`${url}?token=${token}`, { timestamp: 1, data: bare })).status).toBe(200);
			await noRun();
			// Answered, then refused after verification: n8n's log says which job and why.
			expect(warnings.mock.calls.map(([message]) => message)).toContainEqual(
				expect.stringMatching(new RegExp(`job ${job.job_id} \\(completed\\) started nothing: job ${job.job_id} was sent with another callback URL \\(https://elsewhere.example/hook\\)`)),
			);
		} finally {
			warnings.mockRestore();
		}
		await world.engine.deactivateWorkflow('wf-elsewhere');
	});
});

describe('a callback that arrives before Legnext’s API has caught up', () => {
	test('"completed" while the API still says "processing": read again, then the workflow starts with the job', async () => {
		await world.engine.activateWorkflow(legnextTriggerWorkflow(world, 'wf-lag'));
		world.simulator.inject({ unknownStatus: 'processing', unknownStatusPolls: 2 });
		const { jobId, triggered } = await roundTrip('wf-lag');
		const [item] = triggered.output('Legnext Trigger');
		expect(item.json).toMatchObject({ jobId, status: 'completed' });
		expect(item.json.verified).toBeUndefined();
		expect(world.simulator.requests.filter((r) => r.method === 'GET' && r.path.includes(jobId))).toHaveLength(3);
		await world.engine.deactivateWorkflow('wf-lag');
	});

	test('still "processing" after the re-reads: the workflow starts with an item that names the job and says so', async () => {
		await world.engine.activateWorkflow(legnextTriggerWorkflow(world, 'wf-lag-long'));
		world.simulator.inject({ unknownStatus: 'processing', unknownStatusPolls: 100 });
		const { jobId, triggered } = await roundTrip('wf-lag-long');
		const [item] = triggered.output('Legnext Trigger');
		expect(item.json).toMatchObject({ jobId, status: 'completed', verified: false, verificationError: expect.stringMatching(/still answered "processing"/) });
		expect(world.simulator.requests.filter((r) => r.method === 'GET' && r.path.includes(jobId)).length).toBeLessThanOrEqual(5);
		await world.engine.deactivateWorkflow('wf-lag-long');
	});
});
