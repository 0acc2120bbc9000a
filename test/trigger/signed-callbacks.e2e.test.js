// Signed callbacks in a real n8n, on each version users run (1.123.x and 2.41; LEGNEXT_E2E_N8N_VERSIONS
// picks): the credential's Webhook Secret makes the Legnext Trigger and the resume of Pause Until
// Callback check X-Legnext-Signature (hex HMAC-SHA256 of "<X-Legnext-Timestamp>." + raw body, Legnext's
// Python SDK's scheme) over the bytes n8n's own body parser kept (req.rawBody), with a 5-minute window
// against replays.
const crypto = require('node:crypto');

const support = require('../harness/e2e/support');

const API_KEY = 'e2e-signed-key-5b0e7d21';
const SECRET = 'whsec-e2e-3f9a1c77';
const GOOD = { id: 'LgxSigCredGood01', name: 'Legnext e2e signed', type: 'legnextApi' };
const WF = { trigger: 'LgxSigWfTrigger1', send: 'LgxSigWfSend0001', pause: 'LgxSigWfPause001' };
const HOOK = { send: 'lgx-signed-send', pause: 'lgx-signed-pause' };

const VERSIONS = support.versionsUnderTest();

jest.setTimeout(3 * 60 * 1000);

function workflows(n8nBaseUrl) {
	const { chainWorkflow, webhookNode, textToImageNode, triggerNode } = support;
	return [
		chainWorkflow(WF.trigger, 'e2e signed: Legnext Trigger', [triggerNode('Legnext Trigger', GOOD, { download: 'none' })]),
		chainWorkflow(WF.send, 'e2e signed: Text to Image calling back the trigger', [
			webhookNode(HOOK.send),
			textToImageNode('Text to Image', GOOD, 'A signed fox', { waitMode: 'none', callback: 'url', callbackUrl: support.triggerUrl(n8nBaseUrl, WF.trigger) }),
		]),
		chainWorkflow(WF.pause, 'e2e signed: Text to Image, pause until callback', [
			webhookNode(HOOK.pause),
			textToImageNode('Text to Image', GOOD, 'A signed owl', { waitMode: 'callback', timeLimitMinutes: 30 }),
		]),
	];
}

describe.each(VERSIONS)('n8n %s', (version) => {
	let n8n;
	let sim;
	/** How long the next jobs run (real seconds). */
	let jobSeconds = 2;

	const world = support.useWorld(() => ({
		version,
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations: () => ({ pending: 1, processing: jobSeconds }), webhookSecret: SECRET },
		credentials: (simulator) => [{ ...GOOD, data: { apiKey: API_KEY, baseUrl: simulator.url, webhookSecret: SECRET } }],
		workflows: (_simulator, n8nBaseUrl) => workflows(n8nBaseUrl),
		activate: Object.values(WF),
	}));
	beforeAll(() => {
		({ n8n, simulator: sim } = world);
	});

	const sign = (text, timestamp = String(Math.floor(Date.now() / 1000))) => ({
		'x-legnext-timestamp': timestamp,
		'x-legnext-signature': crypto.createHmac('sha256', SECRET).update(`${timestamp}.${text}`).digest('hex'),
	});

	async function settledCallback(predicate, timeoutMs = 30000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const callback = sim.callbacks.find((c) => c.finishedAt !== undefined && predicate(c));
			if (callback) return callback;
			if (Date.now() > deadline) throw new Error('no answered callback');
			await support.delay(200);
		}
	}

	async function finishedJob() {
		const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
		const job = await (await fetch(`${sim.url}/api/v1/diffusion`, { method: 'POST', headers, body: JSON.stringify({ text: 'made by the test' }) })).json();
		for (let i = 0; i < 100; i++) {
			const current = await (await fetch(`${sim.url}/api/v1/job/${job.job_id}`, { headers })).json();
			if (current.status === 'completed') return current;
			await support.delay(200);
		}
		throw new Error('job did not finish');
	}

	test('Legnext\'s signed callback starts the trigger\'s workflow', async () => {
		const known = await support.executionIds(n8n, WF.trigger);
		await support.callWebhook(n8n, HOOK.send, {});
		const callback = await settledCallback((c) => c.kind === 'final' && String(c.url).includes(WF.trigger));
		expect(callback.status).toBe(200);
		expect(callback.headers['x-legnext-signature']).toMatch(/^[0-9a-f]{64}$/);
		const summary = await support.waitForNewFinishedExecution(n8n, WF.trigger, known, 30000);
		const execution = await n8n.getExecution(summary.id);
		expect(support.nodeOutput(execution, 'Legnext Trigger')[0].json).toMatchObject({ jobId: callback.jobId, status: 'completed' });
	});

	test('by hand: checked over n8n\'s raw bytes (a body laid out its own way verifies, the same JSON re-serialized does not); stale and unsigned refused; signed text read', async () => {
		const url = `${support.triggerUrl(n8n.baseUrl, WF.trigger)}?token=${support.triggerToken(API_KEY, support.triggerUrl(n8n.baseUrl, WF.trigger))}`;
		const post = async (text, headers) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text })).status;
		const job = await finishedJob();
		const raw = `{ "data" : ${JSON.stringify(job, null, 2)},\n  "timestamp": 1 }`;
		const headers = sign(raw);
		const known = await support.executionIds(n8n, WF.trigger);
		expect(await post(JSON.stringify(JSON.parse(raw)), headers)).toBe(401);
		expect(await post(raw, sign(raw, String(Math.floor(Date.now() / 1000) - 600)))).toBe(401);
		expect(await post(raw, {})).toBe(401);
		expect(await post(raw, headers)).toBe(200);
		const summary = await support.waitForNewFinishedExecution(n8n, WF.trigger, known, 30000);
		expect(support.nodeOutput(await n8n.getExecution(summary.id), 'Legnext Trigger')[0].json.jobId).toBe(job.job_id);

		const another = await finishedJob();
		const text = JSON.stringify(another);
		const before = await support.executionIds(n8n, WF.trigger);
		expect(await post(text, { ...sign(text), 'content-type': 'text/plain' })).toBe(200);
		const next = await support.waitForNewFinishedExecution(n8n, WF.trigger, before, 30000);
		expect(support.nodeOutput(await n8n.getExecution(next.id), 'Legnext Trigger')[0].json.jobId).toBe(another.job_id);
	});

	test('Pause Until Callback: a signed callback resumes the execution; a wrongly signed one is refused and leaves it waiting', async () => {
		const known = await support.executionIds(n8n, WF.pause);
		await support.callWebhook(n8n, HOOK.pause, {});
		const summary = await support.waitForNewFinishedExecution(n8n, WF.pause, known, 60000);
		const execution = await n8n.getExecution(summary.id);
		expect(execution.status).toBe('success');
		expect(support.nodeOutput(execution, 'Text to Image')[0].json.status).toBe('completed');
		const resumed = sim.callbacks.find((c) => c.kind === 'final' && c.url.includes('/webhook-waiting/') && c.status === 200);
		expect(resumed).toBeDefined();

		sim.inject({ callbackSignature: 'wrong' });
		// A 15 s job: its wrongly signed callback comes after the node's early check 5 s after the pause, which
		// found it running, and before the next one (30 s), which would rightly resume with the ended job.
		jobSeconds = 15;
		const sentAt = Date.now();
		await support.callWebhook(n8n, HOOK.pause, {});
		const refused = await settledCallback((c) => c.kind === 'final' && c.url.includes('/webhook-waiting/') && c.at >= sentAt);
		expect(refused.status).toBe(401);
		expect(JSON.parse(refused.responseBody).error).toMatch(/does not match/);
		// Still waiting: the editor's list shows it (n8n 1.x's public API does not list waiting executions).
		const listed = await n8n.rest('/executions', { query: { filter: JSON.stringify({ workflowId: WF.pause }) } });
		const results = (listed.results ?? listed.data?.results ?? []).filter((execution) => execution.workflowId === WF.pause);
		expect(results.map((execution) => execution.status).sort()).toEqual(['success', 'waiting']);
	});
});
