// The Legnext Trigger's life in a real n8n: a Legnext node in another workflow sends its jobs to the
// trigger's Production URL (Callback → Custom URL); the trigger's workflow duplicated, deactivated with
// a job in flight, and not active when a job would be sent.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-lifecycle-key-5e2a81c3';
const CREDENTIAL = { id: 'LgxLifeCredent01', name: 'Legnext e2e lifecycle', type: 'legnextApi' };
const WF = { receiver: 'LgxLifeRecv00001', copy: 'LgxLifeRecvCopy1', sender: 'LgxLifeSend00001' };
const HOOK = 'lgx-e2e-lifecycle';

const VERSIONS = support.versionsUnderTest();

jest.setTimeout(4 * 60 * 1000);

function receiver(id, name) {
	const trigger = { ...support.triggerNode('Legnext Trigger', CREDENTIAL, { download: 'none' }, 'c0ffee00-0000-4000-8000-00000000abcd'), position: [0, 0] };
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes: [trigger], connections: {} };
}

/** Webhook {p, url} → Text to Image (Don't Wait), its callback the URL given. */
function sender() {
	const legnext = support.textToImageNode('Text to Image', CREDENTIAL, '={{ $json.body.p }}', {
		waitMode: 'none',
		callback: 'url',
		callbackUrl: '={{ $json.body.url }}',
	});
	return support.chainWorkflow(WF.sender, 'e2e lifecycle: sender', [support.webhookNode(HOOK), legnext]);
}

describe.each(VERSIONS)('n8n %s', (version) => {
	let n8n;
	let sim;
	let base;

	const world = support.useWorld(() => ({
		version,
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations: { default: { pending: 1, processing: 4 } } },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => [receiver(WF.receiver, 'e2e lifecycle: receiver'), receiver(WF.copy, 'e2e lifecycle: receiver (copy)'), sender()],
		activate: [WF.receiver, WF.copy, WF.sender],
	}));
	beforeAll(() => {
		({ n8n, simulator: sim } = world);
		base = n8n.baseUrl;
	});

	const submits = () => sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/'));

	/** Sends one job through the sender; its finished execution. */
	async function send(p, url) {
		const known = await support.executionIds(n8n, WF.sender);
		await support.callWebhook(n8n, HOOK, { p, url });
		const summary = await support.waitForNewFinishedExecution(n8n, WF.sender, known, 60000);
		return n8n.getExecution(summary.id);
	}

	test('two trigger workflows, one a copy of the other: each job starts the workflow whose URL it was sent with', async () => {
		const known = { receiver: await support.executionIds(n8n, WF.receiver), copy: await support.executionIds(n8n, WF.copy) };
		const toCopy = await send('to the copy', support.triggerUrl(base, WF.copy));
		expect(toCopy.status).toBe('success');
		const jobId = support.nodeOutput(toCopy, 'Text to Image')[0].json.jobId;
		const started = await support.waitForNewFinishedExecution(n8n, WF.copy, known.copy, 60000);
		const run = await n8n.getExecution(started.id);
		expect(support.nodeOutput(run, 'Legnext Trigger')[0].json).toMatchObject({ jobId, status: 'completed' });
		expect(await support.executionIds(n8n, WF.receiver)).toEqual(known.receiver);
	});

	test('deactivated with a job in flight: Legnext’s callback gets n8n’s 404 and starts nothing; the job is still there for Job → Get', async () => {
		const known = await support.executionIds(n8n, WF.receiver);
		const sent = await send('in flight', support.triggerUrl(base, WF.receiver));
		expect(sent.status).toBe('success');
		const jobId = support.nodeOutput(sent, 'Text to Image')[0].json.jobId;
		await n8n.deactivateWorkflow(WF.receiver);
		const callback = await support.waitFor(() => sim.callbacks.find((c) => c.jobId === jobId && c.kind === 'final' && c.finishedAt), 60000, 'the callback');
		expect(callback.status).toBe(404);
		await support.delay(2000);
		expect(await support.executionIds(n8n, WF.receiver)).toEqual(known);
		expect(sim.view(jobId).status).toBe('completed');
	});

	test('a Custom URL to the trigger of a workflow that is not active: refused before anything is paid, saying to activate it', async () => {
		const before = submits().length;
		const refused = await send('nobody listens', support.triggerUrl(base, WF.receiver));
		expect(refused.status).toBe('error');
		expect(support.errorMessages(refused).join(' ')).toMatch(/Legnext Trigger at .*\/webhook\/legnext\/LgxLifeRecv00001 is not listening/);
		expect(submits().length).toBe(before);

		// Active again: the same URL works, with the same token as before. n8n serves a webhook a moment
		// after it confirms the activation (support.callWebhook): send once the trigger's URL is served.
		await n8n.activateWorkflow(WF.receiver);
		const url = support.triggerUrl(base, WF.receiver);
		await support.waitFor(async () => (await fetch(`${url}?legnextProbe=1`, { method: 'POST' })).status !== 404, 60000, 'the trigger to listen again');
		const known = await support.executionIds(n8n, WF.receiver);
		const sent = await send('listening again', url);
		expect(sent.status).toBe('success');
		await support.waitForNewFinishedExecution(n8n, WF.receiver, known, 60000);
	});
});
