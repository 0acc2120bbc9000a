// The seams between two HTTP calls, in n8n's engine: every paid job reaches the workflow or an error
// that names it — a submit refused mid-batch, error items and their hint, a forged final check,
// secrets in outputs, a failed job's reason, a 500 on submit with Retry On Fail, Legnext unreachable
// while a job runs, an unverifiable callback.
const { startWorld, legnextWorkflow, apiRequests } = require('../harness/setup');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', ...extra });
const FOUR = [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }];
const submits = () => apiRequests(world.simulator).filter((r) => r.method === 'POST');
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
		world.simulator.inject({ callbacks: 'late', lateBy: 60 });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', download: 'grid' }), { items: [{ p: 'a' }] }));
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

		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		const [item] = done.output('Legnext');
		expect(item.json.status).toBe('completed');
		expect(item.binary.data.mimeType).toBe('image/png');
		// Where the callback went, without the resume URL's secret.
		expect(JSON.stringify(item.json)).not.toMatch(/signature=(?!\*\*\*)|token=(?!\*\*\*)/);
	});

	test('after an early resume the final-check timer does nothing', async () => {
		const calls = [];
		const record = (request) => calls.push(request.url);
		world.engine.events.on('waitingWebhookRequest', record);
		try {
			// A 2 min limit is 600 ms here; the 60 s job calls back at 300 ms.
			const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', timeLimitMinutes: 2 }), { items: [{ p: 'a' }] }));
			world.simulator.inject({});
			const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
			expect(done.output('Legnext')[0].json.status).toBe('completed');
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(calls.filter((url) => url.includes('legnextFinalCheck'))).toEqual([]);
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
		// Status reads while waiting: about one per job (each callback reads its own job first).
		const reads = apiRequests(world.simulator).filter((r) => r.path.startsWith('/api/v1/job/')).length;
		expect(reads).toBeLessThanOrEqual(4);
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
