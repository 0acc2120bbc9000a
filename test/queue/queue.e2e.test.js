// The package in n8n's queue mode (test/harness/e2e/queue-mode.js, over scripts/n8n-host/queue.js):
// Postgres, Redis, a main process, two workers and a webhook processor, against the Legnext simulator
// in this process. What a user sees, read through n8n's public API; which process ran what, from the
// processes' logs. Retry On Fail on a worker and a worker killed mid-execution (an item never pays
// twice): test/pays-once/queue-mode.e2e.test.js, in its own queue mode so that the two files run side by side.
// Needs Debian's postgresql and redis-server (.ci/run installs them); skipped with the reason without.
const crypto = require('node:crypto');
const path = require('node:path');

const support = require('../harness/e2e/support');
const { queueModeWorld, describeQueueMode } = require('../harness/e2e/queue-mode');
const { httpRequest } = require('../../scripts/n8n-host/client');
const { API_KEY, WF, MARK, LOAD_JOB_SECONDS, startWorkflow, startInBackground, queueModeStart } = require('../harness/e2e/queue-workflows');

const describeQueue = describeQueueMode('queue.e2e');

jest.setTimeout(5 * 60 * 1000);

const world = queueModeWorld();
let sim; // world.simulator
let q; // world.queue: startQueue's answer
let n8n; // world.main: the public API
const { finished, submitsOf, createdFor, readsOf, jobOf, workerOf, runsOn, enqueuedBy, settledCallback, bytesOf } = world;

const delay = support.delay;
const waitFor = support.waitFor;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Starts workflow `key` through the webhook processor, with one item per prompt. */
const start = (key, prompts) => startWorkflow(world, key, prompts);
const { expectStatus } = support;

/** This file's workflows (queue-workflows.js). */
const KEYS = ['poll', 'pause', 'trigger', 'triggerSender', 'load1', 'load2', 'load3'];
const started = {};

describeQueue('queue mode: main, 2 workers, a webhook processor, Postgres, Redis', () => {
	beforeAll(async () => {
		await world.start(queueModeStart(KEYS));
		({ simulator: sim, queue: q, main: n8n } = world);
		// The polling run waits ~30 s for its first look at the job: beside the tests before it.
		started.poll = (await startInBackground(world, 'poll', ['A lighthouse at dawn'])).finished;
	}, support.INSTALL_AND_START_MS);

	afterAll(() => world.stop(), 120000);

	test('Poll Until Done with files runs on a worker; the files are in the shared database', async () => {
		const execution = await started.poll;
		expectStatus(execution, 'success');
		expect(workerOf(execution.id)).toBeDefined();
		expect(n8n.logs()).not.toMatch(new RegExp(`Worker started execution ${execution.id}\\b`));
		const items = support.nodeOutput(execution, 'Text to Image');
		expect(items).toHaveLength(4);
		expect(createdFor('A lighthouse at dawn')).toHaveLength(1);
		for (const item of items) {
			expect(item.binary.data).toMatchObject({ mimeType: 'image/png', fileName: expect.stringMatching(/^diffusion_.*\.png$/) });
			expect(item.binary.data.id).toMatch(/^database:/); // not `filesystem`: every process reads it
			const bytes = await bytesOf(item.binary.data);
			expect(bytes.subarray(0, 8)).toEqual(PNG);
			expect(bytes.equals(Buffer.from(await (await fetch(item.json.file.url)).arrayBuffer()))).toBe(true);
		}
	});

	test('Pause Until Callback: the webhook processor takes the callback, a worker finishes with the files; 0 reads while waiting', async () => {
		await start('pause', ['A fox in the snow']);
		const waiting = await n8n.waitForExecution((e) => e.status === 'waiting', 30000, { workflowId: WF.pause });
		const job = jobOf('A fox in the snow');
		const execution = await finished(WF.pause, 60000);
		expect(execution.id).toBe(waiting.id);
		expectStatus(execution, 'success');
		const callback = await settledCallback(job.id);
		expect(callback.url.startsWith(`${q.webhook.baseUrl}/webhook-waiting/${waiting.id}/`)).toBe(true);
		expect(callback.status).toBe(200);
		expect(readsOf(job.id).filter((r) => r.at < callback.at)).toHaveLength(0);
		expect(runsOn(execution.id)).toBe(2); // the first half, then the resumed rest: both on workers
		// After a pause n8n pairs the node's items with its input items one to one: the job's four
		// images come on its one item (docs/reference.md).
		const items = support.nodeOutput(execution, 'Text to Image');
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ jobId: job.id, status: 'completed' });
		expect(Object.keys(items[0].binary).sort()).toEqual(['image_0', 'image_1', 'image_2', 'image_3']);
		for (const binary of Object.values(items[0].binary)) expect((await bytesOf(binary)).subarray(0, 8)).toEqual(PNG);
	});

	/** The workflow's execution started by its Legnext Trigger for `jobId`. */
	const triggerRun = (jobId, timeoutMs = 60000) =>
		n8n.waitForExecution(
			(e) => support.FINISHED.includes(e.status) && support.nodeOutput(e, 'Legnext Trigger')?.[0]?.json?.jobId === jobId,
			timeoutMs,
			{ workflowId: WF.trigger },
		);
	const senderRun = (prompt, workflowId = WF.triggerSender) =>
		n8n.waitForExecution(
			(e) => support.FINISHED.includes(e.status) && support.nodeOutput(e, 'Prompts')?.[0]?.json?.p === prompt,
			60000,
			{ workflowId },
		);
	/** Sends one job whose callback goes to the Legnext Trigger's Production URL; returns its job ID. */
	async function sendToTrigger(prompt) {
		await start('triggerSender', [prompt]);
		const sender = await senderRun(prompt);
		expectStatus(sender, 'success');
		return support.nodeOutput(sender, 'Text to Image')[0].json.jobId;
	}

	const triggerRuns = async (jobId) =>
		(await n8n.listExecutions(WF.trigger, { includeData: true })).filter((e) => support.nodeOutput(e, 'Legnext Trigger')?.[0]?.json?.jobId === jobId);

	/** A completed job whose callback the simulator did not send, and `deliver(base)`: its callback to a process. */
	async function jobToDeliver(prompt) {
		sim.inject({ callbacks: 'missing' });
		const jobId = await sendToTrigger(prompt);
		sim.inject({ callbacks: 'normal' });
		await waitFor(() => sim.view(jobId).status === 'completed', 20000, 'the job to end');
		const job = await (await fetch(`${sim.url}/api/v1/job/${jobId}`, { headers: { 'x-api-key': API_KEY } })).json();
		const { callbackToken } = require(path.join(support.ROOT, 'dist', 'nodes', 'shared', 'triggerUrl.js'));
		const query = `?token=${callbackToken(API_KEY, `legnext/${WF.trigger}`)}`;
		const body = { timestamp: Date.now(), data: job };
		return { jobId, deliver: (base) => httpRequest(`${base}/webhook/legnext/${WF.trigger}${query}`, { method: 'POST', body }) };
	}

	test('Legnext Trigger: registered by main, its callback served by the webhook processor, run on a worker with files', async () => {
		const jobId = await sendToTrigger('A paper boat');
		const callback = await settledCallback(jobId);
		expect(callback.url.split('?')[0]).toBe(`${q.webhook.baseUrl}/webhook/legnext/${WF.trigger}`);
		expect(callback.status).toBe(200);
		const run = await n8n.getExecution((await triggerRun(jobId)).id);
		expectStatus(run, 'success');
		expect(workerOf(run.id)).toBeDefined();
		const items = support.nodeOutput(run, 'Legnext Trigger');
		expect(items).toHaveLength(4);
		expect(items.map((item) => item.json.jobId)).toEqual([jobId, jobId, jobId, jobId]);
		// The next node, on a worker, read the files the webhook processor stored: their hashes are the CDN files'.
		const hashes = support.nodeOutput(run, 'Hash File').map((item) => item.json.sha256);
		const expected = await Promise.all(
			items.map(async (item) => crypto.createHash('sha256').update(Buffer.from(await (await fetch(item.json.file.url)).arrayBuffer())).digest('hex')),
		);
		expect(hashes).toEqual(expected);
		// n8n 2.41 itself: a trigger's files are stored before the execution exists (source "temp" in
		// database mode), and the editor's download refuses those (404, binary-data-access.service.js).
		const download = await fetch(`${n8n.baseUrl}/rest/binary-data?id=${encodeURIComponent(items[0].binary.data.id)}&action=download`, {
			headers: { cookie: n8n.cookie, 'browser-id': n8n.browserId },
		});
		console.log(`the editor's download of a Legnext Trigger file in queue mode: HTTP ${download.status}`);
	});

	test('the same callback to the webhook processor, then to main: one execution (static data is shared)', async () => {
		const { jobId, deliver } = await jobToDeliver('A told-again tale');
		expect((await deliver(q.webhook.baseUrl)).status).toBe(200);
		await triggerRun(jobId);
		expect((await deliver(n8n.baseUrl)).status).toBe(200);
		await delay(8000);
		expect(await triggerRuns(jobId)).toHaveLength(1);
	});

	// A worker is not told the workflow is active (n8n's worker builds the Workflow with active =
	// !!workflowData.activeVersionId || workflowData.active from the execution's stored workflow, which
	// carries neither): nodes/Legnext/run/callback.ts checks the trigger is listening in manual runs only.
	test('Callback → Legnext Trigger in This Workflow on a worker: the job calls this workflow’s trigger', async () => {
		await start('trigger', ['A paper swan']);
		const sender = await n8n.getExecution((await senderRun('A paper swan', WF.trigger)).id);
		expect(workerOf(sender.id)).toBeDefined();
		expectStatus(sender, 'success');
		const { jobId } = support.nodeOutput(sender, 'Text to Image')[0].json;
		expect((await settledCallback(jobId)).status).toBe(200);
		expectStatus(await triggerRun(jobId), 'success');
	});

	test('a job in flight across a re-activation of the trigger’s workflow is still delivered', async () => {
		const jobId = await sendToTrigger(`A kite ${MARK.inflight}`);
		expect(sim.view(jobId).status).not.toBe('completed');
		await n8n.deactivateWorkflow(WF.trigger);
		expect((await n8n.activateWorkflow(WF.trigger)).active).toBe(true);
		expect(sim.view(jobId).status).not.toBe('completed'); // re-activated while the job ran
		expect((await settledCallback(jobId, 40000)).status).toBe(200);
		expectStatus(await triggerRun(jobId), 'success');
	});

	// PRODUCT LIMIT, asserted as a bound (2 executions measured): the trigger's dedupe is process memory
	// plus static data, which n8n reads before webhook() and saves after it (last writer wins); two
	// processes that take the same callback at once both see it as new. n8n's node API offers no atomic
	// shared store to webhook() (the processed-data helpers are a read-then-write too). Legnext sends each
	// callback once to one URL, so this needs a duplicate split across processes by a load balancer.
	// Not exact (one execution is right, two is today's), so that it holds today and after a fix: at most
	// one execution per process that took the callback, each with the job, and none sends a job.
	test('the same callback at once to main and to the webhook processor: one or two executions (one per process at most), each with the job', async () => {
		const { jobId, deliver } = await jobToDeliver('A twice-told tale');
		const jobsBefore = sim.jobs.size;
		const answers = await Promise.all([q.webhook.baseUrl, n8n.baseUrl].map(deliver));
		await triggerRun(jobId);
		await delay(8000);
		const runs = await triggerRuns(jobId);
		const enqueuers = runs.map((run) => enqueuedBy(run.id));
		console.log(`one callback delivered to two processes at once started ${runs.length} execution(s), enqueued by ${JSON.stringify(enqueuers)}`);
		// The setup works: both processes took the callback, and each execution was put on the queue by
		// one of them and run by a worker.
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		for (const [i, run] of runs.entries()) {
			expect(enqueuers[i]).toHaveLength(1);
			expect(workerOf(run.id)).toBeDefined();
		}
		// The bound.
		expect(runs.length).toBeGreaterThanOrEqual(1);
		expect(runs.length).toBeLessThanOrEqual(2);
		expect(new Set(enqueuers.flat()).size).toBe(runs.length);
		for (const run of runs) {
			expectStatus(run, 'success');
			expect(support.nodeOutput(run, 'Legnext Trigger').map((item) => item.json.jobId)).toEqual([jobId, jobId, jobId, jobId]);
		}
		expect(sim.jobs.size).toBe(jobsBefore);
	});

	test('three workflows × 24 items at once (two Fixed 6, one Auto), account cap 6: every item out, 0 lost, 0 doubled, 429s waited out', async () => {
		const keys = ['load1', 'load2', 'load3'];
		const t0 = Date.now();
		await Promise.all(keys.map((key) => start(key, Array.from({ length: 24 }, (_, i) => `${key} item ${i} ${MARK.load}`))));
		const executions = await Promise.all(keys.map((key) => finished(WF[key], 4 * 60000)));
		const wallMs = Math.max(...executions.map((e) => new Date(e.stoppedAt).getTime())) - t0;
		const idealMs = Math.ceil(72 / 6) * LOAD_JOB_SECONDS * 1000;
		const throttled = submitsOf(MARK.load).filter((r) => r.status === 429).length;
		console.log(
			`3 × 24 items: wall ${(wallMs / 1000).toFixed(1)} s vs ideal ⌈72/6⌉ × ${LOAD_JOB_SECONDS} s = ${idealMs / 1000} s; ` +
				`${throttled} × 429 waited out (Auto's: ${submitsOf(MARK.load).filter((r) => r.status === 429 && r.body.text.startsWith('load3')).length}); executions on ${executions.map((e) => workerOf(e.id)?.name).join(', ')}`,
		);
		const jobIds = new Set();
		for (const [k, execution] of executions.entries()) {
			expectStatus(execution, 'success');
			const items = support.nodeOutput(execution, 'Text to Image');
			expect(items).toHaveLength(24);
			for (const [i, item] of items.entries()) {
				expect(item.json).toMatchObject({ status: 'completed' });
				expect(sim.jobs.get(item.json.jobId).body.text).toBe(`${keys[k]} item ${i} ${MARK.load}`);
				jobIds.add(item.json.jobId);
			}
		}
		expect(jobIds.size).toBe(72);
		expect(createdFor(MARK.load)).toHaveLength(72);
		expect(throttled).toBeGreaterThan(0);
	});

});
