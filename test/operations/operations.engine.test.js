// Every Legnext operation in n8n's real engine against the simulator: what reaches Legnext, and the
// finished job that comes out. Follow-ups take the job ID from the incoming item (the fields' default);
// chain.engine.test.js chains Text to Image → Upscale → Image to Video → Extend.
const { API_KEY, startWorld, legnextWorkflow } = require('../harness/setup');

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let world;
/** A finished Text to Image job, a finished draft job, and a finished video job. */
let imageJob;
let draftJob;
let videoJob;

/**
 * Runs a Start → Items → Legnext workflow; returns the run, its output and the API submits it caused.
 * These tests look at the job's JSON, one item per job: Download Files is set to Don't Download (a new
 * node downloads the operation's files; defaults.engine.test.js and waiting.engine.test.js test those).
 */
async function runOperation(parameters, { items = [{}], on = world, node = {} } = {}) {
	const mark = on.simulator.requests.length;
	const run = await on.engine.runWorkflow(legnextWorkflow(on, { download: 'none', ...parameters }, { items, node }));
	const requests = on.simulator.requests.slice(mark).filter((request) => request.path.startsWith('/api/'));
	return {
		run,
		output: run.status === 'success' ? run.output('Legnext') : [],
		submits: requests.filter((request) => request.method === 'POST'),
		requests,
	};
}

/** A finished job of the operation: one item, completed, of this task type, paired to item 0. */
function expectFinished(result, taskType) {
	if (result.run.status !== 'success') throw result.run.error;
	expect(result.output).toHaveLength(1);
	const [item] = result.output;
	expect(item.json).toMatchObject({ status: 'completed', taskType, jobError: null });
	expect(item.json.jobId).toMatch(JOB_ID);
	expect([undefined, null, false]).toContain(item.json.error);
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(result.submits).toHaveLength(1);
	return item.json;
}

/** Stopped before anything was sent, with an error naming the field. */
function expectRefusedBeforeSending(result, field) {
	expect(result.run.status).toBe('error');
	expect(result.run.error.message).toContain(field);
	expect(result.run.error.message).toContain('(item 0)');
	expect(result.requests).toHaveLength(0);
}

beforeAll(async () => {
	world = await startWorld();
	const image = await runOperation({
		resource: 'image',
		operation: 'textToImage',
		prompt: 'a lighthouse on a cliff',
		promptOptions: { aspectRatio: '16:9', stylize: 200 },
	});
	imageJob = expectFinished(image, 'diffusion');
	expect(image.submits[0].body).toEqual({ text: 'a lighthouse on a cliff --ar 16:9 --s 200' });

	const draft = await runOperation({
		resource: 'image',
		operation: 'textToImage',
		prompt: 'a quick sketch of a fox',
		promptOptions: { version: '7', draft: true },
	});
	draftJob = expectFinished(draft, 'diffusion');
	expect(draft.submits[0].body).toEqual({ text: 'a quick sketch of a fox --v 7 --draft' });

	const video = await runOperation(
		{ resource: 'video', operation: 'imageToVideo', imageNo: 1, promptOptions: { motion: 'high' } },
		{ items: [{ jobId: imageJob.jobId }] },
	);
	videoJob = expectFinished(video, 'video_diffusion');
	expect(video.submits[0].body).toEqual({ jobId: imageJob.jobId, imageNo: 1, prompt: '--motion high', videoType: 0 });
	expect(videoJob.videoUrls).toHaveLength(4);
});
afterAll(async () => await world?.close());

const fromImageJob = () => ({ items: [{ jobId: imageJob.jobId }] });

describe('Image follow-ups (job ID from the incoming item)', () => {
	test('Upscale', async () => {
		const result = await runOperation({ resource: 'image', operation: 'upscale', imageNo: 2, type: 1 }, fromImageJob());
		const json = expectFinished(result, 'upscale');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/upscale', body: { jobId: imageJob.jobId, imageNo: 2, type: 1 } });
		expect(json.imageUrls).toHaveLength(1);
	});

	test('Upscale takes job_id too (a raw job from another node)', async () => {
		const result = await runOperation({ resource: 'image', operation: 'upscale' }, { items: [{ job_id: imageJob.jobId }] });
		expectFinished(result, 'upscale');
		expect(result.submits[0].body).toEqual({ jobId: imageJob.jobId, imageNo: 0, type: 0 });
	});

	test('Variation', async () => {
		const result = await runOperation({ resource: 'image', operation: 'variation', imageNo: 3, type: 1, remixPrompt: 'at night' }, fromImageJob());
		const json = expectFinished(result, 'variation');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/variation', body: { jobId: imageJob.jobId, imageNo: 3, type: 1, remixPrompt: 'at night' } });
		expect(json.imageUrls).toHaveLength(4);
	});

	test('Reroll', async () => {
		const result = await runOperation({ resource: 'image', operation: 'reroll' }, fromImageJob());
		expectFinished(result, 'reroll');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/reroll', body: { jobId: imageJob.jobId } });
	});

	test('Remix', async () => {
		const result = await runOperation({ resource: 'image', operation: 'remix', imageNo: 1, remixPrompt: 'a watercolor painting', mode: 1 }, fromImageJob());
		expectFinished(result, 'remix');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/remix',
			body: { jobId: imageJob.jobId, imageNo: 1, remixPrompt: 'a watercolor painting', mode: 1 },
		});
	});

	test('Vary Region with rectangles, and with a mask image', async () => {
		const areas = await runOperation(
			{
				resource: 'image',
				operation: 'varyRegion',
				maskAreas: { area: [{ width: 1024, height: 1024, x1: 100, y1: 200, x2: 600, y2: 900 }] },
				remixPrompt: 'a red umbrella',
			},
			fromImageJob(),
		);
		expectFinished(areas, 'inpaint');
		expect(areas.submits[0]).toMatchObject({
			path: '/api/v1/inpaint',
			body: {
				jobId: imageJob.jobId,
				imageNo: 0,
				mask: { areas: [{ width: 1024, height: 1024, points: [100, 200, 100, 900, 600, 900, 600, 200] }] },
				remixPrompt: 'a red umbrella',
			},
		});
		const url = await runOperation({ resource: 'image', operation: 'varyRegion', maskSource: 'url', maskUrl: 'https://example.com/mask.png' }, fromImageJob());
		expectFinished(url, 'inpaint');
		expect(url.submits[0].body).toEqual({ jobId: imageJob.jobId, imageNo: 0, mask: { url: 'https://example.com/mask.png' } });
	});

	test('Zoom Out', async () => {
		const result = await runOperation({ resource: 'image', operation: 'zoomOut', imageNo: 2, scale: 1.75 }, fromImageJob());
		expectFinished(result, 'outpaint');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/outpaint', body: { jobId: imageJob.jobId, imageNo: 2, scale: 1.75 } });
	});

	test('Pan sends the direction as an integer', async () => {
		const result = await runOperation({ resource: 'image', operation: 'pan', direction: 2, scale: 2.5, remixPrompt: 'more sky' }, fromImageJob());
		expectFinished(result, 'pan');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/pan',
			body: { jobId: imageJob.jobId, imageNo: 0, direction: 2, scale: 2.5, remixPrompt: 'more sky' },
		});
	});

	test('Enhance works on a draft job; Legnext refuses it on a normal one', async () => {
		const result = await runOperation({ resource: 'image', operation: 'enhance', imageNo: 3 }, { items: [{ jobId: draftJob.jobId }] });
		expectFinished(result, 'enhance');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/enhance', body: { jobId: draftJob.jobId, imageNo: 3 } });

		const refused = await runOperation({ resource: 'image', operation: 'enhance' }, fromImageJob());
		expect(refused.run.status).toBe('error');
		expect(refused.submits).toHaveLength(1);
		expect(refused.submits[0].status).toBe(400);
	});

	test('Topaz Upscale from a job, with options', async () => {
		const result = await runOperation(
			{ resource: 'image', operation: 'topazUpscale', imageNo: 1, upscaleOptions: { targetResolution: '4K', contentType: 'photo', faceEnhancementLevel: 'subtle' } },
			fromImageJob(),
		);
		expectFinished(result, 'enhance_upscale');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/enhance-upscale',
			body: { jobId: imageJob.jobId, imageNo: 1, target_resolution: '4K', content_type: 'photo', face_enhancement_level: 'subtle' },
		});
	});
});

describe('Image operations on any image', () => {
	test('Blend', async () => {
		const result = await runOperation({
			resource: 'image',
			operation: 'blend',
			imageUrls: ['https://example.com/a.png', 'https://example.com/b.png', 'https://example.com/c.png'],
			aspectRatio: '2:3',
		});
		expectFinished(result, 'blend');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/blend',
			body: { imgUrls: ['https://example.com/a.png', 'https://example.com/b.png', 'https://example.com/c.png'], aspect_ratio: '2:3' },
		});
	});

	test('Topaz Upscale from a URL, options left to Legnext', async () => {
		const result = await runOperation({ resource: 'image', operation: 'topazUpscale', imageSource: 'url', imageUrl: 'https://example.com/photo.jpg' });
		expectFinished(result, 'enhance_upscale');
		expect(result.submits[0].body).toEqual({ image_url: 'https://example.com/photo.jpg' });
	});

	test('Remove Background', async () => {
		const result = await runOperation({ resource: 'image', operation: 'removeBackground', imageUrl: 'https://example.com/product.jpg' });
		const json = expectFinished(result, 'remove_background');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/remove-background', body: { imgUrl: 'https://example.com/product.jpg' } });
		expect(json.imageUrls).toHaveLength(1);
	});

	test('Retexture', async () => {
		const result = await runOperation({ resource: 'image', operation: 'retexture', imageUrl: 'https://example.com/chair.png', remixPrompt: 'polished marble' });
		expectFinished(result, 'retexture');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/retexture', body: { imgUrl: 'https://example.com/chair.png', remixPrompt: 'polished marble' } });
	});

	test('Describe an image URL', async () => {
		const result = await runOperation({ resource: 'image', operation: 'describe', imageUrl: 'https://example.com/photo.jpg' });
		const json = expectFinished(result, 'describe');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/describe', body: { imgUrl: 'https://example.com/photo.jpg' } });
		expect(json.prompts.length).toBeGreaterThan(0);
	});

	test('Describe a binary file from the incoming item', async () => {
		const png = Buffer.from(
			'89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4830000000049454e44ae426082',
			'hex',
		);
		const workflow = legnextWorkflow(world, { resource: 'image', operation: 'describe', imageSource: 'binary', binaryPropertyName: 'photo' });
		// The Items node's output pinned with a file, as an earlier node (Read File, HTTP Request) would give it.
		workflow.pinData = {
			Items: [{ json: { name: 'pixel' }, binary: { photo: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'pixel.png' } } }],
		};
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(workflow);
		if (run.status !== 'success') throw run.error;
		const [described] = run.output('Legnext');
		expect(described.json).toMatchObject({ status: 'completed', taskType: 'describe' });
		expect(described.json.prompts.length).toBeGreaterThan(0);
		const submit = world.simulator.requests.slice(mark).find((request) => request.path === '/api/v1/describe');
		expect(submit.body).toEqual({ imageBase64: `data:image/png;base64,${png.toString('base64')}` });
	});

	test('Describe a binary file with a callback: the callback is sent too', async () => {
		const workflow = legnextWorkflow(world, {
			resource: 'image',
			operation: 'describe',
			imageSource: 'binary',
			binaryPropertyName: 'photo',
			waitMode: 'none',
			callback: 'url',
			callbackUrl: 'https://example.com/hook',
		});
		workflow.pinData = {
			Items: [{ json: {}, binary: { photo: { data: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'), mimeType: 'image/png', fileName: 'p.png' } } }],
		};
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(workflow);
		if (run.status !== 'success') throw run.error;
		const submit = world.simulator.requests.slice(mark).find((request) => request.path === '/api/v1/describe');
		expect(Object.keys(submit.body).sort()).toEqual(['callback', 'imageBase64']);
		expect(submit.body.callback).toMatch(/^https:\/\/example\.com\/hook/);
	});

	test('Describe without the binary field names it', async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'image', operation: 'describe', imageSource: 'binary', binaryPropertyName: 'photo' }),
		);
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/photo/);
	});

	test('Shorten', async () => {
		const result = await runOperation({ resource: 'image', operation: 'shorten', prompt: 'a very long and winding prompt about a lighthouse --ar 21:9' });
		const json = expectFinished(result, 'shorten');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/shorten', body: { prompt: 'a very long and winding prompt about a lighthouse --ar 21:9' } });
		expect(json.prompts.length).toBeGreaterThan(0);
	});
});

describe('Edit and Upload Paint (whitelisted accounts)', () => {
	const editParameters = { resource: 'image', operation: 'edit', remixPrompt: 'a beach at sunset around it' };
	const uploadPaintParameters = {
		resource: 'image',
		operation: 'uploadPaint',
		imageUrl: 'https://example.com/room.png',
		remixPrompt: 'a cozy reading corner',
	};

	test('without the whitelist: Legnext’s 403 (a job-shaped body, as recorded) shows Legnext’s own message', async () => {
		for (const parameters of [editParameters, uploadPaintParameters]) {
			const result = await runOperation(parameters, fromImageJob());
			expect(result.run.status).toBe('error');
			expect(result.submits).toHaveLength(1);
			expect(result.submits[0].status).toBe(403);
			expect(result.run.error.message).toMatch(/open to whitelisted accounts only/);
			expect(result.run.error.description).toMatch(/^Legnext said: This feature is only available for whitelisted accounts\. Please upgrade your plan or contact customer support/);
		}
	});

	test('with the whitelist: both run', async () => {
		const whitelisted = await startWorld({ whitelistedKeys: [API_KEY] });
		try {
			const parent = expectFinished(await runOperation({ resource: 'image', operation: 'textToImage', prompt: 'a cabin' }, { on: whitelisted }), 'diffusion');
			const edit = await runOperation({ ...editParameters, imageNo: 2 }, { on: whitelisted, items: [{ jobId: parent.jobId }] });
			expectFinished(edit, 'edit');
			expect(edit.submits[0]).toMatchObject({
				path: '/api/v1/edit',
				body: {
					jobId: parent.jobId,
					imageNo: 2,
					canvas: { width: 1024, height: 1024 },
					imgPos: { width: 512, height: 512, x: 256, y: 256 },
					remixPrompt: 'a beach at sunset around it',
				},
			});
			expect(edit.submits[0].body).not.toHaveProperty('mask');

			const paint = await runOperation(uploadPaintParameters, { on: whitelisted });
			expectFinished(paint, 'upload_paint');
			expect(paint.submits[0]).toMatchObject({
				path: '/api/v1/upload-paint',
				body: {
					imgUrl: 'https://example.com/room.png',
					canvas: { width: 1024, height: 1024 },
					imgPos: { width: 512, height: 512, x: 256, y: 256 },
					remixPrompt: 'a cozy reading corner',
					mask: { areas: [{ width: 1024, height: 1024, points: [0, 0, 0, 512, 512, 512, 512, 0] }] },
				},
			});
		} finally {
			await whitelisted.close();
		}
	});
});

describe('Video follow-ups', () => {
	test('Extend', async () => {
		const result = await runOperation({ resource: 'video', operation: 'extend', videoNo: 3, prompt: 'the camera rises' }, { items: [{ jobId: videoJob.jobId }] });
		const json = expectFinished(result, 'extend_video');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/extend-video', body: { jobId: videoJob.jobId, videoNo: 3, prompt: 'the camera rises' } });
		expect(json.videoUrls.length).toBeGreaterThan(0);
	});

	test('Upscale', async () => {
		const result = await runOperation({ resource: 'video', operation: 'upscale', videoNo: 1 }, { items: [{ jobId: videoJob.jobId }] });
		const json = expectFinished(result, 'video_upscale');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/video-upscale', body: { jobId: videoJob.jobId, videoNo: 1 } });
		expect(json.videoUrls).toHaveLength(1);
	});

	test('Image to Video from a URL with prompt options', async () => {
		const result = await runOperation({
			resource: 'video',
			operation: 'imageToVideo',
			imageSource: 'url',
			imageUrl: 'https://example.com/first.png',
			prompt: 'waves roll in',
			promptOptions: { batchSize: 2, loop: true },
		});
		const json = expectFinished(result, 'video_diffusion');
		expect(result.submits[0].body).toEqual({ prompt: 'https://example.com/first.png waves roll in --loop --bs 2', videoType: 0 });
		expect(json.videoUrls).toHaveLength(2);
	});
});

describe('Account', () => {
	test('Get Balance: camelCase fields and the total jobs can spend (credits + bonus points), nothing submitted', async () => {
		const result = await runOperation({ resource: 'account', operation: 'getBalance' });
		if (result.run.status !== 'success') throw result.run.error;
		const [item] = result.output;
		expect(item.json).toEqual({
			accountId: 52,
			balanceUsd: expect.any(Number),
			availableCredits: expect.any(Number),
			availablePoints: expect.any(Number),
			availableTotal: expect.any(Number),
			alertThreshold: 10,
			lowBalanceAlert: expect.any(Boolean),
			updatedAt: expect.any(String),
		});
		expect(item.json.availableTotal).toBe(item.json.availableCredits + item.json.availablePoints);
		expect(item.json.balanceUsd).toBe(item.json.availableTotal / 1000);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(result.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/account/balance']);
	});
});

describe('Checks before sending', () => {
	test.each([
		['Pan with a scale of 5', { resource: 'image', operation: 'pan', scale: 5 }, 'Scale'],
		['Upscale of image 4', { resource: 'image', operation: 'upscale', imageNo: 4 }, 'Image Number'],
		['Blend of one image', { resource: 'image', operation: 'blend', imageUrls: ['https://example.com/a.png'] }, 'Image URLs'],
		['Extend of video 7', { resource: 'video', operation: 'extend', videoNo: 7 }, 'Video Number'],
		['Text to Image with --ar twice', { resource: 'image', operation: 'textToImage', prompt: 'a fox --ar 1:1', promptOptions: { aspectRatio: '16:9' } }, 'Aspect Ratio'],
	])('%s is refused before any request', async (label, parameters, field) => {
		expectRefusedBeforeSending(await runOperation(parameters, fromImageJob()), field);
	});

	test('a follow-up without a job ID in the incoming item names the field', async () => {
		expectRefusedBeforeSending(await runOperation({ resource: 'image', operation: 'variation' }, { items: [{ other: 1 }] }), 'Job ID');
	});
});
