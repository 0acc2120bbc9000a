// An item never pays twice in n8n's queue mode (test/harness/e2e/queue-mode.js: Postgres, Redis, a main
// process, two workers and a webhook processor): Retry On Fail on a worker, and a worker killed while it
// polls or pauses, then n8n's Retry and a new start. The rest of queue mode: test/queue/queue.e2e.test.js
// (each file starts its own queue mode, so that the two run side by side).
// Needs Debian's postgresql and redis-server (.ci/run installs them); skipped with the reason without.
const support = require('../harness/e2e/support');
const { queueModeWorld, describeQueueMode } = require('../harness/e2e/queue-mode');
const { WF, MARK, startWorkflow, startInBackground, queueModeStart } = require('../harness/e2e/queue-workflows');

const describeQueue = describeQueueMode('pays-once/queue-mode.e2e');

jest.setTimeout(5 * 60 * 1000);

const world = queueModeWorld();
let sim; // world.simulator
let q; // world.queue: startQueue's answer
let n8n; // world.main: the public API
const { finished, createdFor, readsOf, jobOf, workerOf, enqueuedBy } = world;

const waitFor = support.waitFor;

/** Starts workflow `key` through the webhook processor, with one item per prompt. */
const start = (key, prompts) => startWorkflow(world, key, prompts);
const { expectStatus } = support;

/** This file's workflows (queue-workflows.js). */
const KEYS = ['retry', 'crashPoll', 'crashPause'];
const started = {};

describeQueue('queue mode (main, 2 workers, a webhook processor): each item paid once', () => {
	beforeAll(async () => {
		await world.start(queueModeStart(KEYS, { faults: { failJobsWhen: (body) => String(body?.text ?? '').includes(MARK.fail) } }));
		({ simulator: sim, queue: q, main: n8n } = world);
		// The polling run waits ~30 s for its first look at the jobs.
		started.retry = (await startInBackground(world, 'retry', ['retry one', `retry two ${MARK.fail}`, 'retry three'])).finished;
	}, support.INSTALL_AND_START_MS);

	afterAll(() => world.stop(), 120000);

	test('Retry On Fail on a worker: still one job per item', async () => {
		const execution = await started.retry;
		expectStatus(execution, 'error');
		expect(support.errorMessages(execution).join('\n')).toMatch(/Legnext could not finish job/);
		for (const prompt of ['retry one', 'retry two', 'retry three']) expect(createdFor(prompt)).toHaveLength(1);
		// n8n did run the node twice: the failed job was read again by the second try.
		const failed = jobOf(MARK.fail);
		expect(readsOf(failed.id).length).toBeGreaterThanOrEqual(2);
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
				// n8n answers a Retry when the retried execution has ended (ExecutionService.retry awaits it).
				await n8n.api(`/executions/${crash.execution.id}/retry`, { method: 'POST', body: { loadWorkflow: true }, timeoutMs: 3 * 60000 });
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
