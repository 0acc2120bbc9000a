// Legnext's follow-up operations in n8n's real engine against the simulator: what reaches Legnext, and
// the finished job that comes out. Follow-ups take the job ID from the incoming item (the fields'
// default); chain.engine.test.js chains Text to Image → Upscale → Image to Video → Extend. The checks
// before sending run here too, on an item with a job ID. Operations that need no earlier job:
// standalone.engine.test.js.
const { API_KEY, startWorld } = require('../harness/world');
const { runOperation, expectFinished, expectRefusedBeforeSending, parentJobs } = require('../harness/run-operation');

let world;
/** A finished Text to Image job, a finished draft job, and a finished video job. */
let imageJob;
let draftJob;
let videoJob;

beforeAll(async () => {
	world = await startWorld();
	({ imageJob, draftJob, videoJob } = await parentJobs(world));
});
afterAll(async () => await world?.close());

const fromImageJob = () => ({ items: [{ jobId: imageJob.jobId }] });

describe('Image follow-ups (job ID from the incoming item)', () => {
	test('Upscale', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'upscale', imageNo: 2, type: 1 }, fromImageJob());
		const json = expectFinished(result, 'upscale');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/upscale', body: { jobId: imageJob.jobId, imageNo: 2, type: 1 } });
		expect(json.imageUrls).toHaveLength(1);
	});

	test('Upscale takes job_id too (a raw job from another node)', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'upscale' }, { items: [{ job_id: imageJob.jobId }] });
		expectFinished(result, 'upscale');
		expect(result.submits[0].body).toEqual({ jobId: imageJob.jobId, imageNo: 0, type: 0 });
	});

	test('Variation', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'variation', imageNo: 3, type: 1, remixPrompt: 'at night' }, fromImageJob());
		const json = expectFinished(result, 'variation');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/variation', body: { jobId: imageJob.jobId, imageNo: 3, type: 1, remixPrompt: 'at night' } });
		expect(json.imageUrls).toHaveLength(4);
	});

	test('Reroll', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'reroll' }, fromImageJob());
		expectFinished(result, 'reroll');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/reroll', body: { jobId: imageJob.jobId } });
	});

	test('Remix', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'remix', imageNo: 1, remixPrompt: 'a watercolor painting', mode: 1 }, fromImageJob());
		expectFinished(result, 'remix');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/remix',
			body: { jobId: imageJob.jobId, imageNo: 1, remixPrompt: 'a watercolor painting', mode: 1 },
		});
	});

	test('Vary Region with rectangles, and with a mask image', async () => {
		const areas = await runOperation(
			world,
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
		const url = await runOperation(world, { resource: 'image', operation: 'varyRegion', maskSource: 'url', maskUrl: 'https://example.com/mask.png' }, fromImageJob());
		expectFinished(url, 'inpaint');
		expect(url.submits[0].body).toEqual({ jobId: imageJob.jobId, imageNo: 0, mask: { url: 'https://example.com/mask.png' } });
	});

	test('Zoom Out', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'zoomOut', imageNo: 2, scale: 1.75 }, fromImageJob());
		expectFinished(result, 'outpaint');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/outpaint', body: { jobId: imageJob.jobId, imageNo: 2, scale: 1.75 } });
	});

	test('Pan sends the direction as an integer', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'pan', direction: 2, scale: 2.5, remixPrompt: 'more sky' }, fromImageJob());
		expectFinished(result, 'pan');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/pan',
			body: { jobId: imageJob.jobId, imageNo: 0, direction: 2, scale: 2.5, remixPrompt: 'more sky' },
		});
	});

	test('Enhance works on a draft job; Legnext refuses it on a normal one', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'enhance', imageNo: 3 }, { items: [{ jobId: draftJob.jobId }] });
		expectFinished(result, 'enhance');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/enhance', body: { jobId: draftJob.jobId, imageNo: 3 } });

		const refused = await runOperation(world, { resource: 'image', operation: 'enhance' }, fromImageJob());
		expect(refused.run.status).toBe('error');
		expect(refused.submits).toHaveLength(1);
		expect(refused.submits[0].status).toBe(400);
	});

	test('Topaz Upscale from a job, with options', async () => {
		const result = await runOperation(
			world,
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
			const result = await runOperation(world, parameters, fromImageJob());
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
			const parent = expectFinished(await runOperation(whitelisted, { resource: 'image', operation: 'textToImage', prompt: 'a cabin' }), 'diffusion');
			const edit = await runOperation(whitelisted, { ...editParameters, imageNo: 2 }, { items: [{ jobId: parent.jobId }] });
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

			const paint = await runOperation(whitelisted, uploadPaintParameters);
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
			// multipart/form-data, as Legnext publishes Upload Paint (docs page, openapi-complete.yaml); the simulator read its parts.
			expect(paint.submits[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		} finally {
			await whitelisted.close();
		}
	});
});

describe('Video follow-ups', () => {
	test('Extend', async () => {
		const result = await runOperation(world, { resource: 'video', operation: 'extend', videoNo: 3, prompt: 'the camera rises' }, { items: [{ jobId: videoJob.jobId }] });
		const json = expectFinished(result, 'extend_video');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/extend-video', body: { jobId: videoJob.jobId, videoNo: 3, prompt: 'the camera rises' } });
		expect(json.videoUrls.length).toBeGreaterThan(0);
	});

	test('Upscale', async () => {
		const result = await runOperation(world, { resource: 'video', operation: 'upscale', videoNo: 1 }, { items: [{ jobId: videoJob.jobId }] });
		const json = expectFinished(result, 'video_upscale');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/video-upscale', body: { jobId: videoJob.jobId, videoNo: 1 } });
		expect(json.videoUrls).toHaveLength(1);
	});

	test('Image to Video from a URL with prompt options', async () => {
		const result = await runOperation(world, {
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

describe('Checks before sending', () => {
	test.each([
		['Pan with a scale of 5', { resource: 'image', operation: 'pan', scale: 5 }, 'Scale'],
		['Upscale of image 4', { resource: 'image', operation: 'upscale', imageNo: 4 }, 'Image Number'],
		['Blend of one image', { resource: 'image', operation: 'blend', imageUrls: ['https://example.com/a.png'] }, 'Image URLs'],
		['Extend of video 7', { resource: 'video', operation: 'extend', videoNo: 7 }, 'Video Number'],
		['Text to Image with --ar twice', { resource: 'image', operation: 'textToImage', prompt: 'a fox --ar 1:1', promptOptions: { aspectRatio: '16:9' } }, 'Aspect Ratio'],
	])('%s is refused before any request', async (label, parameters, field) => {
		expectRefusedBeforeSending(await runOperation(world, parameters, fromImageJob()), field);
	});

	test('a follow-up without a job ID in the incoming item names the field', async () => {
		expectRefusedBeforeSending(await runOperation(world, { resource: 'image', operation: 'variation' }, { items: [{ other: 1 }] }), 'Job ID');
	});
});
