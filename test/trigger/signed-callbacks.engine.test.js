// Signed callbacks in n8n's engine. Legnext's Python SDK verifies `X-Legnext-Signature`, the hex
// HMAC-SHA256 of "<X-Legnext-Timestamp>." + raw body with the account's webhook secret. With the
// credential's Webhook Secret set, the Legnext Trigger and the resume of Pause Until Callback refuse a
// callback whose signature is missing, wrong or older than 5 minutes; the check runs over the raw
// bytes n8n received (the engine harness keeps them as req.rawBody, as n8n's body parser does).
const crypto = require('crypto');
const { startWorld, legnextWorkflow, apiRequests, API_KEY } = require('../harness/world');

const SECRET = 'whsec-0123456789';
const CREDENTIAL = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };

let world;
beforeAll(async () => {
	world = await startWorld({ webhookSecret: SECRET }, { credentials: { webhookSecret: SECRET } });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const sign = (text, timestamp = String(Math.floor(Date.now() / 1000)), secret = SECRET) => ({
	'x-legnext-timestamp': timestamp,
	'x-legnext-signature': crypto.createHmac('sha256', secret).update(`${timestamp}.${text}`).digest('hex'),
});

async function post(url, text, headers) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
	return { status: response.status, body: await response.text() };
}

async function noRun(ms = 1500) {
	await expect(world.engine.nextTriggeredRun({ timeoutMs: ms })).rejects.toThrow();
}

async function finishedJob() {
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	const job = await (await fetch(`${world.simulator.url}/api/v1/diffusion`, { method: 'POST', headers, body: JSON.stringify({ text: 'made by the test' }) })).json();
	for (let i = 0; i < 100; i++) {
		const current = await (await fetch(`${world.simulator.url}/api/v1/job/${job.job_id}`, { headers })).json();
		if (current.status === 'completed') return current;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error('job did not finish');
}

const lastCallbacks = () => world.simulator.callbacks.filter((c) => c.kind === 'final');

describe('the Legnext Trigger with a Webhook Secret', () => {
	const workflow = {
		id: 'wf-signed',
		name: 'wf-signed',
		nodes: [
			{ id: 's-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 's-legnext',
				name: 'Legnext',
				type: 'PLACEHOLDER',
				typeVersion: 2,
				position: [200, 0],
				parameters: { resource: 'image', operation: 'textToImage', prompt: 'a fox', waitMode: 'none', callback: 'trigger' },
				credentials: CREDENTIAL,
			},
			{
				id: 's-trigger',
				name: 'Legnext Trigger',
				type: 'PLACEHOLDER',
				typeVersion: 1,
				position: [0, 200],
				webhookId: 's-hook',
				parameters: { download: 'none' },
				credentials: CREDENTIAL,
			},
		],
		connections: { Start: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] } },
	};
	let url;

	beforeAll(async () => {
		workflow.nodes[1].type = world.legnext;
		workflow.nodes[2].type = world.trigger;
		const activation = await world.engine.activateWorkflow(workflow);
		url = activation.webhookUrls['Legnext Trigger'];
	});

	async function sendJob() {
		const run = await world.engine.runWorkflow(workflow, { startNode: 'Start' });
		expect(run.status).toBe('success');
		return run.output('Legnext')[0].json.jobId;
	}

	test('Legnext\'s signed callback starts the workflow', async () => {
		const jobId = await sendJob();
		const run = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(run.output('Legnext Trigger')[0].json).toMatchObject({ jobId, status: 'completed' });
		expect(lastCallbacks()[0]).toMatchObject({ status: 200, headers: { 'x-legnext-signature': expect.stringMatching(/^[0-9a-f]{64}$/) } });
	});

	test.each([
		['wrong', {}, /does not match the body and the Webhook Secret/],
		['stale', { staleBy: 600 }, /6\d\d s old, more than the 300 s allowed/],
		['missing', {}, /not signed/],
	])('a %s signature is refused (401) and starts nothing', async (callbackSignature, extra, reason) => {
		world.simulator.inject({ callbackSignature, ...extra });
		await sendJob();
		await noRun();
		await world.simulator.whenCallbacksSettled();
		const [callback] = lastCallbacks();
		expect(callback.status).toBe(401);
		expect(JSON.parse(callback.responseBody).error).toMatch(reason);
	});

	test('a signature over the raw body alone (no timestamp, as the SDK also accepts) is accepted', async () => {
		world.simulator.inject({ callbackSignature: 'bodyOnly' });
		const jobId = await sendJob();
		const run = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		expect(run.output('Legnext Trigger')[0].json.jobId).toBe(jobId);
	});

	test('checked over the bytes received: a body laid out its own way is accepted, the same JSON re-serialized is not', async () => {
		const withToken = `${url}?token=${await tokenFor()}`;
		const job = await finishedJob();
		// Key order and spacing n8n's parser would not keep: only the raw bytes verify.
		const raw = `{ "data" : ${JSON.stringify(job, null, 2)},\n  "timestamp": 1 }`;
		const headers = sign(raw);
		const reserialized = JSON.stringify(JSON.parse(raw));
		expect((await post(withToken, reserialized, headers)).status).toBe(401);
		await noRun(800);
		expect((await post(withToken, raw, headers)).status).toBe(200);
		expect((await world.engine.nextTriggeredRun({ timeoutMs: 10_000 })).output('Legnext Trigger')[0].json.jobId).toBe(job.job_id);
		// Signed, sent as text: read all the same.
		const another = await finishedJob();
		const text = JSON.stringify(another);
		expect((await post(withToken, text, { ...sign(text), 'content-type': 'text/plain' })).status).toBe(200);
		expect((await world.engine.nextTriggeredRun({ timeoutMs: 10_000 })).output('Legnext Trigger')[0].json.jobId).toBe(another.job_id);
	});

	/** The token a Legnext node adds to this trigger's URL, read off the callback it sent. */
	async function tokenFor() {
		await sendJob();
		await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		return new URL(apiRequests(world.simulator).find((r) => r.method === 'POST').body.callback).searchParams.get('token');
	}
});

describe('Pause Until Callback with a Webhook Secret', () => {
	const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', waitMode: 'callback', download: 'none', ...extra });
	const items = [{ p: 'a' }, { p: 'b' }];

	test('signed callbacks resume the execution', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ timeLimitMinutes: 60 }), { items }));
		expect(run.status).toBe('waiting');
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.output('Legnext').map((item) => item.json.status)).toEqual(['completed', 'completed']);
		expect(lastCallbacks().some((c) => c.status === 200)).toBe(true);
	});

	test('wrong signatures are refused (401); only the node\'s own checks resume it', async () => {
		world.simulator.inject({ callbackSignature: 'wrong' });
		const checks = [];
		const record = (event) => checks.push(event.url);
		world.engine.events.on('waitingWebhookRequest', record);
		try {
			// 4 minutes of job time: 1.2 s here; the jobs end (and call back) after about 0.3 s, and the node's
			// own check 2 minutes of job time after the pause reads them ended.
			const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ timeLimitMinutes: 4 }), { items }));
			expect(run.status).toBe('waiting');
			const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
			expect(done.output('Legnext').map((item) => item.json.status)).toEqual(['completed', 'completed']);
			const callbacks = lastCallbacks();
			expect(callbacks).toHaveLength(2);
			for (const callback of callbacks) {
				expect(callback.status).toBe(401);
				expect(JSON.parse(callback.responseBody).error).toMatch(/does not match/);
			}
			// What resumed it: a check the node signed (the refused callbacks came first).
			expect(checks.filter((url) => url.includes('legnextFinalCheck=')).length).toBeGreaterThan(0);
		} finally {
			world.engine.events.off('waitingWebhookRequest', record);
		}
	});

	test('a stale signature is refused the same way', async () => {
		world.simulator.inject({ callbackSignature: 'stale', staleBy: 3600 });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ timeLimitMinutes: 4 }), { items: [{ p: 'a' }] }));
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.output('Legnext')[0].json.status).toBe('completed');
		expect(lastCallbacks()[0].status).toBe(401);
		expect(JSON.parse(lastCallbacks()[0].responseBody).error).toMatch(/36\d\d s old/);
	});
});
