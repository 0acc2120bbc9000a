// A new Legnext node (version 2), no setting changed but what the operation needs, in n8n's engine:
// it outputs one item per job with a file of it (Text to Image its grid, an upscale its image, Image to
// Video its first video), every URL in the JSON; operations without files (Describe, Shorten, Get Balance, Don't Wait, Job → Get
// of a pending job) output the job as before. The AI tool keeps URLs and the trigger its own default.
const path = require('path');
const { NodeHelpers } = require('n8n-workflow');
const { startWorld, legnextWorkflow } = require('../harness/world');

const dist = path.join(__dirname, '..', '..', 'dist');
const { Legnext } = require(path.join(dist, 'nodes/Legnext/Legnext.node'));
const { LegnextTrigger } = require(path.join(dist, 'nodes/LegnextTrigger/LegnextTrigger.node'));

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

let world;
beforeAll(async () => {
	// A job whose prompt says "[queued]" stays pending for ten minutes of job time (3 s here).
	world = await startWorld({ durations: (taskType, job) => (String(job.body?.text ?? '').includes('[queued]') ? { pending: 600, processing: 60 } : undefined) });
});
afterAll(async () => await world?.close());

async function run(parameters, options) {
	const result = await world.engine.runWorkflow(legnextWorkflow(world, parameters, options));
	if (result.status !== 'success') throw result.error;
	return result.output('Legnext');
}

/** Two Legnext nodes in a row, as the editor would save them (only what differs from the defaults). */
function twoSteps(first, second) {
	const node = (name, parameters, x) => ({
		id: `n-${name}`,
		name,
		type: world.legnext,
		typeVersion: 2,
		position: [x, 0],
		parameters,
		credentials: { legnextApi: { id: 'cred-1', name: 'Legnext account' } },
	});
	return {
		nodes: [
			{ id: 'n-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			node('First', first, 200),
			node('Second', second, 400),
		],
		connections: {
			Start: { main: [[{ node: 'First', type: 'main', index: 0 }]] },
			First: { main: [[{ node: 'Second', type: 'main', index: 0 }]] },
		},
	};
}

describe('a new node outputs the files its operation makes', () => {
	test('Text to Image: one item, the grid in `data`, every image URL in the JSON, with no setting changed', async () => {
		const output = await run({ resource: 'image', operation: 'textToImage', prompt: 'a lighthouse at dawn' });
		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item.json).toMatchObject({ status: 'completed', taskType: 'diffusion', file: { kind: 'grid', index: null } });
		expect(item.json.imageUrls).toHaveLength(4);
		expect(item.json.file.url).toBe(item.json.gridUrl);
		expect(item.binary.data.mimeType).toBe('image/png');
		expect(item.binary.data.fileName).toMatch(new RegExp(`^diffusion_${item.json.jobId}_grid\\.png$`));
		const bytes = await world.engine.binaryBuffer(item.binary.data);
		expect(bytes.subarray(0, 4).equals(PNG)).toBe(true);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test('Text to Image with "The Four Images, One Item Each": four PNGs, one item each in `data`', async () => {
		const output = await run({ resource: 'image', operation: 'textToImage', prompt: 'a lighthouse at dawn', download: 'images' });
		expect(output).toHaveLength(4);
		for (const [index, item] of output.entries()) {
			expect(item.json).toMatchObject({ status: 'completed', taskType: 'diffusion', file: { kind: 'image', index } });
			expect(item.binary.data.mimeType).toBe('image/png');
			expect(item.binary.data.fileName).toMatch(new RegExp(`^diffusion_${item.json.jobId}_${index}\\.png$`));
			const bytes = await world.engine.binaryBuffer(item.binary.data);
			expect(bytes.subarray(0, 4).equals(PNG)).toBe(true);
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	test('Image → Upscale: its one image', async () => {
		const output = await world.engine.runWorkflow(
			twoSteps(
				{ resource: 'image', operation: 'textToImage', prompt: 'a paper boat', download: 'none' },
				{ resource: 'image', operation: 'upscale', imageNo: 2 },
			),
		);
		if (output.status !== 'success') throw output.error;
		const items = output.output('Second');
		expect(items).toHaveLength(1);
		expect(items[0].json.taskType).toBe('upscale');
		expect(items[0].binary.data.mimeType).toBe('image/png');
	});

	test('Image to Video: one item, its first video in `data`, every video URL in the JSON', async () => {
		const output = await run({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png' });
		expect(output).toHaveLength(1);
		expect(output[0].json.taskType).toBe('video_diffusion');
		expect(output[0].json.videoUrls.length).toBeGreaterThan(1);
		expect(output[0].json.file).toEqual({ kind: 'video', index: 0, url: output[0].json.videoUrls[0] });
		expect(output[0].binary.data.mimeType).toBe('video/mp4');
	});

	test('Image to Video with "The Videos, One Item Each": every video, one item each', async () => {
		const output = await run({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', download: 'videos' });
		expect(output.length).toBeGreaterThan(1);
		expect(output.map((item) => item.json.file.index)).toEqual(output.map((_, index) => index));
		for (const item of output) expect(item.binary.data.mimeType).toBe('video/mp4');
	});
});

describe('operations without files work as before', () => {
	test('Describe: one item with the prompts, no binary', async () => {
		const output = await run({ resource: 'image', operation: 'describe', imageUrl: 'https://example.com/cat.png' });
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'completed', taskType: 'describe' });
		expect(output[0].json.prompts.length).toBeGreaterThan(0);
		expect(output[0].binary).toBeUndefined();
	});

	test('Shorten: one item, no binary', async () => {
		const output = await run({ resource: 'image', operation: 'shorten', prompt: 'a very long prompt about a lighthouse on a cliff at dawn' });
		expect(output).toHaveLength(1);
		expect(output[0].json.taskType).toBe('shorten');
		expect(output[0].binary).toBeUndefined();
	});

	test('Get Balance: one item, no binary', async () => {
		const output = await run({ resource: 'account', operation: 'getBalance' });
		expect(output).toHaveLength(1);
		expect(output[0].binary).toBeUndefined();
	});

	test("Don't Wait: the pending job, no binary", async () => {
		const output = await run({ resource: 'image', operation: 'textToImage', prompt: 'a lighthouse', waitMode: 'none' });
		expect(output).toHaveLength(1);
		expect(output[0].json.status).toBe('pending');
		expect(output[0].binary).toBeUndefined();
	});

	test('Job → Get of a pending job: the job, no binary and no error', async () => {
		// Still pending when Get reads it: the simulator plays --relax as a fast job (Legnext's site says it is
		// not available), so the job is kept queued by its prompt instead.
		const result = await world.engine.runWorkflow(
			twoSteps({ resource: 'image', operation: 'textToImage', prompt: 'a lighthouse [queued]', waitMode: 'none' }, { resource: 'job', operation: 'get' }),
		);
		if (result.status !== 'success') throw result.error;
		const items = result.output('Second');
		expect(items).toHaveLength(1);
		expect(items[0].json.status).toBe('pending');
		expect(items[0].binary).toBeUndefined();
	});
});

describe('where the default stays', () => {
	const description = new Legnext().nodeVersions[2].description;
	// n8n makes the AI tool from the node's description with a name ending in "Tool" (`@tool` is true).
	const displayed = (parameters, tool = false) =>
		description.properties.filter(
			(p) =>
				p.name === 'download' &&
				NodeHelpers.displayParameter(parameters, p, { typeVersion: 2 }, { ...description, name: tool ? 'legnextTool' : 'legnext' }, parameters),
		);

	test('each operation shows one Download Files field with its own default', () => {
		const defaultFor = (resource, operation, extra = {}) =>
			displayed({ resource, operation, waitMode: 'poll', ...extra }).map((p) => p.default);
		expect(defaultFor('image', 'textToImage')).toEqual(['grid']);
		expect(defaultFor('image', 'variation')).toEqual(['grid']);
		expect(defaultFor('image', 'upscale')).toEqual(['all']);
		expect(defaultFor('image', 'uploadPaint')).toEqual(['chosenImages']);
		expect(defaultFor('video', 'imageToVideo')).toEqual(['chosenVideos']);
		expect(defaultFor('video', 'upscale')).toEqual(['chosenVideos']);
		expect(defaultFor('job', 'get')).toEqual(['none']);
		expect(defaultFor('image', 'describe')).toEqual([]);
		expect(defaultFor('image', 'shorten')).toEqual([]);
		expect(defaultFor('account', 'getBalance')).toEqual([]);
		expect(defaultFor('image', 'textToImage', { waitMode: 'none' })).toEqual([]);
	});

	test('the AI tool has no Download Files (it keeps the URLs)', () => {
		expect(displayed({ resource: 'image', operation: 'textToImage', waitMode: 'poll' }, true)).toEqual([]);
	});

	test("the Legnext Trigger keeps Don't Download", () => {
		const download = new LegnextTrigger().description.properties.find((p) => p.name === 'download');
		expect(download.default).toBe('none');
	});

	test('version 1 has no Download Files', () => {
		expect(new Legnext().nodeVersions[1].description.properties.some((p) => p.name === 'download')).toBe(false);
	});
});
