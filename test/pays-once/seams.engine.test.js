// The seams between two HTTP calls, in n8n's engine: every paid job reaches the workflow or an error
// that names it — a submit refused mid-batch, error items and their hint, a forged final check,
// secrets in outputs, a failed job's reason, a 500 on submit with Retry On Fail, Legnext unreachable
// while a job runs, an unverifiable callback, n8n's Retry of a failed execution.
const { startWorld, legnextWorkflow, apiRequests, submitRequests } = require('../harness/world');

let world;
/** Job seconds of the jobs created from now on; undefined: the simulator's typical durations. */
let jobSeconds;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6, durations: () => jobSeconds });
});
afterAll(async () => await world.close());
beforeEach(() => {
	world.simulator.reset();
	jobSeconds = undefined;
});

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', ...extra });
const FOUR = [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }];
const submits = () => submitRequests(world.simulator);
const REFUSED = { nth: 2, code: 403, message: 'Sensitive content', rawMessage: 'banned prompt: "b"' };

describe('one item refused in a batch', () => {
	test.each(['poll', 'callback'])('%s, without Continue On Fail: the error names every job the run created', async (waitMode) => {
		world.simulator.inject({ refuseSubmit: REFUSED });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode, options: { concurrency: 1 } }), { items: FOUR }));
		expect(run.status).toBe('error');
		// Concurrency 1: item 0 was sent, item 1 refused, items 2 and 3 not sent (nothing more paid).
		expect(submits()).toHaveLength(2);
		expect(world.simulator.createdJobs()).toBe(1);
		const [job] = [...world.simulator.jobs.keys()];
		expect(run.error.message).toMatch(/refused the job.*\(item 1\); 1 other job of this run was created/);
		expect(run.error.description).toContain(`item 0 → job ${job}`);
		expect(run.error.description).toMatch(/Job → Get/);
		expect(run.error.description).toMatch(/2 other items were not sent/);
		expect(run.error.description).toContain('banned prompt');
	});

	test.each(['poll', 'callback'])('%s, with Continue On Fail: the good items come out complete, the refused one as an error item', async (waitMode) => {
		world.simulator.inject({ refuseSubmit: REFUSED });
		const node = { onError: 'continueRegularOutput' };
		let run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode, download: 'grid' }), { items: FOUR, node }));
		if (waitMode === 'callback') run = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.pairedItem)).toEqual(FOUR.map((_, item) => ({ item })));
		expect(output.map((item) => item.json.status ?? 'error')).toEqual(['completed', 'error', 'completed', 'completed']);
		expect(output[1].json).toEqual({ error: expect.stringMatching(/refused the job/), details: expect.stringContaining('banned prompt') });
		for (const index of [0, 2, 3]) expect(output[index].binary.data.mimeType).toBe('image/png');
		expect(world.simulator.createdJobs()).toBe(3);
	});
});

describe('error items keep their hint', () => {
	test('a failed job under "Continue (using error output)": error and details on the error output', async () => {
		world.simulator.inject({ failJobs: 1, failWith: { message: 'Task failed', raw_message: 'image URL unreachable' } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: [{ p: 'a' }], node: { onError: 'continueErrorOutput' } }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext', 0)).toHaveLength(0);
		const [item] = run.output('Legnext', 1);
		expect(item.json.error).toMatch(/Legnext could not finish job [0-9a-f-]{36}: Task failed: image URL unreachable \(item 0\)/);
		expect(item.json.details).toMatch(/Adjust the prompt/);
	});

	test('after a pause, a failed job arrives as an item with error and details', async () => {
		world.simulator.inject({ failJobs: 1, failWith: { message: 'Task failed', raw_message: 'banned word' } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback' }), { items: [{ p: 'a' }] }));
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		const [item] = done.output('Legnext');
		expect(item.json.error).toMatch(/Task failed: banned word/);
		expect(item.json.details).toMatch(/Adjust the prompt/);
	});
});

describe('pause until callback: only Legnext’s real state ends the wait', () => {
	test('a forged final check and a forged callback end nothing; the real callback resumes with the files', async () => {
		// The job runs until the test ends it (advance below): a forged request must find it still running.
		// With a typical 60 s job (0.3 s here) it had really ended by the forged callback on a slow machine,
		// and the node rightly resumed. The 60 min limit (18 s here) keeps the real final check out of it;
		// a longer one would keep its timer, and the test process, alive after the test. The job's 50 min
		// stay within it (a job that ran past its item's limit is cut after a resume, as Poll cuts it).
		jobSeconds = 50 * 60;
		world.simulator.inject({ callbacks: 'late', lateBy: 60 });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', download: 'grid', timeLimitMinutes: 60 }), { items: [{ p: 'a' }] }));
		expect(run.status).toBe('waiting');
		const callback = submits()[0].body.callback;
		for (const flag of ['1', 'a'.repeat(64)]) {
			const forged = await fetch(`${callback}${callback.includes('?') ? '&' : '?'}legnextFinalCheck=${flag}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
			expect(forged.status).toBe(200);
		}
		const jobId = [...world.simulator.jobs.keys()][0];
		await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { job_id: jobId, status: 'completed' } }) });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(world.engine.execution(run.executionId).status).toBe('waiting');
		expect(world.simulator.view(jobId).status).not.toBe('completed');

		world.simulator.advance(50 * 60);
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		const [item] = done.output('Legnext');
		expect(item.json.status).toBe('completed');
		expect(item.binary.data.mimeType).toBe('image/png');
		// Where the callback went, without the resume URL's secret.
		expect(JSON.stringify(item.json)).not.toMatch(/signature=(?!\*\*\*)|token=(?!\*\*\*)/);
	});

	test('after an early resume the node’s checks do nothing', async () => {
		const calls = [];
		const record = (request) => calls.push({ url: request.url, at: Date.now() });
		world.engine.events.on('waitingWebhookRequest', record);
		try {
			// A 2 min limit is 600 ms here; the 60 s job calls back at 300 ms, after the node's early checks
			// (5 s and 30 s of job time after the pause, 25 and 150 ms here) found it running.
			const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', timeLimitMinutes: 2 }), { items: [{ p: 'a' }] }));
			world.simulator.inject({});
			const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
			const resumedAt = Date.now();
			expect(done.output('Legnext')[0].json.status).toBe('completed');
			await new Promise((resolve) => setTimeout(resolve, 1000));
			// The check 2 min of job time after the pause (600 ms) and the final check are called off.
			expect(calls.filter(({ url, at }) => url.includes('legnextFinalCheck') && at > resumedAt)).toEqual([]);
			expect(calls.length).toBeGreaterThan(0);
		} finally {
			world.engine.events.off('waitingWebhookRequest', record);
		}
	});

	test('no callback at all: the final check at the time limit reads the jobs and ends the wait', async () => {
		world.simulator.inject({ callbacks: 'missing' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', timeLimitMinutes: 3 }), { items: [{ p: 'a' }] }));
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.output('Legnext')[0].json.status).toBe('completed');
	});

	test('three callbacks at once resume once and download each file once', async () => {
		const items = [{ p: 'a' }, { p: 'b' }, { p: 'c' }];
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', download: 'grid' }), { items }));
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.output('Legnext')).toHaveLength(3);
		const downloads = world.simulator.requests.filter((r) => r.path.startsWith('/files/'));
		expect(downloads).toHaveLength(3);
		// Status reads while waiting: about one per job (each callback reads its own job first), and one for
		// each of the node's early checks made while the jobs still ran (two here: 25 and 150 ms).
		const reads = apiRequests(world.simulator).filter((r) => r.path.startsWith('/api/v1/job/')).length;
		expect(reads).toBeLessThanOrEqual(6);
	});
});

describe('a failed job says why', () => {
	test('Job → Get: without downloads the failed job with its reason; with downloads an error that says it failed', async () => {
		world.simulator.inject({ failJobs: 1, failWith: { message: 'Task failed', raw_message: 'moderation: nsfw' } });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none' }), { items: [{ p: 'a' }] }));
		const { jobId } = first.output('Legnext')[0].json;
		await new Promise((resolve) => setTimeout(resolve, 600));

		const get = (extra) => legnextWorkflow(world, { resource: 'job', operation: 'get', jobId, ...extra });
		const plain = await world.engine.runWorkflow(get({}));
		expect(plain.output('Legnext')[0].json).toMatchObject({ jobId, status: 'failed', jobError: { rawMessage: 'moderation: nsfw' } });
		const files = await world.engine.runWorkflow(get({ download: 'images' }));
		expect(files.status).toBe('error');
		expect(files.error.message).toBe(`Legnext could not finish job ${jobId}: Task failed: moderation: nsfw (item 0)`);
	});
});

describe('paid submits are never sent twice', () => {
	test('a 500 on submit with Retry On Fail: the error keeps Legnext’s answer and says why it is not sent again', async () => {
		world.simulator.inject({ status: { code: 500, on: 'submit', message: 'internal error', rawMessage: 'db timeout' } });
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ waitMode: 'none' }), { items: [{ p: 'a' }], node: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } }),
		);
		expect(run.status).toBe('error');
		expect(submits()).toHaveLength(1);
		expect(run.error.message).toMatch(/Not sent again/);
		expect(run.error.description).toMatch(/internal error: db timeout/);
		expect(run.error.description).toMatch(/pay twice/);
	});

	test('Legnext unreachable for 2 minutes mid-poll: the job is not sent again and the result arrives', async () => {
		const run = world.engine.startWorkflow(legnextWorkflow(world, textToImage({ timeLimitMinutes: 10 }), { items: [{ p: 'a' }] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		world.simulator.inject({ unreachable: { on: 'job', forSeconds: 120 } });
		const done = await run.promise;
		expect(done.status).toBe('success');
		expect(done.output('Legnext')[0].json.status).toBe('completed');
		expect(submits()).toHaveLength(1);
		expect(world.simulator.requests.filter((r) => r.dropped).length).toBeGreaterThan(0);
	});
});

test('an upscaled image is an image, not a grid', async () => {
	const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: [{ p: 'a' }] }));
	const { jobId } = first.output('Legnext')[0].json;
	const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'upscale', jobId, download: 'all' }));
	const items = run.output('Legnext');
	expect(items.map((item) => item.json.file.kind)).toEqual(['image']);
	expect(items[0].json.gridUrl).toBeNull();
	expect(items[0].json.imageUrls).toHaveLength(1);
});

// n8n's Retry of a failed execution (the executions list's "Retry"): n8n runs the failed Legnext node
// again from the execution's saved data, in a new execution. Every item that already created a job
// gets that job back (nothing is paid twice); items the failed run did not send are sent now; one job
// per item in all. The harness's retryExecution mirrors n8n's ExecutionService.retry.
describe('n8n’s Retry of a failed execution', () => {
	const PROMPTS = [{ p: 'a lighthouse' }, { p: 'a fox' }, { p: 'a pier' }, { p: 'a kite' }];
	const jobOfPrompt = (prompt) => [...world.simulator.jobs.values()].filter((job) => job.body?.text === prompt).map((job) => job.id);
	const createdPerPrompt = () => PROMPTS.map(({ p }) => jobOfPrompt(p).length);

	test('a download that failed: the Retry reads the same job again and brings its files, nothing sent', async () => {
		world.simulator.inject({ expireFiles: true });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'grid' }), { items: PROMPTS.slice(0, 2) }));
		expect(first.status).toBe('error');
		expect(first.error.message).toMatch(/expired or was refused/);
		const jobs = [...world.simulator.jobs.keys()];
		expect(jobs).toHaveLength(2);
		for (const job of jobs) expect(`${first.error.message} ${first.error.description}`).toContain(job);

		// The file server answers again; the user presses Retry.
		world.simulator.inject({ expireFiles: false });
		const sent = submits().length;
		const retry = await world.engine.retryExecution(first.executionId);
		expect(retry.status).toBe('success');
		expect(retry.mode).toBe('retry');
		expect(submits()).toHaveLength(sent);
		const output = retry.output('Legnext');
		expect(output.map((item) => item.json.jobId)).toEqual(jobs);
		for (const item of output) expect(item.binary.data.mimeType).toBe('image/png');
	});

	test.each(['poll', 'callback'])('%s: an item refused mid-batch, then the Retry: the created job is handed back, the rest sent, one job per item', async (waitMode) => {
		world.simulator.inject({ refuseSubmit: { nth: 2, code: 402, message: 'Insufficient balance' } });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode, download: 'images', options: { concurrency: 1 } }), { items: PROMPTS }));
		expect(first.status).toBe('error');
		expect(createdPerPrompt()).toEqual([1, 0, 0, 0]);
		const [job0] = jobOfPrompt('a lighthouse');
		expect(first.error.description).toContain(`item 0 → job ${job0}`);

		// The user topped up, then pressed Retry.
		let retry = await world.engine.retryExecution(first.executionId);
		// More items than the Concurrency: Pause Until Callback waits for each job in place, and pauses only while one runs.
		if (retry.status === 'waiting') retry = await world.engine.waitForResume(retry, { timeoutMs: 30_000 });
		expect(retry.status).toBe('success');
		expect(createdPerPrompt()).toEqual([1, 1, 1, 1]);
		// Four images per job ("The Four Images, One Item Each"), each on an item paired with its input item.
		const output = retry.output('Legnext');
		expect(output.map((item) => [item.pairedItem.item, item.json.jobId])).toEqual(PROMPTS.flatMap(({ p }, index) => Array(4).fill([index, jobOfPrompt(p)[0]])));
		expect(new Set(output.map((item) => item.json.status))).toEqual(new Set(['completed']));
	});

	test('Pause Until Callback with room for every item: the Retry reads every job in place, so no callback comes while it is still running', async () => {
		world.simulator.inject({ refuseSubmit: { when: (body) => body?.text === 'a fox', code: 402, message: 'Insufficient balance' } });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback' }), { items: PROMPTS }));
		expect(first.status).toBe('error');
		const created = createdPerPrompt();
		expect(created[1]).toBe(0);

		world.simulator.inject({ refuseSubmit: undefined });
		const retry = await world.engine.retryExecution(first.executionId);
		// Ended at once: the jobs handed back called back to the failed execution, and the one sent now
		// was read in place rather than left to a callback that could come before the execution waited.
		expect(retry.status).toBe('success');
		expect(createdPerPrompt()).toEqual([1, 1, 1, 1]);
		expect([...new Set(retry.output('Legnext').map((item) => item.json.jobId))]).toEqual(PROMPTS.map(({ p }) => jobOfPrompt(p)[0]));
		expect(submits().filter((request) => request.body.callback?.includes(`/${retry.executionId}/`))).toHaveLength(1);
	});

	test('a job that failed stays that item’s job on a Retry: the same error, nothing paid again', async () => {
		world.simulator.inject({ failJobsWhen: (body) => body?.text === 'a fox' });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: PROMPTS.slice(0, 2) }));
		expect(first.status).toBe('error');
		const [failed] = jobOfPrompt('a fox');
		expect(first.error.message).toContain(`Legnext could not finish job ${failed}`);

		const retry = await world.engine.retryExecution(first.executionId);
		expect(retry.status).toBe('error');
		expect(retry.error.message).toContain(`Legnext could not finish job ${failed}`);
		expect(createdPerPrompt().slice(0, 2)).toEqual([1, 1]);
	});

	test('a submit whose answer was lost is not sent again by the Retry either, and the error says why', async () => {
		world.simulator.inject({ http500: 1, http500On: 'submit' });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: PROMPTS.slice(0, 1) }));
		expect(first.status).toBe('error');
		const sentFirst = submits().length;

		const retry = await world.engine.retryExecution(first.executionId);
		expect(retry.status).toBe('error');
		expect(submits()).toHaveLength(sentFirst);
		expect(retry.error.message).toMatch(/Not sent again: the first try may already have created this job \(item 0\)/);
		expect(retry.error.description).toMatch(/Retry of the execution/);
	});

	test('a new run of the same workflow sends its items anew: only a Retry of the execution hands jobs back', async () => {
		const workflow = legnextWorkflow(world, textToImage({ waitMode: 'none' }), { items: PROMPTS.slice(0, 1) });
		await world.engine.runWorkflow(workflow);
		await world.engine.runWorkflow(workflow);
		expect(jobOfPrompt('a lighthouse')).toHaveLength(2);
	});

	describe('with a balance that just covers the batch', () => {
		let tight;
		beforeAll(async () => {
			// Four Text to Image jobs cost 4 × 80 = 320 points (the published price).
			tight = await startWorld({ concurrencyLimit: 6, balance: { points: 350, credits: 0 } });
		});
		afterAll(async () => await tight.close());

		test('the Retry does not count the jobs handed back against the balance again: Legnext already holds their points', async () => {
			tight.simulator.inject({ refuseSubmit: { nth: 2, code: 403, message: 'Sensitive content' } });
			const workflow = legnextWorkflow(tight, textToImage({ options: { concurrency: 1 } }), { items: PROMPTS });
			const first = await tight.engine.runWorkflow(workflow);
			expect(first.status).toBe('error');
			expect(tight.simulator.createdJobs()).toBe(1);

			// 270 points left: enough for the three items not paid yet (240), not for all four again (320).
			const retry = await tight.engine.retryExecution(first.executionId);
			expect(retry.status).toBe('success');
			expect(tight.simulator.createdJobs()).toBe(4);
			expect(new Set(retry.output('Legnext').map((item) => item.json.jobId)).size).toBe(4);
		});
	});
});
