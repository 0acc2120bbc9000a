// @ts-check
'use strict';
/**
 * Legnext's rules for the endpoints that make images from a prompt or from image URLs, and the image
 * tools (describe, shorten, remove-background, retexture, enhance-upscale, upload-paint).
 */
const { ApiError, badRequest } = require('./errors');
const { isHttpUrl, canvasAndPosition } = require('./rules-reader');
const { isDraft, seedFlag, imageFollowUp, makePlan, checkPromptRules } = require('./rules-plans');

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * Blend as the docs' API reference page sends it: `base64Array`, 2–5 base64 images (data URIs in its
 * example), each at most 10 MB, and `dimension` PORTRAIT / SQUARE / LANDSCAPE.
 * @param {import('./rules-reader').Reader} r
 */
function blendFromBase64(r) {
	const images = r.body.base64Array;
	if (images === undefined || images === null) throw badRequest('base64Array is required');
	if (!Array.isArray(images)) throw r.typeError('base64Array', '[]string', images);
	if (images.length < 2 || images.length > 5) throw badRequest(`base64Array must have 2 to 5 images, got ${images.length}`);
	images.forEach((image, i) => {
		if (typeof image !== 'string') throw r.typeError(`base64Array[${i}]`, 'string', image);
		const data = image.replace(/^data:image\/[a-z+.-]+;base64,/i, '');
		if (data === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw badRequest(`base64Array[${i}] is not valid base64`);
		const bytes = Math.floor((data.length * 3) / 4);
		if (bytes > MAX_IMAGE_BYTES) throw new ApiError(413, 'Payload too large', `base64Array[${i}]: image is ${bytes} bytes, the limit is ${MAX_IMAGE_BYTES}`);
	});
	const dimension = r.string('dimension', { required: true });
	if (!['PORTRAIT', 'SQUARE', 'LANDSCAPE'].includes(/** @type {string} */ (dimension))) {
		throw badRequest(`dimension must be one of "PORTRAIT", "SQUARE", "LANDSCAPE", got ${JSON.stringify(dimension)}`);
	}
	return makePlan('blend', { prompt: `${images.length} uploaded images` });
}

/** @type {Record<string, import('./rules').Endpoint>} POST path → rule */
const ENDPOINTS = {
	'/api/v1/diffusion': {
		taskType: 'diffusion',
		struct: 'DiffusionRequest',
		plan(r) {
			const text = /** @type {string} */ (r.string('text', { required: true }));
			checkPromptRules(text, 'text');
			// Priced by the pricing page (prices.js): `--draft` 40. The seed example (a `--v 7 --draft` prompt) froze
			// 80: the sources disagree, and the `prices` option plays an account charged the seed's way.
			return makePlan('diffusion', { prompt: text, draft: isDraft(text), seed: seedFlag(text) });
		},
	},
	'/api/v1/blend': {
		taskType: 'blend',
		struct: 'BlendRequest',
		// Two published shapes (blendShape): the OpenAPI files' imgUrls + aspect_ratio, the docs' API
		// reference page's base64Array + dimension. Each Legnext serves one; the other's fields are unknown to it.
		plan(r, ctx) {
			if (ctx.blendShape === 'base64Array') return blendFromBase64(r);
			const urls = r.body.imgUrls;
			if (urls === undefined || urls === null) throw badRequest('imgUrls is required');
			if (!Array.isArray(urls)) throw r.typeError('imgUrls', '[]string', urls);
			if (urls.length < 2 || urls.length > 5) throw badRequest(`imgUrls must have 2 to 5 URLs, got ${urls.length}`);
			urls.forEach((url, i) => {
				if (typeof url !== 'string') throw r.typeError(`imgUrls[${i}]`, 'string', url);
				if (!isHttpUrl(url)) throw badRequest(`imgUrls[${i}] must be a valid http(s) URL`);
			});
			const ratio = r.string('aspect_ratio', { required: true });
			if (!['2:3', '1:1', '3:2'].includes(/** @type {string} */ (ratio))) {
				throw badRequest(`aspect_ratio must be one of "2:3", "1:1", "3:2", got ${JSON.stringify(ratio)}`);
			}
			return makePlan('blend', { prompt: urls.join(' ') });
		},
	},
	'/api/v1/describe': {
		taskType: 'describe',
		struct: 'DescribeRequest',
		plan(r) {
			const imgUrl = r.url('imgUrl');
			const imageLink = r.url('imageLink');
			const base64 = r.string('imageBase64', { max: Number.MAX_SAFE_INTEGER });
			if (!imgUrl && !imageLink && !base64) throw badRequest('imgUrl is required (or imageBase64)');
			// The docs' Describe page: an image as imageBase64 or as a link, not both.
			if (base64 && (imgUrl || imageLink)) throw badRequest('imageBase64 and imageLink cannot both be set');
			if (base64) {
				const data = base64.replace(/^data:image\/[a-z+.-]+;base64,/i, '');
				if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(data)) throw badRequest('imageBase64 is not valid base64');
				const bytes = Math.floor((data.replace(/\s/g, '').length * 3) / 4);
				if (bytes > MAX_IMAGE_BYTES) throw new ApiError(413, 'Payload too large', `imageBase64: image is ${bytes} bytes, the limit is ${MAX_IMAGE_BYTES}`);
			}
			return makePlan('describe', { output: 'text', prompt: imgUrl ?? imageLink ?? 'uploaded image', mjActions: false });
		},
	},
	'/api/v1/shorten': {
		taskType: 'shorten',
		struct: 'ShortenRequest',
		plan(r) {
			const prompt = /** @type {string} */ (r.string('prompt', { required: true }));
			return makePlan('shorten', { output: 'text', prompt, mjActions: false });
		},
	},
	'/api/v1/remove-background': {
		taskType: 'remove_background',
		struct: 'RemoveBackgroundRequest',
		plan(r) {
			const imgUrl = /** @type {string} */ (r.url('imgUrl', { required: true, max: 1024 }));
			return makePlan('remove_background', { output: 'image', prompt: imgUrl, mjActions: false });
		},
	},
	'/api/v1/retexture': {
		taskType: 'retexture',
		struct: 'RetextureRequest',
		plan(r) {
			const imgUrl = /** @type {string} */ (r.url('imgUrl', { required: true, max: 1024 }));
			const ext = /\.([a-z0-9]{2,5})$/i.exec(new URL(imgUrl).pathname)?.[1]?.toLowerCase();
			if (ext && !['jpg', 'jpeg', 'png', 'webp'].includes(ext)) throw badRequest(`imgUrl must be a JPG, PNG or WebP image, got .${ext}`);
			const remixPrompt = /** @type {string} */ (r.string('remixPrompt', { required: true }));
			return makePlan('retexture', { prompt: remixPrompt });
		},
	},
	'/api/v1/enhance-upscale': {
		taskType: 'enhance_upscale',
		struct: 'EnhanceUpscaleRequest',
		plan(r, ctx) {
			for (const field of ['target_resolution', 'content_type', 'aspect_ratio', 'crop_mode', 'output_format']) {
				const value = r.body[field];
				if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') throw r.typeError(field, 'string', value);
			}
			const level = r.body.face_enhancement_level;
			if (level !== undefined && level !== null && typeof level !== 'number' && typeof level !== 'string') throw r.typeError('face_enhancement_level', 'string', level);
			const targetResolution = r.body.target_resolution === undefined || r.body.target_resolution === null ? undefined : String(r.body.target_resolution);
			const imageUrl = r.url('image_url');
			// The docs' Topaz page: JPEG, PNG or TIFF (up to 100 MB, input-images.js).
			const ext = imageUrl ? /\.([a-z0-9]{2,5})$/i.exec(new URL(imageUrl).pathname)?.[1]?.toLowerCase() : undefined;
			if (ext && !['jpg', 'jpeg', 'png', 'tif', 'tiff'].includes(ext)) throw badRequest(`image_url must be a JPEG, PNG or TIFF image, got .${ext}`);
			if (imageUrl) return makePlan('enhance_upscale', { output: 'image', prompt: imageUrl, imageSize: 128, mjActions: false, targetResolution });
			if (!r.has('jobId')) throw badRequest('image_url is required (or jobId and imageNo)');
			const { parent, imageNo } = imageFollowUp(r, ctx);
			return makePlan('enhance_upscale', { output: 'image', parentId: parent.id, parentIndex: imageNo, prompt: parent.plan.prompt, imageSize: 128, mjActions: false, targetResolution });
		},
	},
	'/api/v1/upload-paint': {
		taskType: 'upload_paint',
		struct: 'UploadPaintRequest',
		whitelistOnly: true,
		plan(r) {
			r.url('imgUrl');
			canvasAndPosition(r);
			r.object('mask', 'Mask');
			const remixPrompt = /** @type {string} */ (r.string('remixPrompt', { required: true }));
			return makePlan('upload_paint', { prompt: remixPrompt });
		},
	},
};

module.exports = { ENDPOINTS };
