// The image operations' request(): follow-ups of an image job, operations on any image, and the
// whitelisted ones; the exact path and body, and the error (naming field and item) for bad input.
const { NodeOperationError } = require('n8n-workflow');

const { JOB, op, requestOf, expectRefused } = require('../harness/operation-context');

describe('Image → follow-ups of an image job', () => {
	test('Upscale', async () => {
		expect(await requestOf('image', 'upscale', { jobId: JOB, imageNo: 2, type: 1 })).toEqual({
			method: 'POST',
			path: '/api/v1/upscale',
			body: { jobId: JOB, imageNo: 2, type: 1 },
		});
		expect((await requestOf('image', 'upscale', { jobId: JOB })).body).toEqual({ jobId: JOB, imageNo: 0, type: 0 });
		await expectRefused('image', 'upscale', { jobId: JOB, type: 2 }, 'Type');
		await expectRefused('image', 'upscale', { jobId: JOB, imageNo: 4 }, 'Image Number');
		await expectRefused('image', 'upscale', { jobId: JOB, imageNo: 1.5 }, 'Image Number');
		await expectRefused('image', 'upscale', { jobId: '' }, 'Job ID');
		await expectRefused('image', 'upscale', { jobId: 'not a job' }, 'Job ID');
	});

	test('Variation: the remix prompt only when set', async () => {
		expect(await requestOf('image', 'variation', { jobId: JOB, imageNo: 1, type: 1 })).toEqual({
			method: 'POST',
			path: '/api/v1/variation',
			body: { jobId: JOB, imageNo: 1, type: 1 },
		});
		expect((await requestOf('image', 'variation', { jobId: JOB, remixPrompt: ' at night ' })).body).toEqual({
			jobId: JOB,
			imageNo: 0,
			type: 0,
			remixPrompt: 'at night',
		});
		await expectRefused('image', 'variation', { jobId: JOB, type: 'strong' }, 'Type');
		await expectRefused('image', 'variation', { jobId: JOB, remixPrompt: 'x'.repeat(8193) }, 'Remix Prompt');
	});

	test('Reroll', async () => {
		expect(await requestOf('image', 'reroll', { jobId: JOB })).toEqual({ method: 'POST', path: '/api/v1/reroll', body: { jobId: JOB } });
		// Legnext judges an ID's format (numeric IDs exist: 1868588555208310784); a pasted link is refused.
		await expectRefused('image', 'reroll', { jobId: 'https://image.legnext.ai/123.png' }, 'Job ID');
	});

	test('Remix: remix prompt required, mode Strong (0) by default', async () => {
		expect(await requestOf('image', 'remix', { jobId: JOB, imageNo: 3, remixPrompt: 'watercolor' })).toEqual({
			method: 'POST',
			path: '/api/v1/remix',
			body: { jobId: JOB, imageNo: 3, remixPrompt: 'watercolor', mode: 0 },
		});
		expect((await requestOf('image', 'remix', { jobId: JOB, remixPrompt: 'w', mode: 1 })).body.mode).toBe(1);
		await expectRefused('image', 'remix', { jobId: JOB, remixPrompt: '' }, 'Remix Prompt');
		await expectRefused('image', 'remix', { jobId: JOB, remixPrompt: 'w', mode: 2 }, 'Mode');
	});

	test('Vary Region: rectangles become Legnext polygons; or a mask URL', async () => {
		const request = await requestOf('image', 'varyRegion', {
			jobId: JOB,
			maskAreas: { area: [{ width: 500, height: 500, x1: 10, y1: 10, x2: 100, y2: 100 }, { width: 1024, height: 768, x1: 0, y1: 300, x2: 1024, y2: 768 }] },
			remixPrompt: 'a tree',
		});
		expect(request).toEqual({
			method: 'POST',
			path: '/api/v1/inpaint',
			body: {
				jobId: JOB,
				imageNo: 0,
				mask: {
					areas: [
						// Legnext's documented example: rectangle 10,10 – 100,100.
						{ width: 500, height: 500, points: [10, 10, 10, 100, 100, 100, 100, 10] },
						{ width: 1024, height: 768, points: [0, 300, 0, 768, 1024, 768, 1024, 300] },
					],
				},
				remixPrompt: 'a tree',
			},
		});
		expect((await requestOf('image', 'varyRegion', { jobId: JOB, maskSource: 'url', maskUrl: 'https://example.com/m.png' })).body).toEqual({
			jobId: JOB,
			imageNo: 0,
			mask: { url: 'https://example.com/m.png' },
		});
		const rect = (values) => ({ maskAreas: { area: [{ width: 1024, height: 1024, x1: 0, y1: 0, x2: 512, y2: 512, ...values }] } });
		await expectRefused('image', 'varyRegion', { jobId: JOB, ...rect({ width: 400 }) }, 'Mask Areas → Rectangle 1 → Image Width');
		await expectRefused('image', 'varyRegion', { jobId: JOB, ...rect({ height: 5000 }) }, 'Mask Areas → Rectangle 1 → Image Height');
		await expectRefused('image', 'varyRegion', { jobId: JOB, ...rect({ x2: 1100 }) }, 'Mask Areas → Rectangle 1 → X2 (Right)');
		await expectRefused('image', 'varyRegion', { jobId: JOB, ...rect({ y1: 600 }) }, 'Mask Areas → Rectangle 1 → Y2 (Bottom)');
		await expectRefused('image', 'varyRegion', { jobId: JOB, maskAreas: { area: [] } }, 'Mask Areas');
		await expectRefused('image', 'varyRegion', { jobId: JOB, maskSource: 'url', maskUrl: 'file:///etc/passwd' }, 'Mask Image URL');
		await expectRefused('image', 'varyRegion', { jobId: JOB, maskSource: 'none' }, 'Mask');
	});

	test('Zoom Out: scale 1.1 to 2.0', async () => {
		expect(await requestOf('image', 'zoomOut', { jobId: JOB, scale: 2, remixPrompt: 'clouds' })).toEqual({
			method: 'POST',
			path: '/api/v1/outpaint',
			body: { jobId: JOB, imageNo: 0, scale: 2, remixPrompt: 'clouds' },
		});
		expect((await requestOf('image', 'zoomOut', { jobId: JOB, scale: 1.1 })).body).toEqual({ jobId: JOB, imageNo: 0, scale: 1.1 });
		await expectRefused('image', 'zoomOut', { jobId: JOB, scale: 2.1 }, 'Scale');
		await expectRefused('image', 'zoomOut', { jobId: JOB, scale: 1 }, 'Scale');
		await expectRefused('image', 'zoomOut', { jobId: JOB, scale: 'big' }, 'Scale');
	});

	test('Pan: direction as an integer, scale 1.1 to 3.0', async () => {
		expect(await requestOf('image', 'pan', { jobId: JOB, imageNo: 1, direction: 2, scale: 3, remixPrompt: 'sky' })).toEqual({
			method: 'POST',
			path: '/api/v1/pan',
			body: { jobId: JOB, imageNo: 1, direction: 2, scale: 3, remixPrompt: 'sky' },
		});
		// A direction mapped from an expression as text still goes out as an integer.
		const fromText = await requestOf('image', 'pan', { jobId: JOB, direction: '3' });
		expect(fromText.body.direction).toBe(3);
		expect(fromText.body).not.toHaveProperty('remixPrompt');
		await expectRefused('image', 'pan', { jobId: JOB, direction: 'up' }, 'Direction');
		await expectRefused('image', 'pan', { jobId: JOB, scale: 3.1 }, 'Scale');
	});

	test('Enhance', async () => {
		expect(await requestOf('image', 'enhance', { jobId: JOB, imageNo: 3 })).toEqual({
			method: 'POST',
			path: '/api/v1/enhance',
			body: { jobId: JOB, imageNo: 3 },
		});
		expect(op('image', 'enhance').option.description).toMatch(/--v 7 --draft/);
		await expectRefused('image', 'enhance', { jobId: JOB, imageNo: -1 }, 'Image Number');
	});
});

describe('Image → operations on any image', () => {
	test('Blend: 2 to 5 URLs, as a list or one text', async () => {
		const request = await requestOf('image', 'blend', { imageUrls: ['https://example.com/1.png', 'https://example.com/2.png'], aspectRatio: '3:2' });
		expect(request).toEqual({
			method: 'POST',
			path: '/api/v1/blend',
			body: { imgUrls: ['https://example.com/1.png', 'https://example.com/2.png'], aspect_ratio: '3:2' },
			otherShape: { namedBy: ['base64Array', 'dimension'], build: expect.any(Function) },
		});
		const fromText = await requestOf('image', 'blend', { imageUrls: 'https://example.com/1.png, https://example.com/2.png\nhttps://example.com/3.png' });
		expect(fromText.body).toEqual({ imgUrls: ['https://example.com/1.png', 'https://example.com/2.png', 'https://example.com/3.png'], aspect_ratio: '1:1' });
		await expectRefused('image', 'blend', { imageUrls: ['https://example.com/1.png', ''] }, 'Image URLs');
		await expectRefused('image', 'blend', { imageUrls: Array.from({ length: 6 }, (_, i) => `https://example.com/${i}.png`) }, 'Image URLs');
		await expectRefused('image', 'blend', { imageUrls: ['https://example.com/1.png', 'ftp://example.com/2.png'] }, 'Image URLs (URL 2)');
		await expectRefused('image', 'blend', { imageUrls: ['https://example.com/1.png', 'https://example.com/2.png'], aspectRatio: '16:9' }, 'Aspect Ratio');
	});

	test('Remove Background: a URL of at most 1024 characters', async () => {
		expect(await requestOf('image', 'removeBackground', { imageUrl: 'https://example.com/p.jpg' })).toEqual({
			method: 'POST',
			path: '/api/v1/remove-background',
			body: { imgUrl: 'https://example.com/p.jpg' },
		});
		const long = `https://example.com/${'a'.repeat(1005)}`;
		expect(long).toHaveLength(1025);
		await expectRefused('image', 'removeBackground', { imageUrl: long }, 'Image URL');
		expect((await requestOf('image', 'removeBackground', { imageUrl: long.slice(0, 1024) })).body.imgUrl).toHaveLength(1024);
		await expectRefused('image', 'removeBackground', { imageUrl: 'example.com/p.jpg' }, 'Image URL');
	});

	test('Retexture: image URL and remix prompt', async () => {
		expect(await requestOf('image', 'retexture', { imageUrl: 'https://example.com/c.jpg', remixPrompt: 'marble' })).toEqual({
			method: 'POST',
			path: '/api/v1/retexture',
			body: { imgUrl: 'https://example.com/c.jpg', remixPrompt: 'marble' },
		});
		await expectRefused('image', 'retexture', { imageUrl: 'https://example.com/c.jpg', remixPrompt: '' }, 'Remix Prompt');
		await expectRefused('image', 'retexture', { imageUrl: '', remixPrompt: 'marble' }, 'Image URL');
	});

	test('Topaz Upscale: from a URL or a job; only the options that are set', async () => {
		expect(await requestOf('image', 'topazUpscale', { imageSource: 'url', imageUrl: 'https://example.com/p.jpg' })).toEqual({
			method: 'POST',
			path: '/api/v1/enhance-upscale',
			body: { image_url: 'https://example.com/p.jpg' },
		});
		const withOptions = await requestOf('image', 'topazUpscale', {
			jobId: JOB,
			imageNo: 2,
			upscaleOptions: {
				targetResolution: '4K',
				contentType: 'low_res',
				aspectRatio: '16:9',
				cropMode: 'crop',
				outputFormat: 'png',
				faceEnhancementLevel: 'off',
			},
		});
		expect(withOptions.body).toEqual({
			jobId: JOB,
			imageNo: 2,
			target_resolution: '4K',
			content_type: 'low_res',
			aspect_ratio: '16:9',
			crop_mode: 'crop',
			output_format: 'png',
			face_enhancement_level: 'off',
		});
		// Spellings Legnext also accepts, e.g. from an expression.
		expect((await requestOf('image', 'topazUpscale', { jobId: JOB, upscaleOptions: { outputFormat: 'jpg' } })).body.output_format).toBe('jpg');
		await expectRefused('image', 'topazUpscale', { jobId: JOB, upscaleOptions: { targetResolution: '16K' } }, 'Upscale Options → Target Resolution');
		await expectRefused('image', 'topazUpscale', { jobId: JOB, upscaleOptions: { aspectRatio: '21:9' } }, 'Upscale Options → Aspect Ratio');
		await expectRefused('image', 'topazUpscale', { imageSource: 'url', imageUrl: 'nope' }, 'Image URL');
		await expectRefused('image', 'topazUpscale', { jobId: JOB, imageNo: 7 }, 'Image Number');
	});

	test('Describe: an image URL as imgUrl', async () => {
		expect(await requestOf('image', 'describe', { imageUrl: 'https://example.com/p.jpg' })).toEqual({
			method: 'POST',
			path: '/api/v1/describe',
			body: { imgUrl: 'https://example.com/p.jpg' },
		});
		await expectRefused('image', 'describe', { imageUrl: 'p.jpg' }, 'Image URL');
	});

	test('Describe: a binary file as an imageBase64 data URL', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const binary = { photo: { meta: { mimeType: 'image/png', fileName: 'p.png', data: 'filesystem-v2', id: 'x', bytes: png.length }, buffer: png } };
		expect(await requestOf('image', 'describe', { imageSource: 'binary', binaryPropertyName: 'photo' }, binary)).toEqual({
			method: 'POST',
			path: '/api/v1/describe',
			body: { imageBase64: `data:image/png;base64,${png.toString('base64')}` },
		});
	});

	test('Describe: refuses a missing, non-image, empty or too large file', async () => {
		const source = { imageSource: 'binary', binaryPropertyName: 'data' };
		const missing = await requestOf('image', 'describe', source, {}, 3).catch((error) => error);
		expect(missing).toBeInstanceOf(NodeOperationError);
		expect(missing.message).toMatch(/'data'.*item 3/);
		await expectRefused('image', 'describe', source, 'Input Binary Field', { data: { meta: { mimeType: 'application/pdf' }, buffer: Buffer.from('x') } });
		await expectRefused('image', 'describe', source, 'Input Binary Field', { data: { meta: { mimeType: 'image/png' }, buffer: Buffer.alloc(0) } });
		const big = Buffer.alloc(10 * 1024 * 1024 + 1);
		const error = await expectRefused('image', 'describe', source, 'Input Binary Field', { data: { meta: { mimeType: 'image/jpeg' }, buffer: big } });
		expect(error.message).toContain('10 MB');
		await expectRefused('image', 'describe', { ...source, binaryPropertyName: ' ' }, 'Input Binary Field');
	});

	test('Shorten', async () => {
		expect(await requestOf('image', 'shorten', { prompt: 'a long prompt --ar 21:9' })).toEqual({
			method: 'POST',
			path: '/api/v1/shorten',
			body: { prompt: 'a long prompt --ar 21:9' },
		});
		await expectRefused('image', 'shorten', { prompt: '' }, 'Prompt');
	});
});

describe('Image → whitelisted operations', () => {
	test('Edit: canvas, image position, remix prompt; the mask only when chosen', async () => {
		const canvas = { canvasWidth: 1024, canvasHeight: 1024, imageWidth: 512, imageHeight: 512, imageX: 256, imageY: 256 };
		expect(await requestOf('image', 'edit', { jobId: JOB, imageNo: 1, ...canvas, remixPrompt: 'mountains' })).toEqual({
			method: 'POST',
			path: '/api/v1/edit',
			body: {
				jobId: JOB,
				imageNo: 1,
				canvas: { width: 1024, height: 1024 },
				imgPos: { width: 512, height: 512, x: 256, y: 256 },
				remixPrompt: 'mountains',
			},
		});
		const masked = await requestOf('image', 'edit', { jobId: JOB, remixPrompt: 'm', maskSource: 'url', maskUrl: 'https://example.com/m.png' });
		expect(masked.body.mask).toEqual({ url: 'https://example.com/m.png' });
		expect(op('image', 'edit').option.description).toMatch(/whitelisted/);
		await expectRefused('image', 'edit', { jobId: JOB, remixPrompt: 'm', canvasWidth: 0 }, 'Canvas Width');
		await expectRefused('image', 'edit', { jobId: JOB, remixPrompt: 'm', imageX: -1 }, 'Image X');
		await expectRefused('image', 'edit', { jobId: JOB, remixPrompt: '' }, 'Remix Prompt');
	});

	test('Upload Paint: image URL, canvas, remix prompt and a required mask', async () => {
		const request = await requestOf('image', 'uploadPaint', {
			imageUrl: 'https://example.com/room.png',
			remixPrompt: 'plants',
			maskAreas: { area: [{ width: 500, height: 500, x1: 10, y1: 10, x2: 100, y2: 100 }] },
		});
		expect(request).toEqual({
			method: 'POST',
			path: '/api/v1/upload-paint',
			encoding: 'multipart',
			body: {
				imgUrl: 'https://example.com/room.png',
				canvas: { width: 1024, height: 1024 },
				imgPos: { width: 512, height: 512, x: 256, y: 256 },
				remixPrompt: 'plants',
				mask: { areas: [{ width: 500, height: 500, points: [10, 10, 10, 100, 100, 100, 100, 10] }] },
			},
		});
		expect(op('image', 'uploadPaint').option.description).toMatch(/whitelisted/);
		await expectRefused('image', 'uploadPaint', { imageUrl: 'https://example.com/r.png', remixPrompt: 'p', maskSource: 'none' }, 'Mask');
		await expectRefused('image', 'uploadPaint', { imageUrl: `https://example.com/${'a'.repeat(1100)}`, remixPrompt: 'p' }, 'Image URL');
	});
});
