// The node against each of the simulator's switches where Legnext's sources disagree (issue 30; the
// simulator's README marks each disagreement): past the account's limit (refuse or queue), pending jobs
// with "" times and per-operation outputs. In n8n's engine.
const { startWorld, legnextWorkflow, submitRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	// A prompt saying "long" makes a 10-minute job (3 s real): it still runs when the next items are sent.
	world = await startWorld({ concurrencyLimit: 3, durations: (taskType, { body }) => (String(body.text ?? '').includes('long') ? 600 : undefined) });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ "a fox " + $json.n }}', download: 'none', ...extra });
const items = (count) => Array.from({ length: count }, (_, n) => ({ n }));

describe('past the account\'s limit', () => {
	// Fixed 6 sends past a limit of 3; Auto (a new node's default) reads the limit and never does.
	test.each([
		['refuse', 'fixed'],
		['queue', 'fixed'],
		['refuse', 'auto'],
		['queue', 'auto'],
	])('over: %s, Concurrency Mode %s — 8 items on a limit of 3 each end with their own job, one job per item', async (overLimit, concurrencyMode) => {
		world.simulator.inject({ overLimit });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ options: { concurrencyMode } }), { items: items(8) }));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status)).toEqual(Array(8).fill('completed'));
		expect(output.map((item) => world.simulator.jobs.get(item.json.jobId).body.text)).toEqual(items(8).map(({ n }) => `a fox ${n}`));
		expect(world.simulator.createdJobs()).toBe(8);
		const refused = submitRequests(world.simulator).filter((request) => request.status === 429).length;
		if (overLimit === 'queue' || concurrencyMode === 'auto') expect(refused).toBe(0);
		if (overLimit === 'refuse' && concurrencyMode === 'fixed') expect(refused).toBeGreaterThan(0);
	});

	test('Don\'t Wait past the limit with queueing: the job comes out "queued", and Job → Get reads it as running, not as an error', async () => {
		world.simulator.inject({ overLimit: 'queue' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none', prompt: '={{ "a long fox " + $json.n }}', options: { concurrencyMode: 'fixed' } }), { items: items(5) }));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status)).toEqual(['pending', 'pending', 'pending', 'queued', 'queued']);
		expect(output[3].json).toMatchObject({ jobError: null, imageUrls: [], startedAt: null });
		const read = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'job', operation: 'get', jobId: output[4].json.jobId }));
		expect(read.status).toBe('success');
		expect(read.output('Legnext')[0].json).toMatchObject({ jobId: output[4].json.jobId, jobError: null });
	});
});

describe('pending jobs with "" times and per-operation outputs (docs\' Describe, video upscale pages)', () => {
	test('Don\'t Wait: the times read as not yet, not as a date; polling ends with the result', async () => {
		world.simulator.inject({ pendingShape: 'empty' });
		const pending = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'describe', imageSource: 'url', imageUrl: 'https://example.com/a.png', waitMode: 'none' }));
		expect(pending.status).toBe('success');
		const [item] = pending.output('Legnext');
		expect(item.json).toMatchObject({ status: 'pending', createdAt: null, startedAt: null, endedAt: null, imageUrls: [], videoUrls: [] });
		// The submit answer as Legnext sent it (Simplify off): "" times, Describe's empty prompts.
		world.simulator.inject({ pendingShape: 'empty' });
		const describe = { resource: 'image', operation: 'describe', imageSource: 'url', imageUrl: 'https://example.com/a.png', waitMode: 'none', options: { simplify: false } };
		const [raw] = (await world.engine.runWorkflow(legnextWorkflow(world, describe))).output('Legnext');
		expect(raw.json.meta).toMatchObject({ created_at: '', started_at: '', ended_at: '' });
		expect(raw.json.output.prompts).toEqual([]);

		world.simulator.inject({ pendingShape: 'empty' });
		const video = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', download: 'none' }),
		);
		expect(video.status).toBe('success');
		expect(video.output('Legnext')[0].json.videoUrls).toHaveLength(4);
		expect(video.output('Legnext')[0].json.startedAt).toMatch(/^\d{4}-/);
	});
});

describe('Blend in both published shapes (OpenAPI: imgUrls + aspect_ratio; docs\' API reference: base64Array + dimension)', () => {
	/** Image URLs n8n can fetch: the simulator's files of a finished job. */
	async function servedImages(count) {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'textToImage', prompt: 'a source', download: 'none' }));
		return run.output('Legnext')[0].json.imageUrls.slice(0, count);
	}
	const blend = (imageUrls, extra = {}) => ({ resource: 'image', operation: 'blend', imageUrls, aspectRatio: '2:3', download: 'none', ...extra });
	const blendSubmits = () => submitRequests(world.simulator).filter((request) => request.path === '/api/v1/blend');

	test('a Legnext that takes imgUrls: one request, in that shape', async () => {
		const urls = await servedImages(2);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, blend(urls)));
		expect(run.status).toBe('success');
		expect(blendSubmits().map((request) => [request.status, Object.keys(request.body)])).toEqual([[200, ['imgUrls', 'aspect_ratio']]]);
	});

	test('a Legnext that takes base64Array: its 400 names the field, the node sends once more with the images as data URIs, one job', async () => {
		const urls = await servedImages(3);
		world.simulator.inject({ blendShape: 'base64Array' });
		const created = world.simulator.createdJobs();
		const run = await world.engine.runWorkflow(legnextWorkflow(world, blend(urls)));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json).toMatchObject({ status: 'completed', taskType: 'blend' });
		const [first, second] = blendSubmits();
		expect(first).toMatchObject({ status: 400, body: { imgUrls: urls, aspect_ratio: '2:3' } });
		expect(second.status).toBe(200);
		expect(second.body.dimension).toBe('PORTRAIT');
		expect(second.body.base64Array).toHaveLength(3);
		for (const [index, dataUri] of second.body.base64Array.entries()) {
			const [, mimeType, data] = /^data:([^;]+);base64,(.+)$/.exec(dataUri);
			expect(mimeType).toBe('image/png');
			const served = Buffer.from(await (await fetch(urls[index])).arrayBuffer());
			expect(Buffer.from(data, 'base64').equals(served)).toBe(true);
		}
		expect(blendSubmits()).toHaveLength(2);
		expect(world.simulator.createdJobs() - created).toBe(1);
	});

	test('a 400 that names another field is not answered with the other shape', async () => {
		world.simulator.inject({ blendShape: 'base64Array', refuseSubmit: { nth: 1, code: 400, message: 'Invalid request parameters', rawMessage: 'prompt is banned' } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, blend(['https://example.com/1.png', 'https://example.com/2.png'])));
		expect(run.status).toBe('error');
		expect(run.error.description).toMatch(/prompt is banned/);
		expect(blendSubmits()).toHaveLength(1);
	});

	test('an image over 10 MB is refused while it downloads, before the second request', async () => {
		const big = await startBigImageServer(64 * 1024 * 1024);
		try {
			world.simulator.inject({ blendShape: 'base64Array' });
			const run = await world.engine.runWorkflow(legnextWorkflow(world, blend([big.url, big.url])));
			expect(run.status).toBe('error');
			expect(run.error.message).toMatch(/Image URLs: .* more than the 10 MB Legnext accepts/);
			expect(blendSubmits()).toHaveLength(1);
			// n8n stopped reading past the limit: the server could not write the whole file to it (socket buffers aside).
			expect(big.sent.length).toBeGreaterThanOrEqual(1);
			expect(Math.max(...big.sent)).toBeLessThan(32 * 1024 * 1024);
		} finally {
			await big.close();
		}
	});
});

/** A server whose one PNG is `bytes` long and says no length: the node must cut it off by counting. */
async function startBigImageServer(bytes) {
	const http = require('http');
	const sent = [];
	const server = http.createServer((req, res) => {
		res.writeHead(200, { 'content-type': 'image/png' });
		const chunk = Buffer.alloc(64 * 1024, 1);
		const index = sent.push(0) - 1;
		const write = () => {
			while (sent[index] < bytes && !res.destroyed) {
				sent[index] += chunk.length;
				if (!res.write(chunk)) return res.once('drain', write);
			}
			res.end();
		};
		write();
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/big.png`,
		/** Bytes written per request (the simulator's own fetch of the first request's imgUrls among them). */
		sent,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(resolve);
			}),
	};
}
