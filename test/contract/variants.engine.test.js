// The node against each of the simulator's switches where Legnext's sources disagree (issue 30; the
// simulator's README marks each disagreement): past the account's limit (refuse or queue), pending jobs
// with "" times and per-operation outputs. In n8n's engine.
const { startWorld, legnextWorkflow, submitRequests } = require('../harness/setup');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 3 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ "a fox " + $json.n }}', download: 'none', ...extra });
const items = (count) => Array.from({ length: count }, (_, n) => ({ n }));

describe('past the account\'s limit', () => {
	test.each(['refuse', 'queue'])('over: %s — 8 items on a limit of 3 each end with their own job, one job per item', async (overLimit) => {
		world.simulator.inject({ overLimit });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: items(8) }));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status)).toEqual(Array(8).fill('completed'));
		expect(output.map((item) => world.simulator.jobs.get(item.json.jobId).body.text)).toEqual(items(8).map(({ n }) => `a fox ${n}`));
		expect(world.simulator.createdJobs()).toBe(8);
		const refused = submitRequests(world.simulator).filter((request) => request.status === 429).length;
		if (overLimit === 'queue') expect(refused).toBe(0);
	});

	test('Don\'t Wait past the limit with queueing: the job comes out "queued", and Job → Get reads it as running, not as an error', async () => {
		world.simulator.inject({ overLimit: 'queue' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none' }), { items: items(5) }));
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
		const raw = world.simulator.view(item.json.jobId);
		expect(raw.meta.started_at).toBe('');

		world.simulator.inject({ pendingShape: 'empty' });
		const video = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', download: 'none' }),
		);
		expect(video.status).toBe('success');
		expect(video.output('Legnext')[0].json.videoUrls).toHaveLength(4);
		expect(video.output('Legnext')[0].json.startedAt).toMatch(/^\d{4}-/);
	});
});
