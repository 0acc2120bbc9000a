// The Legnext node (Text to Image, Image to Video, Get Job) in n8n's real engine against the simulator.
const { API_KEY, startWorld, legnextWorkflow, apiRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: 'a red fox in the snow', ...extra });

function expectNoErrorField(items) {
	for (const item of items) expect([undefined, null, false]).toContain(item.json.error);
}

describe('Text to Image', () => {
	test('polls until done and outputs the simplified job', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('success');
		const [item] = run.output('Legnext');
		expect(item.json).toMatchObject({ status: 'completed', taskType: 'diffusion', jobError: null, startedAt: expect.any(String) });
		expect(item.json.jobId).toMatch(/^[0-9a-f-]{36}$/);
		expect(item.json.imageUrls).toHaveLength(4);
		expect(item.json.gridUrl).toMatch(/grid/);
		expect(item.json.seed).toEqual(expect.any(String));
		expect(item.pairedItem).toEqual({ item: 0 });
		expectNoErrorField([item]);
		const submits = apiRequests(world.simulator).filter((r) => r.method === 'POST');
		expect(submits).toHaveLength(1);
		expect(submits[0].path).toBe('/api/v1/diffusion');
		expect(submits[0].body).toEqual({ text: 'a red fox in the snow' });
		expect(world.simulator.createdJobs()).toBe(1);
	});

	test("Don't Wait outputs the pending job; the raw shape keeps Legnext's fields but not `error`", async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ waitMode: 'none', options: { simplify: false } })),
		);
		expect(run.status).toBe('success');
		const [item] = run.output('Legnext');
		expect(item.json.status).toBe('pending');
		expect(item.json.job_id).toMatch(/^[0-9a-f-]{36}$/);
		expect(item.json.meta.started_at).toBe('0001-01-01T00:00:00Z');
		expect(item.json).not.toHaveProperty('error');
		expect(item.json.jobError).toBeNull();
		expect(apiRequests(world.simulator).filter((r) => r.path.startsWith('/api/v1/job'))).toHaveLength(0);
	});

	test('N items in, N items out, in order, each paired', async () => {
		const items = ['one', 'two', 'three', 'four'].map((word) => ({ word }));
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ "a " + $json.word }}', waitMode: 'none' }), { items }),
		);
		const output = run.output('Legnext');
		expect(output).toHaveLength(4);
		output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		// In order: item n carries the job made from item n's prompt.
		expect(output.map((item) => world.simulator.jobs.get(item.json.jobId).body.text)).toEqual(['a one', 'a two', 'a three', 'a four']);
		expect(world.simulator.createdJobs()).toBe(4);
	});

	test('an empty callback is never sent; a custom one is', async () => {
		await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none', callback: 'url', callbackUrl: 'https://example.com/hook' })));
		await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none', callback: 'none' })));
		const bodies = apiRequests(world.simulator).filter((r) => r.method === 'POST').map((r) => r.body);
		expect(bodies[0].callback).toBe('https://example.com/hook');
		expect(bodies[1]).not.toHaveProperty('callback');
	});
});

describe('Image to Video and Get Job', () => {
	test('from an earlier job (job ID from the incoming item) and from an image URL', async () => {
		const image = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		const jobId = image.output('Legnext')[0].json.jobId;

		const fromJob = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageNo: 2, resolution: '720p', prompt: 'waves' }, { items: [{ jobId }] }),
		);
		expect(fromJob.status).toBe('success');
		const video = fromJob.output('Legnext')[0].json;
		expect(video).toMatchObject({ status: 'completed', taskType: 'video_diffusion' });
		expect(video.videoUrls).toHaveLength(4);

		const fromUrl = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', prompt: 'slow zoom', waitMode: 'none' }),
		);
		expect(fromUrl.status).toBe('success');
		const bodies = apiRequests(world.simulator).filter((r) => r.path === '/api/v1/video-diffusion').map((r) => r.body);
		expect(bodies[0]).toEqual({ jobId, imageNo: 2, prompt: 'waves', videoType: 1 });
		expect(bodies[1]).toEqual({ prompt: 'https://example.com/a.png slow zoom', videoType: 0 });

		const got = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'job', operation: 'get' }, { items: [{ jobId }] }));
		expect(got.output('Legnext')[0].json).toMatchObject({ jobId, status: 'completed', taskType: 'diffusion' });
	});
});

describe('bad input is refused before any request', () => {
	const cases = [
		['empty prompt', textToImage({ prompt: '   ' }), /Prompt: is empty \(item 0\)/],
		['too long prompt', textToImage({ prompt: 'x'.repeat(8193) }), /Prompt: is 8193 characters long/],
		['image number outside 0–3', { resource: 'video', operation: 'imageToVideo', jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 4 }, /Image Number: 4 is not a whole number from 0 to 3 \(item 0\)/],
		['job ID with spaces', { resource: 'job', operation: 'get', jobId: 'my job 12' }, /Job ID: "my job 12" has spaces in it \(item 0\)/],
		['image URL not http(s)', { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'ftp://example.com/a.png' }, /Image URL: "ftp:\/\/example.com\/a.png" is not an http\(s\) URL/],
		['unknown resolution', { resource: 'video', operation: 'imageToVideo', jobId: '789320d3-4b20-46d3-a804-6165a079176a', resolution: '4k' }, /Resolution: "4k" is not one of the choices/],
		['callback not http(s)', textToImage({ callback: 'url', callbackUrl: 'javascript:alert(1)' }), /Callback URL: .* is not an http\(s\) URL/],
	];
	test.each(cases)('%s', async (_name, parameters, message) => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(message);
		expect(run.error.description).toEqual(expect.any(String));
		expect(apiRequests(world.simulator)).toHaveLength(0);
	});

	test('a bad item 2 stops the run before items 0 and 1 are sent', async () => {
		const items = [{ p: 'ok' }, { p: 'fine' }, { p: '' }];
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ prompt: '={{ $json.p }}' }), { items }));
		expect(run.error.message).toMatch(/Prompt: is empty \(item 2\)/);
		expect(apiRequests(world.simulator)).toHaveLength(0);
	});

	test('with Continue On Fail the bad item becomes an error item and the others carry on', async () => {
		const items = [{ p: 'ok' }, { p: '' }, { p: 'fine' }];
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ $json.p }}', waitMode: 'none' }), { items, node: { onError: 'continueRegularOutput' } }),
		);
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output).toHaveLength(3);
		expect(output[0].json.status).toBe('pending');
		expect(output[1].json.error).toMatch(/Prompt: is empty \(item 1\)/);
		expect(output[2].json.status).toBe('pending');
		output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		expect(world.simulator.createdJobs()).toBe(2);
	});
});

describe('API errors become readable n8n errors', () => {
	test('401: a wrong key says so, and no key appears anywhere', async () => {
		const other = await startWorld({}, { credentials: { apiKey: 'wrong-key-SECRET-987' } });
		try {
			const run = await other.engine.runWorkflow(legnextWorkflow(other, textToImage()));
			expect(run.status).toBe('error');
			expect(run.error.message).toMatch(/Legnext refused the API key/);
			expect(run.error.description).toMatch(/Failed to verify api key/);
			expect(run.error.httpCode).toBe('401');
			expect(JSON.stringify(run.runExecutionData)).not.toContain('wrong-key-SECRET-987');
			expect(JSON.stringify(run.error)).not.toContain('wrong-key-SECRET-987');
		} finally {
			await other.close();
		}
	});

	const statuses = [
		[400, /rejected the request as invalid/],
		[402, /Not enough Legnext credits/],
		[403, /sensitive content or no permission/],
		[404, /does not know this job/],
		[413, /too large/],
		[422, /could not process these values/],
	];
	test.each(statuses)('%i', async (code, message) => {
		world.simulator.inject({ status: { code, count: 1, on: 'submit' } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(message);
		expect(run.error.httpCode).toBe(String(code));
		expect(run.error.description).toMatch(/^Legnext said: /);
		expect(world.simulator.createdJobs()).toBe(0);
		expect(JSON.stringify(run.runExecutionData)).not.toContain(API_KEY);
	});

	// Legnext's material shows three error shapes (flat, nested, job-shaped): its own words reach the user whatever the shape.
	test.each([
		['flat (the docs)', 'flat'],
		['nested (the SDKs\' ErrorResponse)', 'nested'],
		['job-shaped (the recorded 403)', 'job'],
	])('Legnext\'s message in the %s shape', async (_name, errorShape) => {
		world.simulator.inject({ errorShape, status: { code: 403, count: 1, on: 'submit', message: 'Prompt blocked: sensitive words', rawMessage: 'banned word "gore"' } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('error');
		expect(run.error.httpCode).toBe('403');
		expect(run.error.message).toMatch(/sensitive content or no permission/);
		expect(run.error.description).toMatch(/^Legnext said: Prompt blocked: sensitive words: banned word "gore"\./);
		expect(world.simulator.createdJobs()).toBe(0);
	});

	test('500s on status checks are retried', async () => {
		world.simulator.inject({ http500: 2, http500On: 'job' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json.status).toBe('completed');
		expect(world.simulator.createdJobs()).toBe(1);
	});

	test('a non-JSON answer (a gateway page) says so', async () => {
		world.simulator.inject({ nonJson: 5 });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'job', operation: 'get', jobId: '789320d3-4b20-46d3-a804-6165a079176a' }));
		expect(run.error.message).toMatch(/not JSON \(HTTP 502\)/);
	});

	test('an unreachable host says where and what to check', async () => {
		const other = await startWorld({}, { credentials: { baseUrl: 'http://127.0.0.1:9' } });
		try {
			const run = await other.engine.runWorkflow(legnextWorkflow(other, textToImage()));
			expect(run.error.message).toMatch(/Could not reach Legnext at 127.0.0.1:9/);
			expect(run.error.description).toMatch(/ECONNREFUSED/);
		} finally {
			await other.close();
		}
	});
});
