// One workflow chains Text to Image → Upscale → Image to Video → Extend in n8n's engine: each node
// takes the job ID from the item the one before gave (the fields' default).
const { startWorld, legnextChain } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world?.close());


describe('A chain that passes job IDs along', () => {
	test('Text to Image → Upscale → Image to Video → Extend', async () => {
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(
			legnextChain(world, [
				// Don't Download where the next step follows up: one item per file would start one job per file.
				{ name: 'Draw', parameters: { resource: 'image', operation: 'textToImage', prompt: 'a paper boat on a pond', promptOptions: { aspectRatio: '3:2' }, download: 'none' } },
				{ name: 'Upscale', parameters: { resource: 'image', operation: 'upscale', imageNo: 3 } },
				{ name: 'Animate', parameters: { resource: 'video', operation: 'imageToVideo', prompt: 'ripples spread', promptOptions: { motion: 'low' }, download: 'none' } },
				{ name: 'Extend', parameters: { resource: 'video', operation: 'extend', prompt: 'the boat drifts away' } },
			]),
		);
		if (run.status !== 'success') throw run.error;
		const [drawn] = run.output('Draw');
		const [upscaled] = run.output('Upscale');
		const [animated] = run.output('Animate');
		const [extended] = run.output('Extend');
		expect([drawn, upscaled, animated, extended].map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
		expect([drawn, upscaled, animated, extended].map((item) => item.json.taskType)).toEqual(['diffusion', 'upscale', 'video_diffusion', 'extend_video']);
		expect(extended.json.videoUrls.length).toBeGreaterThan(0);

		const submits = world.simulator.requests.slice(mark).filter((request) => request.method === 'POST' && request.path.startsWith('/api/'));
		expect(submits.map((request) => [request.path, request.body])).toEqual([
			['/api/v1/diffusion', { text: 'a paper boat on a pond --ar 3:2' }],
			['/api/v1/upscale', { jobId: drawn.json.jobId, imageNo: 3, type: 0 }],
			['/api/v1/video-diffusion', { jobId: upscaled.json.jobId, imageNo: 0, prompt: 'ripples spread --motion low', videoType: 0 }],
			['/api/v1/extend-video', { jobId: animated.json.jobId, videoNo: 0, prompt: 'the boat drifts away' }],
		]);
	});
});

describe('Follow-ups after a node that gave one item per file ("The Four Images, One Item Each"): each item follows up its own file', () => {
	const submitsSince = (mark) =>
		world.simulator.requests.slice(mark).filter((request) => request.method === 'POST' && request.path.startsWith('/api/'));

	test('Text to Image (one item per image) → Upscale, Image Number left as it is: the four images are upscaled, each once', async () => {
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(
			legnextChain(world, [
				{ name: 'Draw', parameters: { resource: 'image', operation: 'textToImage', prompt: 'a lighthouse on a cliff', download: 'images' } },
				{ name: 'Upscale', parameters: { resource: 'image', operation: 'upscale' } },
			]),
		);
		if (run.status !== 'success') throw run.error;
		const drawn = run.output('Draw');
		expect(drawn.map((item) => item.json.file.index)).toEqual([0, 1, 2, 3]);
		const upscales = submitsSince(mark).filter((request) => request.path === '/api/v1/upscale');
		expect(upscales.map((request) => request.body)).toEqual(
			[0, 1, 2, 3].map((imageNo) => ({ jobId: drawn[0].json.jobId, imageNo, type: 0 })),
		);
		expect(run.output('Upscale').map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	test('Image to Video (one item per video) → Extend, Video Number left as it is: each of the four videos is extended once', async () => {
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(
			legnextChain(world, [
				{ name: 'Draw', parameters: { resource: 'image', operation: 'textToImage', prompt: 'a paper boat', download: 'none' } },
				{ name: 'Animate', parameters: { resource: 'video', operation: 'imageToVideo', download: 'videos' } },
				{ name: 'Extend', parameters: { resource: 'video', operation: 'extend' } },
			]),
		);
		if (run.status !== 'success') throw run.error;
		const [animated] = run.output('Animate');
		const extends_ = submitsSince(mark).filter((request) => request.path === '/api/v1/extend-video');
		expect(extends_.map((request) => request.body)).toEqual([0, 1, 2, 3].map((videoNo) => ({ jobId: animated.json.jobId, videoNo })));
	});

	test('an item without a file (Don\'t Download, the grid) still follows up image 0; a number typed in wins', async () => {
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(
			legnextChain(world, [
				{ name: 'Draw', parameters: { resource: 'image', operation: 'textToImage', prompt: 'a fox', download: 'grid' } },
				{ name: 'Upscale', parameters: { resource: 'image', operation: 'upscale' } },
				{ name: 'Vary', parameters: { resource: 'image', operation: 'variation', jobId: '={{ $("Draw").item.json.jobId }}', imageNo: 2, download: 'none' } },
			]),
		);
		if (run.status !== 'success') throw run.error;
		const bodies = submitsSince(mark).map((request) => [request.path, request.body.imageNo]);
		expect(bodies).toEqual([
			['/api/v1/diffusion', undefined],
			['/api/v1/upscale', 0],
			['/api/v1/variation', 2],
		]);
	});
});

test('a follow-up of a job that has not finished (the node before did not wait) says to wait for it, not to check the fields', async () => {
	const run = await world.engine.runWorkflow(
		legnextChain(world, [
			{ name: 'Draw', parameters: { resource: 'image', operation: 'textToImage', prompt: 'a heron', waitMode: 'none' } },
			{ name: 'Upscale', parameters: { resource: 'image', operation: 'upscale' } },
		]),
	);
	expect(run.status).toBe('error');
	expect(run.error.message).toMatch(/^The parent job has not finished yet \(item 0\)/);
	expect(run.error.description).toMatch(/Wait for Result/);
	expect(run.error.description).toMatch(/Poll Until Done/);
	expect(run.error.description).not.toMatch(/Check the fields/);
});
