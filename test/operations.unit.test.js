// Every Legnext operation's request(), run from the built files with a stub n8n context: the exact
// path and body it sends, and the NodeOperationError (naming field and item) for each bad input.
// Run `npm run build` first.
const { NodeOperationError } = require('n8n-workflow');

const { RESOURCES, findOperation } = require('../dist/nodes/Legnext/actions/resources');
const { buildPrompt, PromptBuildError, findFlag } = require('../dist/nodes/Legnext/actions/promptBuilder');
const { balanceToJson } = require('../dist/nodes/Legnext/actions/account/getBalance.operation');

const JOB = '5dd94ec3-7282-4f04-9445-59e850ef1822';
const NODE = { id: 'n-legnext', name: 'Legnext', type: 'n8n-nodes-legnext.legnext', typeVersion: 2, position: [0, 0], parameters: {} };

/** The defaults an item gets in the editor (expressions left out), for the fields of one operation. */
function defaultsOf(operation) {
	const defaults = {};
	for (const property of operation.properties) {
		if (typeof property.default === 'string' && property.default.startsWith('=')) continue;
		if (property.type === 'notice') continue;
		defaults[property.name] = property.default;
	}
	return defaults;
}

/** A stub of IExecuteFunctions: parameters from a plain object, binary data from `binary`. */
function contextFor(operation, parameters = {}, binary = {}) {
	const values = { ...defaultsOf(operation), ...parameters };
	return {
		getNode: () => NODE,
		getNodeParameter(name, itemIndex, fallback) {
			if (values[name] !== undefined) return values[name];
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			assertBinaryData(itemIndex, property) {
				if (!binary[property]) {
					throw new NodeOperationError(NODE, `This operation expects the node's input data to contain a binary file '${property}', but none was found [item ${itemIndex}]`, { itemIndex });
				}
				return binary[property].meta;
			},
			async getBinaryDataBuffer(itemIndex, property) {
				return binary[property].buffer;
			},
		},
	};
}

const op = (resource, operation) => {
	const found = findOperation(resource, operation);
	if (!found) throw new Error(`no operation ${resource} → ${operation}`);
	return found;
};

async function requestOf(resource, operation, parameters, binary, itemIndex = 0) {
	const target = op(resource, operation);
	return await target.request(contextFor(target, parameters, binary), itemIndex);
}

/** Asserts that the item is refused with a NodeOperationError naming the field and item 3. */
async function expectRefused(resource, operation, parameters, field, binary) {
	let error;
	try {
		await requestOf(resource, operation, parameters, binary, 3);
	} catch (caught) {
		error = caught;
	}
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toContain(field);
	expect(error.message).toContain('(item 3)');
	expect(typeof error.description).toBe('string');
	expect(error.description.length).toBeGreaterThan(10);
	return error;
}

describe('the operation list', () => {
	const all = RESOURCES.flatMap((resource) => resource.operations.map((operation) => ({ resource: resource.option.value, operation })));

	test('has every operation of the API', () => {
		const names = RESOURCES.map((resource) => `${resource.option.value}: ${resource.operations.map((o) => o.option.value).join(', ')}`);
		expect(names).toEqual([
			'image: textToImage, blend, reroll, upscale, variation, remix, varyRegion, zoomOut, pan, enhance, topazUpscale, removeBackground, retexture, describe, shorten, edit, uploadPaint',
			'video: imageToVideo, extend, upscale',
			'job: get',
			'account: getBalance',
		]);
	});

	test.each(all.map(({ resource, operation }) => [`${resource} → ${operation.option.value}`, operation]))(
		'%s has a name, an action, a description and well-formed fields',
		(label, operation) => {
			const { name, value, action, description } = operation.option;
			expect(name).toMatch(/^[A-Z][A-Za-z ]+$/);
			for (const word of name.split(' ').filter((w) => !['to', 'a', 'of'].includes(w))) expect(word[0]).toBe(word[0].toUpperCase());
			expect(value).toMatch(/^[a-z][A-Za-z]+$/);
			expect(action).toMatch(/^[A-Z][a-z]/);
			expect(description.length).toBeGreaterThan(30);
			expect(['submit', 'read']).toContain(operation.kind);
			const visibleNames = new Set();
			for (const property of operation.properties) {
				const key = `${property.name}|${JSON.stringify(property.displayOptions ?? {})}`;
				expect(visibleNames.has(key)).toBe(false);
				visibleNames.add(key);
				if (property.type === 'boolean') expect(property.description).toMatch(/^Whether /);
				if (property.placeholder && !/^Add /.test(property.placeholder)) expect(property.placeholder).toMatch(/^e\.g\. /);
				if (property.name === 'jobId') expect(property.default).toBe('={{ $json.jobId ?? $json.job_id }}');
				if (property.name === 'imageNo') expect(property.default).toBe(0);
			}
		},
	);

	test('operations that create jobs are "submit"; the job and balance lookups are "read"', () => {
		const reads = all.filter(({ operation }) => operation.kind === 'read').map(({ operation }) => operation.option.value);
		expect(reads.sort()).toEqual(['get', 'getBalance']);
	});
});

describe('Image → Text to Image', () => {
	test('sends the prompt as text', async () => {
		expect(await requestOf('image', 'textToImage', { prompt: '  a red fox  ' })).toEqual({
			method: 'POST',
			path: '/api/v1/diffusion',
			body: { text: 'a red fox' },
		});
	});

	test('appends the prompt options as flags', async () => {
		const request = await requestOf('image', 'textToImage', {
			prompt: 'a red fox',
			promptOptions: { aspectRatio: '16:9', version: '7', draft: true, stylize: 250, no: 'text, people' },
		});
		expect(request.body).toEqual({ text: 'a red fox --ar 16:9 --v 7 --draft --s 250 --no text, people' });
	});

	test('refuses an empty prompt, a flag set twice, a bad option and a prompt too long with its flags', async () => {
		await expectRefused('image', 'textToImage', { prompt: '   ' }, 'Prompt');
		const twice = await expectRefused('image', 'textToImage', { prompt: 'a fox --ar 16:9', promptOptions: { aspectRatio: '1:1' } }, 'Prompt Options → Aspect Ratio');
		expect(twice.message).toContain('--ar 16:9');
		await expectRefused('image', 'textToImage', { prompt: 'a fox', promptOptions: { chaos: 101 } }, 'Prompt Options → Chaos');
		await expectRefused('image', 'textToImage', { prompt: 'x'.repeat(8185), promptOptions: { aspectRatio: '16:9' } }, 'Prompt (with Prompt Options)');
		expect((await requestOf('image', 'textToImage', { prompt: 'x'.repeat(8183), promptOptions: { aspectRatio: '1:1' } })).body.text).toHaveLength(8192);
	});
});

describe('Video → Image to Video', () => {
	test('from a job: prompt options become the prompt', async () => {
		const request = await requestOf('video', 'imageToVideo', {
			jobId: JOB,
			imageNo: 1,
			prompt: '',
			promptOptions: { motion: 'high', loop: true, batchSize: 2 },
		});
		expect(request).toEqual({
			method: 'POST',
			path: '/api/v1/video-diffusion',
			body: { jobId: JOB, imageNo: 1, prompt: '--motion high --loop --bs 2', videoType: 0 },
		});
	});

	test('from a URL: the image URL leads, the flags follow the text', async () => {
		const request = await requestOf('video', 'imageToVideo', {
			imageSource: 'url',
			imageUrl: 'https://example.com/a.png',
			prompt: 'waves roll in',
			resolution: '720p',
			promptOptions: { raw: true, endFrameUrl: 'https://example.com/end.png' },
		});
		expect(request.body).toEqual({ prompt: 'https://example.com/a.png waves roll in --raw --end https://example.com/end.png', videoType: 1 });
	});

	test('refuses loop with an end frame, and a flag already in the prompt', async () => {
		await expectRefused('video', 'imageToVideo', { jobId: JOB, promptOptions: { loop: true, endFrameUrl: 'https://example.com/e.png' } }, 'Prompt Options → Loop');
		await expectRefused('video', 'imageToVideo', { jobId: JOB, prompt: 'go --motion low', promptOptions: { motion: 'high' } }, 'Prompt Options → Motion');
		await expectRefused('video', 'imageToVideo', { jobId: JOB, promptOptions: { batchSize: 3 } }, 'Prompt Options → Batch Size');
	});
});

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
		await expectRefused('image', 'upscale', { jobId: 'not-a-job' }, 'Job ID');
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
		await expectRefused('image', 'reroll', { jobId: '123' }, 'Job ID');
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
		expect(await requestOf('image', 'blend', { imageUrls: ['https://example.com/1.png', 'https://example.com/2.png'], aspectRatio: '3:2' })).toEqual({
			method: 'POST',
			path: '/api/v1/blend',
			body: { imgUrls: ['https://example.com/1.png', 'https://example.com/2.png'], aspect_ratio: '3:2' },
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

describe('Video → follow-ups of a video job', () => {
	test('Extend: video number 0–3, the prompt only when set', async () => {
		expect(await requestOf('video', 'extend', { jobId: JOB, videoNo: 3, prompt: 'rise' })).toEqual({
			method: 'POST',
			path: '/api/v1/extend-video',
			body: { jobId: JOB, videoNo: 3, prompt: 'rise' },
		});
		expect((await requestOf('video', 'extend', { jobId: JOB })).body).toEqual({ jobId: JOB, videoNo: 0 });
		await expectRefused('video', 'extend', { jobId: JOB, videoNo: 4 }, 'Video Number');
		await expectRefused('video', 'extend', { jobId: 'abc' }, 'Job ID');
	});

	test('Upscale', async () => {
		expect(await requestOf('video', 'upscale', { jobId: JOB, videoNo: 1 })).toEqual({
			method: 'POST',
			path: '/api/v1/video-upscale',
			body: { jobId: JOB, videoNo: 1 },
		});
		await expectRefused('video', 'upscale', { jobId: JOB, videoNo: '5' }, 'Video Number');
	});
});

describe('Job and Account', () => {
	test('Job → Get', async () => {
		expect(await requestOf('job', 'get', { jobId: JOB })).toEqual({ method: 'GET', path: `/api/v1/job/${JOB}` });
		await expectRefused('job', 'get', { jobId: 'x' }, 'Job ID');
	});

	test('Account → Get Balance: GET, read-only, the data object camelCased', async () => {
		const operation = op('account', 'getBalance');
		expect(operation.kind).toBe('read');
		expect(await requestOf('account', 'getBalance', {})).toEqual({ method: 'GET', path: '/api/account/balance' });
		const answer = require('./fixtures/openapi-balance.json');
		const json = operation.toJson(answer);
		expect(json).toEqual({
			accountId: answer.data.account_id,
			balanceUsd: answer.data.balance_usd,
			availableCredits: answer.data.available_credits,
			availablePoints: answer.data.available_points,
			alertThreshold: answer.data.alert_threshold,
			lowBalanceAlert: answer.data.low_balance_alert,
			updatedAt: answer.data.updated_at,
		});
		expect(json).not.toHaveProperty('error');
		expect(balanceToJson({ code: 200, data: { account_id: 1, new_field_x: 2 } })).toMatchObject({ accountId: 1, balanceUsd: null, newFieldX: 2 });
	});
});

describe('buildPrompt', () => {
	const refused = (text, options) => {
		try {
			buildPrompt(text, options);
		} catch (error) {
			expect(error).toBeInstanceOf(PromptBuildError);
			return error;
		}
		throw new Error('buildPrompt accepted it');
	};

	test('no options: the text, trimmed', () => {
		expect(buildPrompt('  a fox ', {})).toBe('a fox');
		expect(buildPrompt('a fox')).toBe('a fox');
	});

	test('every image flag, in a fixed order', () => {
		expect(
			buildPrompt('a fox', {
				weird: 10,
				seed: 4294967295,
				stylize: 0,
				chaos: 100,
				styleRaw: true,
				draft: true,
				version: '7',
				aspectRatio: '2:3',
				no: 'text',
				styleReferenceUrls: 'https://e.com/s1.png, https://e.com/s2.png',
				styleWeight: 1000,
				characterReferenceUrls: ['https://e.com/c.png'],
				characterWeight: 0,
			}),
		).toBe(
			'a fox --ar 2:3 --v 7 --draft --style raw --s 0 --chaos 100 --weird 10 --seed 4294967295 --no text --sref https://e.com/s1.png https://e.com/s2.png --sw 1000 --cref https://e.com/c.png --cw 0',
		);
	});

	test('versions and niji', () => {
		expect(buildPrompt('a', { version: '6' })).toBe('a --v 6');
		expect(buildPrompt('a', { version: '6.1' })).toBe('a --v 6.1');
		expect(buildPrompt('a', { version: 'niji6' })).toBe('a --niji 6');
		expect(refused('a', { version: '5' }).field).toBe('Version');
		// Version and niji exclude each other: a niji prompt with a Version option is refused.
		expect(refused('a --niji 6', { version: '7' }).problem).toContain('--niji 6');
		expect(refused('a --v 6', { version: 'niji6' }).problem).toContain('--v 6');
		expect(refused('a', { version: '6.1', draft: true }).field).toBe('Draft');
		expect(buildPrompt('a', { draft: true })).toBe('a --draft');
	});

	test('empty and false options add nothing', () => {
		expect(buildPrompt('a', { aspectRatio: '', draft: false, styleRaw: false, no: '  ', styleReferenceUrls: '', loop: false, raw: false, endFrameUrl: '' })).toBe('a');
	});

	test('a flag the prompt already has is refused, aliases and em dashes included', () => {
		const error = refused('a fox --ar 16:9', { aspectRatio: '1:1' });
		expect(error.field).toBe('Aspect Ratio');
		expect(error.problem).toBe('the prompt already has --ar 16:9');
		expect(error.fix).toContain('--ar 16:9');
		expect(refused('a fox --aspect 4:3', { aspectRatio: '1:1' }).problem).toContain('--aspect 4:3');
		expect(refused('a fox \u2014ar 4:3', { aspectRatio: '1:1' }).problem).toContain('\u2014ar 4:3');
		expect(refused('a fox --stylize 50', { stylize: 100 }).field).toBe('Stylize');
		expect(refused('a fox --c 5', { chaos: 1 }).field).toBe('Chaos');
		expect(refused('a fox --style raw', { styleRaw: true }).field).toBe('Style Raw');
		expect(refused('a fox --draft', { draft: true }).field).toBe('Draft');
		expect(refused('a fox --no cats', { no: 'dogs' }).field).toBe('Exclude');
		expect(refused('a fox --seed 1', { seed: 2 }).field).toBe('Seed');
		expect(refused('a fox --sref https://e.com/s.png', { styleReferenceUrls: 'https://e.com/t.png' }).field).toBe('Style Reference URLs');
	});

	test('similar flags do not count as the same flag', () => {
		expect(buildPrompt('a fox --sref https://e.com/s.png', { stylize: 100, styleWeight: 50 })).toBe('a fox --sref https://e.com/s.png --s 100 --sw 50');
		expect(buildPrompt('a fox --cref https://e.com/c.png', { characterWeight: 50, chaos: 5 })).toBe('a fox --cref https://e.com/c.png --chaos 5 --cw 50');
		expect(buildPrompt('a well-lit room--ar', { aspectRatio: '1:1' })).toBe('a well-lit room--ar --ar 1:1');
		expect(buildPrompt('a fox --sameseed 3 --version-free text', { weird: 1 })).toBe('a fox --sameseed 3 --version-free text --weird 1');
	});

	test('ranges and formats', () => {
		expect(refused('a', { stylize: 1001 }).field).toBe('Stylize');
		expect(refused('a', { stylize: -1 }).field).toBe('Stylize');
		expect(refused('a', { chaos: 50.5 }).field).toBe('Chaos');
		expect(refused('a', { weird: 3001 }).field).toBe('Weird');
		expect(refused('a', { seed: 4294967296 }).field).toBe('Seed');
		expect(buildPrompt('a', { seed: '42' })).toBe('a --seed 42');
		expect(refused('a', { aspectRatio: '16/9' }).field).toBe('Aspect Ratio');
		expect(refused('a', { aspectRatio: '0:1' }).field).toBe('Aspect Ratio');
		expect(refused('a', { aspectRatio: '16:9 --v 5' }).field).toBe('Aspect Ratio');
		expect(buildPrompt('a', { aspectRatio: ' 21:9 ' })).toBe('a --ar 21:9');
		expect(refused('a', { no: 'text --v 5' }).field).toBe('Exclude');
		expect(refused('a', { styleReferenceUrls: 'https://e.com/a.png notaurl' }).field).toBe('Style Reference URLs');
		expect(refused('a', { characterReferenceUrls: 'javascript:alert(1)' }).field).toBe('Character Reference URLs');
		expect(refused('a', { styleWeight: 100 }).field).toBe('Style Weight');
		expect(refused('a', { characterWeight: 101, characterReferenceUrls: 'https://e.com/c.png' }).field).toBe('Character Weight');
		expect(refused('a', { characterWeight: 10 }).field).toBe('Character Weight');
		expect(refused('a', { styleWeight: 1001, styleReferenceUrls: 'https://e.com/s.png' }).field).toBe('Style Weight');
	});

	test('video flags', () => {
		expect(buildPrompt('', { motion: 'low', raw: true, loop: true, batchSize: 1 })).toBe('--motion low --raw --loop --bs 1');
		expect(buildPrompt('go', { endFrameUrl: 'https://e.com/end.png', batchSize: '4' })).toBe('go --end https://e.com/end.png --bs 4');
		expect(refused('', { motion: 'medium' }).field).toBe('Motion');
		expect(refused('', { batchSize: 3 }).field).toBe('Batch Size');
		expect(refused('', { endFrameUrl: 'end.png' }).field).toBe('End Frame URL');
		expect(refused('', { loop: true, endFrameUrl: 'https://e.com/e.png' }).field).toBe('Loop');
		expect(refused('go --end https://e.com/e.png', { loop: true }).field).toBe('Loop');
		expect(refused('go --loop', { endFrameUrl: 'https://e.com/e.png' }).field).toBe('End Frame URL');
		expect(refused('go --bs 2', { batchSize: 4 }).problem).toContain('--bs 2');
		expect(refused('go --raw', { raw: true }).field).toBe('Raw');
	});

	test('findFlag reports the flag with its value', () => {
		expect(findFlag('a --ar 16:9 --v 7', ['ar'])).toBe('--ar 16:9');
		expect(findFlag('a --draft --v 7', ['draft'])).toBe('--draft');
		expect(findFlag('a --AR 1:1', ['ar'])).toBe('--AR 1:1');
		expect(findFlag('a --arx', ['ar'])).toBeUndefined();
	});
});
