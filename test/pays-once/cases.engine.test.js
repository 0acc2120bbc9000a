// Every paid job accounted for (issue 21, part A), in n8n's engine against the simulator: each case
// below paid twice or lost a job before, and names or refuses as it should now.
const { startWorld, legnextWorkflow, legnextTriggerWorkflow, apiRequests, API_KEY } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

// Don't Download unless a case says otherwise: one output item per job, as these cases count them.
const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', download: 'none', ...extra });
const submits = () => apiRequests(world.simulator).filter((r) => r.method === 'POST');
const jobIds = () => [...world.simulator.jobs.keys()];
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };
const CONTINUE = { onError: 'continueRegularOutput' };
const everything = (run) => JSON.stringify({ output: run.runData, error: run.error && { message: run.error.message, description: run.error.description } });

describe('Pause Until Callback + Retry On Fail', () => {
	test('one job per item, with the prompt as written; the input items are not changed', async () => {
		const items = [{ animal: 'cat' }, { animal: 'dog' }];
		const parameters = textToImage({ prompt: '=A watercolor of {{ $json.animal }}', waitMode: 'callback' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items, node: RETRY }));
		expect(run.status).toBe('waiting');
		expect(submits().map((r) => r.body.text)).toEqual(['A watercolor of cat', 'A watercolor of dog']);
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.status).toBe('success');
		expect(world.simulator.createdJobs()).toBe(2);
		expect(done.output('Legnext').map((item) => item.json.jobId)).toEqual(jobIds());
		expect(done.output('Items').map((item) => item.json)).toEqual(items);
	});

	test('with {{ $json.p }} and Continue On Fail: no retry pays again, every job reaches the output', async () => {
		const items = [{ p: 'a' }, { p: 'b' }];
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback' }), { items, node: { ...RETRY, ...CONTINUE } }));
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(world.simulator.createdJobs()).toBe(2);
		expect(done.output('Legnext').map((item) => item.json.status)).toEqual(['completed', 'completed']);
	});
});

describe('Poll Until Done with downloads', () => {
	test('one download fails: the error names every paid job of the run', async () => {
		world.simulator.inject({ status: { code: 404, on: 'files', count: 1 } });
		const items = [{ p: 'a' }, { p: 'b' }, { p: 'c' }];
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'grid' }), { items }));
		expect(run.status).toBe('error');
		expect(world.simulator.createdJobs()).toBe(3);
		const text = `${run.error.message} ${run.error.description}`;
		for (const jobId of jobIds()) expect(text).toContain(jobId);
	});

	test('Download Files → Videos on Text to Image is refused before anything is paid', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'videos' }), { items: [{ p: 'a' }] }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Download Files: "videos" does not fit Text to Image/);
		expect(submits()).toHaveLength(0);
	});
});

describe('a status read answered 4xx while polling names the job', () => {
	test.each([404, 401])('HTTP %i: in the error, and in the Continue On Fail item', async (code) => {
		world.simulator.inject({ status: { code, on: 'job', count: 1 } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: [{ p: 'a' }] }));
		expect(run.status).toBe('error');
		const [jobId] = jobIds();
		expect(run.error.message).toContain(jobId);

		world.simulator.reset();
		world.simulator.inject({ status: { code, on: 'job', count: 1 } });
		const kept = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: [{ p: 'a' }], node: CONTINUE }));
		const [item] = kept.output('Legnext');
		expect(item.json.error).toContain(jobIds()[0]);
	});
});

test('Pause Until Callback: the final check finds Legnext unreachable, the item keeps the job ID', async () => {
	world.simulator.inject({ callbacks: 'missing', unreachable: { on: 'job', forSeconds: 100_000 } });
	const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', timeLimitMinutes: 2 }), { items: [{ p: 'a' }] }));
	const done = await world.engine.waitForResume(run, { timeoutMs: 30_000 });
	const [item] = done.output('Legnext');
	expect(item.json.error).toContain(jobIds()[0]);
	expect(item.json.error).toMatch(/could not be read: Could not reach Legnext/);
});

test('without Continue On Fail, an early failure stops the items still waiting out 429s', async () => {
	const small = await startWorld({ concurrencyLimit: 2 });
	try {
		// Item 0 is refused at once; items 1 and 2 take the account's two slots; item 3 waits out 429s.
		small.simulator.inject({ refuseSubmit: { when: (body) => body.text === 'a', code: 403, message: 'Sensitive content' } });
		const items = [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }];
		const run = await small.engine.runWorkflow(legnextWorkflow(small, textToImage({ options: { concurrency: 4 } }), { items }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/refused the job.*\(item 0\)/);
		const created = [...small.simulator.jobs.values()].map((job) => job.body.text).sort();
		expect(created).toEqual(['b', 'c']);
		for (const jobId of small.simulator.jobs.keys()) expect(run.error.description).toContain(jobId);
	} finally {
		await small.close();
	}
});

describe('Max Points per Run is never exceeded', () => {
	const frozenTotal = () => [...world.simulator.jobs.values()].reduce((sum, job) => sum + job.plan.frozen, 0);

	test('a refused first item does not switch the cap off (Continue On Fail, cap 80)', async () => {
		world.simulator.inject({ refuseSubmit: { nth: 1, code: 403, message: 'Sensitive content' } });
		const items = [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }];
		const parameters = textToImage({ waitMode: 'none', options: { maxPointsPerRun: 80, concurrency: 1 } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items, node: CONTINUE }));
		expect(run.status).toBe('success');
		expect(frozenTotal()).toBeLessThanOrEqual(80);
		expect(world.simulator.createdJobs()).toBe(1);
	});

	test('three --turbo images under a cap of 240: counted at the published turbo price, one is sent', async () => {
		const items = [{ p: 'a --turbo' }, { p: 'b --turbo' }, { p: 'c --turbo' }];
		const parameters = textToImage({ waitMode: 'none', options: { maxPointsPerRun: 240 } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items }));
		expect(run.status).toBe('success');
		expect(submits()).toHaveLength(1);
		expect(run.output('Legnext')[1].json.error).toMatch(/Max Points per Run \(240\)/);
	});
});

test('three 720p videos under a cap of 2,000, no price known: counted at 1,536 points each, one is sent', async () => {
	const items = [{}, {}, {}];
	const parameters = { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', resolution: '720p', waitMode: 'none', options: { maxPointsPerRun: 2000 } };
	const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items }));
	expect(run.status).toBe('success');
	expect(submits()).toHaveLength(1);
	expect(run.output('Legnext')[1].json.error).toMatch(/Max Points per Run \(2000\).*this item costs 1536/);
});

test('a creative upscale of a --turbo job under a cap of 300: counted at the turbo price (320), not sent', async () => {
	// Found by the ledger test (LEDGER_SEED=4): a follow-up runs at its parent's speed, which its request
	// does not show; it was counted at 160 and frozen at 320, past the cap.
	const response = await fetch(`${world.simulator.url}/api/v1/diffusion`, {
		method: 'POST',
		headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
		body: JSON.stringify({ text: 'a heron --turbo' }),
	});
	const parent = (await response.json()).job_id;
	world.simulator.advance(600);
	const before = world.simulator.createdJobs();
	const parameters = { resource: 'image', operation: 'upscale', jobId: parent, imageNo: 0, type: 1, waitMode: 'none', options: { maxPointsPerRun: 300 } };
	const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: [{}] }));
	expect(world.simulator.createdJobs()).toBe(before);
	expect(run.output('Legnext')[0].json.error).toMatch(/Max Points per Run \(300\).*this item costs 320/);
});

test('the published prices the budget counts before Legnext tells its own (budget.ts priceOf)', () => {
	const { priceOf } = require('../../dist/nodes/Legnext/run/budget');
	const post = (path, body) => ({ method: 'POST', path: `/api/v1/${path}`, body });
	expect(priceOf(post('diffusion', { text: 'a cat' }))).toBe(80);
	expect(priceOf(post('diffusion', { text: 'a cat --turbo' }))).toBe(160);
	expect(priceOf(post('video-diffusion', { prompt: 'https://x/a.png waves', videoType: 0 }))).toBe(480);
	expect(priceOf(post('video-diffusion', { prompt: 'https://x/a.png waves', videoType: 1 }))).toBe(1536);
	expect(priceOf(post('describe', { imgUrl: 'https://x/a.png' }))).toBe(20);
	expect(priceOf(post('variation', { jobId: 'x', imageNo: 0, type: 1 }))).toBe(120);
	// A follow-up's own price; the budget counts one that sets no speed at the turbo price (the test above).
	const { priceShape } = require('../../dist/nodes/Legnext/run/prices');
	expect(priceShape('/api/v1/upscale', { jobId: 'x', imageNo: 0, type: 1 })).toEqual({ key: expect.any(String), published: 160, dearest: 320 });
	expect(priceShape('/api/v1/variation', { jobId: 'x', imageNo: 0, type: 1, remixPrompt: 'rain --fast' }).dearest).toBeUndefined();
});

describe('every field that takes an expression is checked before anything is sent', () => {
	test.each([
		['a time limit that is no number', { timeLimitMinutes: '={{ $json.nothing }}' }, /Time Limit \(Minutes\)/],
		['a time limit of 0', { timeLimitMinutes: 0 }, /Time Limit \(Minutes\): 0 is not a number from 0.1/],
		['a concurrency that is no number', { options: { concurrency: '={{ "many" }}' } }, /Concurrency: "many" is not a whole number/],
		['a prompt mapped to an object', { prompt: '={{ $json.message }}' }, /Prompt: is an object, not a text/],
	])('%s', async (_name, extra, expected) => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(extra), { items: [{ p: 'a', message: { role: 'assistant', content: 'a cat' } }] }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(expected);
		expect(submits()).toHaveLength(0);
	});
});

describe('callbacks to the Legnext Trigger of this workflow, which has none listening', () => {
	test('n8n says the trigger webhook is not registered: refused before anything is paid', async () => {
		const workflow = { ...legnextWorkflow(world, textToImage({ waitMode: 'none', callback: 'trigger' })), id: 'wf-no-trigger' };
		const run = await world.engine.runWorkflow(workflow, { mode: 'trigger' });
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/the Legnext Trigger of this workflow is not listening/);
		expect(submits()).toHaveLength(0);
		expect(everything(run)).not.toContain('token=');
	});
});

// Found by the randomized ledger test (generated-runs.engine.test.js) over more operations and shapes.
describe('found by the ledger over more operations', () => {
	test('Image to Video: a prompt mapped to an object is refused before anything is paid (not sent as "[object Object]")', async () => {
		const parameters = { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', prompt: '={{ $json.message }}', waitMode: 'none' };
		const items = [{ message: { role: 'assistant', content: 'waves roll in' } }];
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Prompt: is an object, not a text \(item 0\)/);
		expect(submits()).toHaveLength(0);

		const kept = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: [...items, { message: 'waves roll in' }], node: CONTINUE }));
		expect(kept.output('Legnext')[0].json.error).toMatch(/Prompt: is an object/);
		expect(submits().map((r) => r.body.prompt)).toEqual(['https://example.com/a.png waves roll in']);
	});

	test('Pause Until Callback with every file downloaded: one item per job, paired with its own item', async () => {
		// n8n pairs the output of a node resumed from a wait with its input items by position
		// (n8n-core's addPairedItemLineage): one item per file paired the files of item 0 with items 1–3.
		const parameters = textToImage({ waitMode: 'callback', download: 'images' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: [{ p: 'a' }, { p: 'b' }] }));
		expect(run.status).toBe('waiting');
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.status).toBe('success');
		const output = done.output('Legnext');
		expect(output.map((item) => [item.pairedItem, world.simulator.jobs.get(item.json.jobId).body.text])).toEqual([
			[{ item: 0 }, 'a'],
			[{ item: 1 }, 'b'],
		]);
		for (const item of output) expect(Object.keys(item.binary).sort()).toEqual(['image_0', 'image_1', 'image_2', 'image_3']);
	});
});

// Found by the randomized ledger test over more operations (generated-runs-more-operations.engine.test.js).
describe('found by the ledger over binary input files', () => {
	/** Start → Items → Files (a PNG of its own size per item) → Legnext. */
	function withFiles(parameters, items, node) {
		const workflow = legnextWorkflow(world, parameters, { items, node });
		workflow.nodes.push({ id: 'n-files', name: 'Files', type: 'test.files', typeVersion: 1, position: [300, 0], parameters: { files: '={{ $json.files }}' } });
		workflow.connections.Items = { main: [[{ node: 'Files', type: 'main', index: 0 }]] };
		workflow.connections.Files = { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] };
		return workflow;
	}

	test('Retry On Fail after a failed job: a job made from a binary file is not paid again (its signed URL is signed anew on each try)', async () => {
		// LEDGER_SEED=20261203 LEDGER_RUNS=30 of more-operations: Topaz Upscale of binary files, a job
		// failed, Retry On Fail ran the node again and every item was submitted (and paid) a second time.
		world.simulator.inject({ failJobs: 1 });
		const items = [0, 1].map((i) => ({ files: [{ property: 'data', bytes: 500 + i }] }));
		const parameters = { resource: 'image', operation: 'topazUpscale', imageSource: 'binary', waitMode: 'poll', download: 'none' };
		// A second between the tries: the signed URL's token carries its signing time in seconds.
		const run = await world.engine.runWorkflow(withFiles(parameters, items, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1100 }));
		expect(run.status).toBe('error');
		expect(world.simulator.createdJobs()).toBe(2);
		expect(new Set(submits().map((r) => r.body.image_url)).size).toBe(2);
		expect(everything(run)).toContain(jobIds()[0]);
	});
});

// Found by the randomized ledger test with the Legnext Trigger as the receiver (generated-runs-trigger.engine.test.js).
describe('found by the ledger into the Legnext Trigger', () => {
	test('Legnext answers 401 to the trigger’s verification read: the workflow starts with an item that names the job, not a refusal', async () => {
		// LEDGER_SEED=20261203 LEDGER_RUNS=50 of generated-runs-trigger.engine.test.js: a paid, completed job was refused
		// ("Legnext does not confirm it: Legnext refused the API key") and started nothing, its
		// duplicate callback already answered "duplicate": the job reached no execution.
		await world.engine.activateWorkflow(legnextTriggerWorkflow(world, 'wf-key-refused'));
		world.simulator.inject({ status: { code: 401, count: 1, on: 'job' }, callbacks: 'twice' });
		const run = await world.engine.runWorkflow(legnextTriggerWorkflow(world, 'wf-key-refused'), { startNode: 'Start' });
		expect(run.status).toBe('success');
		const { jobId } = run.output('Legnext')[0].json;
		const triggered = await world.engine.nextTriggeredRun({ timeoutMs: 15_000 });
		expect(triggered.output('Legnext Trigger')).toEqual([
			{ json: { jobId, status: 'completed', taskType: 'diffusion', verified: false, verificationError: expect.stringMatching(/Legnext refused the API key/) }, pairedItem: expect.anything() },
		]);
		await expect(world.engine.nextTriggeredRun({ timeoutMs: 1_000 })).rejects.toThrow();
		await world.engine.deactivateWorkflow('wf-key-refused');
	});
});
