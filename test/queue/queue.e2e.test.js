// The package in n8n's queue mode (test/harness/e2e/queue-mode.js, over scripts/n8n-host/queue.js):
// Postgres, Redis, a main process, two workers and a webhook processor, against the Legnext simulator
// in this process. What a user sees, read through n8n's public API; which process ran what, from the
// processes' logs.
// Needs Debian's postgresql and redis-server (.ci/run installs them); skipped with the reason without.
const crypto = require('node:crypto');
const path = require('node:path');

const support = require('../harness/e2e/support');
const { queueModeWorld, serversMissing } = require('../harness/e2e/queue-mode');
const { httpRequest } = require('../../scripts/n8n-host/client');
const { API_KEY, CREDENTIAL, WF, HOOK, MARK, LOAD_JOB_SECONDS, durations, workflows } = require('../harness/e2e/queue-workflows');

const missing = serversMissing();
if (missing) console.log(`queue.e2e skipped: ${missing}`);
const describeQueue = missing ? describe.skip : describe;

jest.setTimeout(5 * 60 * 1000);

const world = queueModeWorld();
let sim; // world.simulator
let q; // world.queue: startQueue's answer
let n8n; // world.main: the public API
const { finished, submitsOf, createdFor, readsOf, jobOf, workerOf, runsOn, enqueuedBy, settledCallback, bytesOf } = world;

const delay = support.delay;
const waitFor = support.waitFor;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Starts a workflow through the webhook processor, with one item per prompt. */
async function start(key, prompts) {
	const response = await httpRequest(`${q.webhook.webhookUrl}${HOOK[key]}`, { method: 'POST', body: { prompts: prompts.map((p) => ({ p })) } });
	if (response.status !== 200) throw new Error(`POST /webhook/${HOOK[key]} answered ${response.status}: ${response.text}`);
}

function expectStatus(execution, status) {
	if (execution.status !== status) throw new Error(`Expected "${status}": ${support.describeExecution(execution)}`);
}

const started = {};

describeQueue('queue mode: main, 2 workers, a webhook processor, Postgres, Redis', () => {
	beforeAll(async () => {
		await world.start({
			simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
			faults: { failJobsWhen: (body) => String(body?.text ?? '').includes(MARK.fail) },
			credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
			workflows: (_simulator, webhookBaseUrl) => workflows(webhookBaseUrl),
			activate: Object.values(WF),
			env: {
				// A stopped worker's execution is found within seconds rather than hours (n8n's defaults).
				N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
				QUEUE_WORKER_LOCK_DURATION: '10000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
			},
		});
		({ simulator: sim, queue: q, main: n8n } = world);
		// The two polling runs wait ~30 s for their first look at the job: side by side.
		await start('poll', ['A lighthouse at dawn']);
		await start('retry', ['retry one', `retry two ${MARK.fail}`, 'retry three']);
		for (const key of ['poll', 'retry']) {
			started[key] = finished(WF[key], 150000);
			started[key].catch(() => {});
		}
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

	test('Retry On Fail on a worker: still one job per item', async () => {
		const execution = await started.retry;
		expectStatus(execution, 'error');
		expect(support.errorMessages(execution).join('\n')).toMatch(/Legnext could not finish job/);
		for (const prompt of ['retry one', 'retry two', 'retry three']) expect(createdFor(prompt)).toHaveLength(1);
		// n8n did run the node twice: the failed job was read again by the second try.
		const failed = jobOf(MARK.fail);
		expect(readsOf(failed.id).length).toBeGreaterThanOrEqual(2);
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

	describe('a worker stopped (killed) mid-execution', () => {
		const lost = {};
		const crash = {};

		test('while it polls: the user sees the execution crashed (or failed); the jobs were paid once', async () => {
			// Started first: the paused run waits through n8n's fallback (minutes) while the rest goes on.
			sim.inject({ callbacks: 'missing' });
			await start('crashPause', [`A lost callback ${MARK.lost}`]);
			await waitFor(() => jobOf(MARK.lost), 20000, 'the paused job');
			sim.inject({ callbacks: 'normal' });
			const waiting = await n8n.waitForExecution((e) => e.status === 'waiting', 30000, { workflowId: WF.crashPause });
			lost.deadline = Number(support.nodeOutput(waiting, 'Text to Image')?.[0]?.json?.deadline) || Date.now();
			await workerOf(waiting.id).kill();
			lost.execution = finished(WF.crashPause, 5 * 60000);
			lost.execution.catch(() => {});
			await q.startWorker();

			await start('crashPoll', [`one ${MARK.long}`, `two ${MARK.long}`]);
			await waitFor(() => createdFor(MARK.long).length === 2, 30000, 'two submits');
			const running = await n8n.waitForExecution((e) => e.status === 'running' && workerOf(e.id), 30000, { workflowId: WF.crashPoll });
			await workerOf(running.id).kill();
			await q.startWorker();
			crash.execution = await finished(WF.crashPoll, 3 * 60000);
			console.log(`a worker killed while polling: the user sees ${support.describeExecution(crash.execution)}`);
			expect(crash.execution.id).toBe(running.id);
			// Bull's stalled-job check ("failed to be processed too many times") or main's queue recovery, whichever comes first.
			expect(['crashed', 'error']).toContain(crash.execution.status);
			expect(createdFor(MARK.long)).toHaveLength(2);
		});

		// PRODUCT LIMIT, asserted as a bound (measured: each run sends both again, 6 jobs for the 2 items
		// in all): the submissions ledger (nodes/Legnext/run/ledger.ts) lives in the node's context of the
		// execution, which n8n saves when the execution ends; the killed worker never saved it, so n8n's
		// Retry of the crashed execution (and a new start with the same input) cannot see the jobs already
		// paid and sends them again. A Retry of an execution that failed and was saved hands them back
		// (test/pays-once/seams.engine.test.js and seams.e2e.test.js, generated-execution-retries.engine.test.js).
		// Not exact (no new job is right, one per item is today's), so that it holds today and after a fix:
		// each run sends each item at most once, its items are jobs for their own prompts, and every job
		// it sends comes out on its items.
		test('…run again (n8n’s Retry, then a new start): each run sends each item at most once, and every job it sends is on its items', async () => {
			const prompts = [`one ${MARK.long}`, `two ${MARK.long}`];
			/** `run()`'s finished execution and the jobs created for the two items while it ran. */
			const sentDuring = async (run) => {
				const before = createdFor(MARK.long).length;
				const execution = await run();
				return { execution, sent: createdFor(MARK.long).slice(before) };
			};
			const retry = await sentDuring(async () => {
				await n8n.api(`/executions/${crash.execution.id}/retry`, { method: 'POST', body: { loadWorkflow: true } });
				return finished(WF.crashPoll, 3 * 60000, [crash.execution.id]);
			});
			console.log(`n8n's Retry: ${support.describeExecution(retry.execution)}; jobs created: ${createdFor(MARK.long).length}`);
			const rerun = await sentDuring(async () => {
				await start('crashPoll', prompts);
				return finished(WF.crashPoll, 3 * 60000, [crash.execution.id, retry.execution.id]);
			});
			console.log(`started again: ${support.describeExecution(rerun.execution)}; jobs created for the 2 items in all: ${createdFor(MARK.long).length}`);
			// The setup works: both runs on a worker, the new start through the webhook processor.
			for (const { execution } of [retry, rerun]) expect(workerOf(execution.id)).toBeDefined();
			expect(enqueuedBy(rerun.execution.id)).toEqual(['webhook']);
			// The bound, for each run.
			for (const { execution, sent } of [retry, rerun]) {
				// n8n's Retry of an execution whose worker was killed is sometimes ended by Bull's stalled-job
				// check before any node runs (n8n's own recovery, seen in 1 of 3 CI runs): then it sent nothing.
				const stalled = /failed to be processed too many times/.test(support.errorMessages(execution).join('\n'));
				if (execution === retry.execution && execution.status === 'error' && stalled) {
					expect(sent).toHaveLength(0);
					continue;
				}
				expectStatus(execution, 'success');
				const items = support.nodeOutput(execution, 'Text to Image');
				expect(items.map((item) => sim.jobs.get(item.json.jobId)?.body.text)).toEqual(prompts);
				const sentTexts = sent.map((request) => request.body.text);
				expect(new Set(sentTexts).size).toBe(sentTexts.length);
				expect(sent.length).toBeLessThanOrEqual(prompts.length);
				for (const request of sent) expect(items.map((item) => item.json.jobId)).toContain(request.jobId);
			}
		});

		test('while it pauses: at the time limit nothing happens; n8n’s fallback ~2 min later gives an item naming the job', async () => {
			lost.ended = await lost.execution;
			const endedAfterMs = new Date(lost.ended.stoppedAt).getTime() - lost.deadline;
			const [item] = support.nodeOutput(lost.ended, 'Text to Image') ?? [];
			console.log(`a worker killed while paused: ended ${Math.round(endedAfterMs / 1000)} s after the time limit; item ${JSON.stringify(item?.json)}`);
			const jobId = jobOf(MARK.lost).id;
			expect(sim.view(jobId).status).toBe('completed'); // done at Legnext, its callback lost
			expectStatus(lost.ended, 'success');
			expect(item.json).toMatchObject({ jobId, error: expect.stringContaining(`No callback from Legnext for job ${jobId}`) });
			expect(item.json.details).toContain('Job → Get');
			expect(endedAfterMs).toBeGreaterThanOrEqual(110000);
		});

		// PRODUCT LIMIT, asserted as a bound (measured: the error item, 120 s after the limit): the final
		// check at the time limit is a timer in the memory of the worker that paused
		// (nodes/Legnext/wait/finalCheck.ts); with that worker gone, nothing reads the job at the limit,
		// and n8n's own timed resume (deadline + 2 min, wait-tracker.js polls every 60 s) passes the
		// stashed items on: the user gets an error item for a job that completed. Not exact (the completed
		// job at the limit is right, the error item later is today's), so that it holds today and after a
		// fix: one item naming the one job sent for it, completed or saying how to pick it up, by n8n's
		// fallback at the latest.
		test('…what they see either way: one item naming the job, completed or saying how to pick it up, by n8n’s fallback at the latest', async () => {
			const job = jobOf(MARK.lost);
			const ranOn = q.workers.filter((worker) => worker.ranExecution(lost.ended.id)).map((worker) => worker.name);
			console.log(`the paused execution ran on ${ranOn.join(', ')}; enqueued by ${enqueuedBy(lost.ended.id).join(', ')}`);
			// The setup works: started through the webhook processor, run by two workers at least (the one
			// it paused on was killed).
			expect(enqueuedBy(lost.ended.id)).toContain('webhook');
			expect(ranOn.length).toBeGreaterThanOrEqual(2);
			// The bound.
			expectStatus(lost.ended, 'success');
			const items = support.nodeOutput(lost.ended, 'Text to Image') ?? [];
			expect(items).toHaveLength(1);
			const [{ json }] = items;
			expect(json.jobId).toBe(job.id);
			const pickUp = String(json.error).includes(`No callback from Legnext for job ${job.id}`) && String(json.details).includes('Job → Get');
			const outcome = json.status === 'completed' ? 'completed' : pickUp ? 'an error saying how to pick it up' : JSON.stringify(json);
			expect(['completed', 'an error saying how to pick it up']).toContain(outcome);
			expect(new Set(createdFor(MARK.lost).map((request) => request.jobId))).toEqual(new Set([job.id]));
			// n8n's fallback: the limit + 2 min, up to ~60 s late (wait-tracker.js), and room for a loaded machine.
			expect(new Date(lost.ended.stoppedAt).getTime() - lost.deadline).toBeLessThan(4 * 60000);
		});
	});
});
