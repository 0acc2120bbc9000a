// One item per job by default (issue 32): n8n runs the next node once per incoming item, so a Text to
// Image that gave one item per file made *Text to Image → Image to Video of image 2* send four identical,
// paid video jobs. Counted here at the simulator, the way Legnext would bill them.
const { startWorld, legnextChain, submitRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world?.close());


async function runChain(steps) {
	const before = submitRequests(world.simulator).length;
	const run = await world.engine.runWorkflow(legnextChain(world, steps));
	if (run.status !== 'success') throw run.error;
	return { run, posts: submitRequests(world.simulator).slice(before) };
}

const draw = { name: 'Draw', parameters: { resource: 'image', operation: 'textToImage', prompt: 'a red kite over a green hill' } };
const animateImage2 = { name: 'Animate', parameters: { resource: 'video', operation: 'imageToVideo', imageNo: 2, prompt: 'the kite climbs' } };

test('the seeds’ chain, every other setting as it is: Text to Image → Image to Video of image 2 sends ONE video job', async () => {
	const { run, posts } = await runChain([draw, animateImage2]);
	const videos = posts.filter((request) => request.path === '/api/v1/video-diffusion');
	expect(videos).toHaveLength(1);
	expect(videos[0].body).toMatchObject({ jobId: run.output('Draw')[0].json.jobId, imageNo: 2 });

	// One item per job: the grid as its file, every URL in its JSON.
	const drawn = run.output('Draw');
	expect(drawn).toHaveLength(1);
	expect(drawn[0].json.imageUrls).toHaveLength(4);
	expect(drawn[0].json.gridUrl).toMatch(/^http/);
	expect(drawn[0].json.file).toMatchObject({ kind: 'grid', url: drawn[0].json.gridUrl });
	expect(drawn[0].binary.data.mimeType).toBe('image/png');

	// The video job: one item, its first video as the file, every video URL in the JSON.
	const animated = run.output('Animate');
	expect(animated).toHaveLength(1);
	expect(animated[0].json.videoUrls.length).toBeGreaterThan(1);
	expect(animated[0].json.file).toMatchObject({ kind: 'video', index: 0, url: animated[0].json.videoUrls[0] });
	expect(animated[0].binary.data.mimeType).toBe('video/mp4');
});

test('"The Four Images, One Item Each" is one choice away, and then Image to Video of image 2 still pays once', async () => {
	const { run, posts } = await runChain([{ ...draw, parameters: { ...draw.parameters, download: 'images' } }, animateImage2]);
	const drawn = run.output('Draw');
	expect(drawn.map((item) => item.json.file.index)).toEqual([0, 1, 2, 3]);

	// Every input item keeps its output item, paired to it, all with the one job that was paid for.
	expect(posts.filter((request) => request.path === '/api/v1/video-diffusion')).toHaveLength(1);
	const animated = run.output('Animate');
	expect(animated.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	expect(new Set(animated.map((item) => item.json.jobId)).size).toBe(1);
});

test('items asking for different images still make one job each (Image Number from each item’s file)', async () => {
	const { run, posts } = await runChain([
		{ ...draw, parameters: { ...draw.parameters, download: 'images' } },
		{ name: 'Upscale', parameters: { resource: 'image', operation: 'upscale' } },
	]);
	const upscales = posts.filter((request) => request.path === '/api/v1/upscale');
	expect(upscales.map((request) => request.body.imageNo)).toEqual([0, 1, 2, 3]);
	expect(new Set(run.output('Upscale').map((item) => item.json.jobId)).size).toBe(4);
});

test('Options → Send Identical Follow-Ups Again sends each item’s request, as asked', async () => {
	const { run, posts } = await runChain([
		{ ...draw, parameters: { ...draw.parameters, download: 'images' } },
		{ ...animateImage2, parameters: { ...animateImage2.parameters, download: 'none', options: { repeatIdenticalFollowUps: true } } },
	]);
	expect(posts.filter((request) => request.path === '/api/v1/video-diffusion')).toHaveLength(4);
	expect(new Set(run.output('Animate').map((item) => item.json.jobId)).size).toBe(4);
});
