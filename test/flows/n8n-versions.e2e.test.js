// The main flows end to end on each n8n version users run (scripts/n8n-host/versions.js), against the
// Legnext simulator in this process: Text to Image with Download Files (Poll Until Done), the Legnext
// Trigger started by a job's callback, Pause Until Callback resumed by Legnext's callback, and n8n's
// Retry of an execution that failed after paying for a job (the job comes back, not paid again). What
// is asserted is what the user sees in n8n: the execution's status and the node's items and files.
//
// By default this runs on the versions that test/flows/main-flows.e2e.test.js does not (n8n 1.123.x);
// LEGNEXT_E2E_N8N_VERSIONS=1.123.81,2.41.1 picks the versions. A first run installs each n8n with its
// Node into ~/.cache/n8n-nodes-legnext (~3-5 min each).

const support = require('../harness/e2e/support');
const { SLOW_MARK, durations, pollImagesWorkflow, pauseWorkflow, filesTriggerWorkflow } = require('../harness/e2e/flows');

const { waitFor } = support;

const VERSIONS = support.versionsUnderTest(support.host.TESTED_VERSIONS.filter((version) => version !== support.host.DEFAULT_N8N_VERSION));

const API_KEY = 'e2e-versions-key-4b8d1c6e';
const GOOD = { id: 'LgxVerCredGood01', name: 'Legnext e2e', type: 'legnextApi' };
const WF = { images: 'LgxVerWfImages01', trigger: 'LgxVerWfTrigger1', sender: 'LgxVerWfSender01', pause: 'LgxVerWfPause001', retry: 'LgxVerWfRetry001' };
const HOOK = { images: 'lgx-ver-images', sender: 'lgx-ver-sender', pause: 'lgx-ver-pause', retry: 'lgx-ver-retry' };
const TRIGGER_WEBHOOK_ID = '7a1e2e00-1e9a-4c3b-9d2f-0c0ffee0e2e2';
const TRIGGER_MARK = '[e2e-trigger]';
const RETRY_MARK = '[e2e-retry]';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

jest.setTimeout(3 * 60 * 1000);

const triggerUrl = (n8nBaseUrl) => support.triggerUrl(n8nBaseUrl, WF.trigger);

function workflows(n8nBaseUrl) {
	const { chainWorkflow, webhookNode } = support;
	return [
		pollImagesWorkflow({
			id: WF.images,
			name: 'versions e2e: Text to Image, poll, download the images',
			hook: HOOK.images,
			credential: GOOD,
			prompt: 'A lighthouse on a cliff at dawn --ar 3:2',
		}),
		filesTriggerWorkflow({
			id: WF.trigger,
			name: 'versions e2e: Legnext Trigger for finished images',
			credential: GOOD,
			taskType: 'diffusion',
			download: 'images',
			webhookId: TRIGGER_WEBHOOK_ID,
		}),
		chainWorkflow(WF.sender, 'versions e2e: Text to Image, don’t wait, callback to the trigger workflow', [
			webhookNode(HOOK.sender),
			support.textToImageNode('Text to Image', GOOD, `A paper boat on a rainy street ${TRIGGER_MARK}`, {
				waitMode: 'none',
				callback: 'url',
				callbackUrl: triggerUrl(n8nBaseUrl),
			}),
		]),
		pauseWorkflow({ id: WF.pause, name: 'versions e2e: Text to Image, pause until callback', hook: HOOK.pause, credential: GOOD }),
		chainWorkflow(WF.retry, 'versions e2e: Text to Image of each prompt, poll', [
			webhookNode(HOOK.retry),
			support.splitPromptsNode(),
			support.textToImageNode('Text to Image', GOOD, '={{ $json.p }}', { download: 'none' }),
		]),
	];
}

describe.each(VERSIONS)('n8n %s', (version) => {
	let world;
	let n8n;
	let sim;
	const started = {};

	async function startByWebhook(hook) {
		await support.callWebhook(n8n, hook, { from: 'versions e2e' });
	}

	async function finishedExecution(workflowId, timeoutMs = 90000) {
		const summary = await support.waitForNewFinishedExecution(n8n, workflowId, [], timeoutMs);
		return n8n.getExecution(summary.id);
	}

	function expectSuccess(execution) {
		if (execution.status !== 'success') throw new Error(`Expected a successful execution: ${support.describeExecution(execution)}`);
	}

	const settledCallback = (jobId, timeoutMs) =>
		waitFor(
			() => sim.callbacks.find((c) => c.jobId === jobId && c.kind === 'final' && c.finishedAt !== undefined),
			timeoutMs,
			`the answered callback of job ${jobId}`,
		);

	/**
	 * The workflow's waiting execution as the editor lists it (n8n's REST API): n8n 1.x's public API
	 * leaves waiting executions out of its list.
	 */
	async function waitingExecution(workflowId) {
		const list = await n8n.rest(`/executions?${new URLSearchParams({ filter: JSON.stringify({ workflowId }) })}`);
		return (list.results ?? []).find((execution) => execution.status === 'waiting');
	}

	const jobWithMark = (mark) => [...sim.jobs.values()].find((job) => String(job.body?.text ?? '').includes(mark));

	beforeAll(async () => {
		world = await support.startWorld({
			version,
			simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
			credentials: (simulator) => [{ ...GOOD, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
			workflows: (_simulator, n8nBaseUrl) => workflows(n8nBaseUrl),
			activate: Object.values(WF),
		});
		({ n8n, simulator: sim } = world);
		// The polling workflow waits ~30 s for its first check: start it now, the others meanwhile.
		await startByWebhook(HOOK.images);
		started.images = finishedExecution(WF.images);
		started.images.catch(() => {}); // awaited (and reported) by its test
	}, support.INSTALL_AND_START_MS);

	afterAll(async () => {
		if (world) await world.close();
	}, 60000);

	test('runs the n8n version asked for, with the package’s node types loaded', async () => {
		expect(n8n.n8nVersion).toBe(version);
		const names = await n8n.nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining([support.NODE_TYPE, support.TRIGGER_TYPE]));
		for (const id of Object.values(WF)) expect((await n8n.getWorkflow(id)).active).toBe(true);
	});

	test('Legnext Trigger: a job’s callback starts an execution with the job’s images as files', async () => {
		await startByWebhook(HOOK.sender);
		const sender = await finishedExecution(WF.sender, 60000);
		expectSuccess(sender);
		const [submitted] = support.nodeOutput(sender, 'Text to Image');
		const jobId = submitted.json.jobId;
		expect(jobWithMark(TRIGGER_MARK)?.id).toBe(jobId);

		// Legnext (the simulator) called the trigger's production URL with the token the node added.
		const callback = await settledCallback(jobId, 30000);
		const called = new URL(callback.url);
		expect(`${called.origin}${called.pathname}`).toBe(triggerUrl(n8n.baseUrl));
		expect(called.searchParams.get('token')).toBe(support.triggerToken(API_KEY, triggerUrl(n8n.baseUrl)));
		expect(callback.status).toBe(200);

		const execution = await finishedExecution(WF.trigger, 60000);
		expectSuccess(execution);
		const items = support.nodeOutput(execution, 'Legnext Trigger');
		expect(items).toHaveLength(4);
		for (const [n, item] of items.entries()) {
			expect(item.json).toMatchObject({ jobId, status: 'completed', taskType: 'diffusion', file: { kind: 'image', index: n } });
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `diffusion_${jobId}_${n}.png` });
			const { bytes } = await support.binaryBytes(n8n, item.binary.data);
			expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
		}
		expect(await n8n.listExecutions(WF.trigger)).toHaveLength(1);
	});

	test('Pause Until Callback: the execution waits, and Legnext’s callback resumes it with the grid as a file', async () => {
		await startByWebhook(HOOK.pause);
		const waiting = await waitFor(() => waitingExecution(WF.pause), 15000, 'a waiting execution');
		const jobId = jobWithMark(SLOW_MARK)?.id;
		expect(jobId).toBeDefined();
		expect(sim.view(jobId).status).not.toBe('completed'); // it really waits for the job

		const execution = await finishedExecution(WF.pause, 60000);
		expect(execution.id).toBe(waiting.id);
		expectSuccess(execution);
		const items = support.nodeOutput(execution, 'Text to Image');
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ jobId, status: 'completed', taskType: 'diffusion' });
		expect([undefined, null, false]).toContain(items[0].json.error);
		expect(items[0].binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `diffusion_${jobId}_grid.png` });
		const { bytes } = await support.binaryBytes(n8n, items[0].binary.data);
		expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);

		// The job carried this execution's resume URL; Legnext calling it is what resumed the run.
		const callback = await settledCallback(jobId, 10000);
		expect(callback.url).toContain(`/webhook-waiting/${waiting.id}`);
		expect(callback.status).toBe(200);
	});

	test('Text to Image, Poll Until Done, Download Files: four PNG files as n8n binary data', async () => {
		const execution = await started.images;
		expectSuccess(execution);
		const items = support.nodeOutput(execution, 'Text to Image');
		expect(items).toHaveLength(4);
		const jobId = items[0].json.jobId;
		expect(sim.jobs.has(jobId)).toBe(true);
		const submits = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && r.body?.text?.includes('lighthouse'));
		expect(submits).toHaveLength(1); // one job for the one input item
		for (const [n, item] of items.entries()) {
			expect(item.json).toMatchObject({ jobId, status: 'completed', taskType: 'diffusion', file: { kind: 'image', index: n } });
			expect([undefined, null, false]).toContain(item.json.error);
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png', fileName: `diffusion_${jobId}_${n}.png` });
			// The bytes n8n keeps are the file the (simulated) CDN served.
			const { bytes } = await support.binaryBytes(n8n, item.binary.data);
			expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
			const original = Buffer.from(await (await fetch(item.json.file.url)).arrayBuffer());
			expect(bytes.equals(original)).toBe(true);
		}
	});

	test('n8n’s Retry of an execution that failed after paying: the job made comes back, the item refused is sent now', async () => {
		const prompts = [`a kite ${RETRY_MARK}`, `a pier ${RETRY_MARK}`];
		const jobsFor = (prompt) => [...sim.jobs.values()].filter((job) => job.body?.text === prompt).map((job) => job.id);
		sim.inject({ refuseSubmit: { when: (body) => body?.text === prompts[1], code: 402, message: 'Insufficient credits' } });
		await support.callWebhook(n8n, HOOK.retry, { prompts: prompts.map((p) => ({ p })) });
		const failed = await finishedExecution(WF.retry);
		expect(failed.status).toBe('error');
		expect(prompts.map((p) => jobsFor(p).length)).toEqual([1, 0]);

		// The user tops up and presses Retry on the failed execution.
		sim.inject({ refuseSubmit: undefined });
		await n8n.api(`/executions/${failed.id}/retry`, { method: 'POST', body: { loadWorkflow: false } });
		const retry = await n8n.getExecution((await support.waitForNewFinishedExecution(n8n, WF.retry, [failed.id], 90000)).id);
		expectSuccess(retry);
		expect(prompts.map((p) => jobsFor(p).length)).toEqual([1, 1]);
		expect(support.nodeOutput(retry, 'Text to Image').map((item) => [item.json.jobId, item.json.status])).toEqual(prompts.map((p) => [jobsFor(p)[0], 'completed']));
	});
});
