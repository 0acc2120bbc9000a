// @ts-check
'use strict';
/**
 * Legnext's request rules, endpoint by endpoint: required fields, types, ranges, and what a
 * follow-up may refer to. Each rule turns a valid body into a Plan (task type, what the job will
 * produce, what it costs) or throws an ApiError (400 naming the field; 404 for an unknown parent
 * job; 403 for whitelist-only endpoints; 413 for an oversized image).
 *
 * These are the simulator's own copies of the rules, written from legnext-api.md and the OpenAPI
 * spec; it never borrows the node's, so a mistake in the node cannot hide behind a shared rule.
 * Wrong JSON types answer like Legnext's Go backend would ("json: cannot unmarshal string into Go
 * struct field PanRequest.direction of type int").
 */
const { ApiError, badRequest } = require('./errors');

const MAX_TEXT = 8192;
/** Follow-ups (upscale, variation, …) refer to jobs at most this old (job time), by default. */
const DEFAULT_FOLLOW_UP_TTL_S = 3 * 24 * 3600;
const MAX_EXTENSIONS = 4;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * What a job will produce.
 * - `images`: a grid + 4 singles (Midjourney's 2x2); `image`: one PNG; `videos`: MP4s; `text`: prompts.
 * @typedef {'images' | 'image' | 'videos' | 'text'} OutputKind
 */

/**
 * @typedef {object} Plan
 * @property {string} taskType Legnext's task_type
 * @property {OutputKind} output
 * @property {number} count number of files (images or videos); 0 for text
 * @property {number} frozen points frozen at submit (usage.frozen)
 * @property {string} prompt the prompt the job works from (own or inherited), for seeds and flags
 * @property {boolean} draft made with `--draft` (so `enhance` is possible)
 * @property {string} [parentId] the job a follow-up refers to
 * @property {number} [parentIndex] imageNo / videoNo on the parent
 * @property {number} [extendDepth] how many extensions led to this video (0 for a fresh video)
 * @property {number} [imageSize] pixels per side of each PNG
 * @property {number} [videoSeconds] length of each clip
 * @property {string} [seed] a seed fixed by `--seed`
 * @property {boolean} [mjActions] whether Midjourney's follow-up buttons apply (available_actions)
 */

/**
 * What the rules need to know about an earlier job of the same API key.
 * @typedef {object} ParentInfo
 * @property {string} id
 * @property {string} taskType
 * @property {string} status current status
 * @property {Plan} plan
 * @property {Record<string, number[] | boolean>} actions available_actions once completed
 * @property {number} endedAt job time (ms) it ended, if it did
 */

/**
 * @typedef {object} RuleContext
 * @property {(jobId: string) => ParentInfo | undefined} lookup a job of this key (undefined: unknown or another key's)
 * @property {number} now job time (ms)
 * @property {number} followUpTtlS follow-up window in job seconds (0: no limit)
 * @property {boolean} whitelisted the key may use edit / upload-paint
 */

/** Points frozen per job (usage.frozen); the seeds show 80 for a diffusion. */
const COSTS = /** @type {Record<string, number>} */ ({
	diffusion: 80,
	variation: 80,
	reroll: 80,
	remix: 80,
	inpaint: 80,
	outpaint: 80,
	pan: 80,
	blend: 80,
	upscale: 40,
	describe: 10,
	shorten: 10,
	enhance: 80,
	remove_background: 20,
	retexture: 80,
	enhance_upscale: 60,
	edit: 80,
	upload_paint: 80,
	video_diffusion: 480,
	extend_video: 480,
	video_upscale: 480,
});

// ---------------------------------------------------------------------------------------------
// Field readers

/** @param {unknown} value */
function goType(value) {
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'string') return 'string';
	if (typeof value === 'number') return `number ${value}`;
	if (typeof value === 'boolean') return 'bool';
	return 'object';
}

/** Unicode characters, as Go's validator counts them (runes). @param {string} text */
function runeLength(text) {
	let n = 0;
	for (const _ of text) n++;
	return n;
}

/** @param {string} text */
function isHttpUrl(text) {
	if (!/^https?:\/\//i.test(text)) return false;
	try {
		const url = new URL(text);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
	} catch {
		return false;
	}
}

/**
 * Reads one request body the way Legnext's handler for `struct` does.
 */
class Reader {
	/**
	 * @param {Record<string, unknown>} body
	 * @param {string} struct Go struct name used in type errors, e.g. `PanRequest`
	 */
	constructor(body, struct) {
		this.body = body;
		this.struct = struct;
	}

	/** @param {string} field */
	has(field) {
		return this.body[field] !== undefined && this.body[field] !== null;
	}

	/**
	 * @param {string} field
	 * @param {string} goTypeName
	 * @param {unknown} value
	 */
	typeError(field, goTypeName, value) {
		return badRequest(`json: cannot unmarshal ${goType(value)} into Go struct field ${this.struct}.${field} of type ${goTypeName}`);
	}

	/**
	 * A string field, 1–8192 characters unless told.
	 * @param {string} field
	 * @param {{required?: boolean, min?: number, max?: number}} [rule]
	 * @returns {string | undefined}
	 */
	string(field, rule = {}) {
		const { required = false, min = 1, max = MAX_TEXT } = rule;
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'string') throw this.typeError(field, 'string', value);
		if (value === '' && !required) return undefined;
		const length = runeLength(value);
		if (length < min) throw badRequest(`${field} is required and must not be empty`);
		if (length > max) throw badRequest(`${field} must be at most ${max} characters, got ${length}`);
		return value;
	}

	/**
	 * An integer field.
	 * @param {string} field
	 * @param {{required?: boolean, min: number, max: number}} rule
	 * @returns {number | undefined}
	 */
	int(field, rule) {
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (rule.required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'number' || !Number.isInteger(value)) throw this.typeError(field, 'int', value);
		if (value < rule.min || value > rule.max) throw badRequest(`${field} must be an integer from ${rule.min} to ${rule.max}, got ${value}`);
		return value;
	}

	/**
	 * A number field.
	 * @param {string} field
	 * @param {{required?: boolean, min: number, max: number}} rule
	 * @returns {number | undefined}
	 */
	number(field, rule) {
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (rule.required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'number' || !Number.isFinite(value)) throw this.typeError(field, 'float64', value);
		if (value < rule.min - 1e-9 || value > rule.max + 1e-9) throw badRequest(`${field} must be from ${rule.min} to ${rule.max}, got ${value}`);
		return value;
	}

	/**
	 * An http(s) URL field.
	 * @param {string} field
	 * @param {{required?: boolean, max?: number}} [rule]
	 */
	url(field, rule = {}) {
		const value = this.string(field, { required: rule.required, max: rule.max ?? MAX_TEXT });
		if (value !== undefined && !isHttpUrl(value)) throw badRequest(`${field} must be a valid http(s) URL`);
		return value;
	}

	/**
	 * An object field.
	 * @param {string} field
	 * @param {string} goTypeName
	 * @param {{required?: boolean}} [rule]
	 * @returns {Record<string, unknown> | undefined}
	 */
	object(field, goTypeName, rule = {}) {
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (rule.required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'object' || Array.isArray(value)) throw this.typeError(field, goTypeName, value);
		return /** @type {Record<string, unknown>} */ (value);
	}

	/** The optional `callback`: empty means none. */
	callback() {
		return this.url('callback', { max: 2048 });
	}
}

/**
 * Checks an integer inside a nested object (canvas.width…).
 * @param {Reader} reader
 * @param {Record<string, unknown>} object
 * @param {string} path e.g. `canvas.width`
 * @param {number} min
 */
function nestedInt(reader, object, path, min) {
	const key = /** @type {string} */ (path.split('.').pop());
	const value = object[key];
	if (value === undefined || value === null) throw badRequest(`${path} is required`);
	if (typeof value !== 'number' || !Number.isInteger(value)) throw reader.typeError(path, 'int', value);
	if (value < min) throw badRequest(`${path} must be at least ${min}, got ${value}`);
	return value;
}

// ---------------------------------------------------------------------------------------------
// Prompts

/**
 * The value after a Midjourney flag (`--seed 12` → "12"); `true` for a bare flag; undefined if absent.
 * @param {string} prompt
 * @param {string} name
 * @returns {string | true | undefined}
 */
function flag(prompt, name) {
	const match = new RegExp(`(?:^|\\s)--${name}(?:\\s+([^\\s-][^\\s]*))?(?=\\s|$)`, 'i').exec(prompt);
	if (!match) return undefined;
	return match[1] ?? true;
}

/** @param {string} prompt */
function isDraft(prompt) {
	return flag(prompt, 'draft') !== undefined;
}

/** @param {string} prompt */
function seedFlag(prompt) {
	const value = flag(prompt, 'seed');
	if (value === undefined) return undefined;
	if (value === true || !/^\d+$/.test(value) || Number(value) > 4294967295) {
		throw badRequest(`text: invalid --seed value ${value === true ? '(missing)' : JSON.stringify(value)}: must be an integer from 0 to 4294967295`);
	}
	return value;
}

// ---------------------------------------------------------------------------------------------
// Parents (follow-ups)

/**
 * @param {RuleContext} ctx
 * @param {string} jobId
 * @param {{kind: 'image' | 'video', index?: {field: string, value: number}, action?: string}} need
 * @returns {ParentInfo}
 */
function parentJob(ctx, jobId, need) {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(jobId)) {
		throw badRequest(`jobId ${JSON.stringify(jobId)} is not a valid job id`);
	}
	const parent = ctx.lookup(jobId.toLowerCase());
	if (!parent) throw new ApiError(404, 'job not found', `job ${jobId} not found`);
	if (parent.status !== 'completed') {
		throw badRequest(`job ${jobId} is not completed (status: ${parent.status})`);
	}
	const isImage = parent.plan.output === 'images' || parent.plan.output === 'image';
	const isVideo = parent.plan.output === 'videos';
	if (need.kind === 'image' && !isImage) throw badRequest(`jobId: job ${jobId} is a ${parent.taskType} job, not an image job`);
	if (need.kind === 'video' && !isVideo) throw badRequest(`jobId: job ${jobId} is a ${parent.taskType} job, not a video job`);
	if (ctx.followUpTtlS > 0 && ctx.now - parent.endedAt > ctx.followUpTtlS * 1000) {
		throw badRequest(`job ${jobId} has expired: follow-up actions are only available for ${Math.round(ctx.followUpTtlS / 3600)} hours`);
	}
	if (need.index && need.index.value >= parent.plan.count) {
		const noun = need.kind === 'video' ? 'video' : 'image';
		throw badRequest(`${need.index.field}: job ${jobId} has ${parent.plan.count} ${noun}${parent.plan.count === 1 ? '' : 's'}, there is no ${noun} ${need.index.value}`);
	}
	if (need.action) {
		const allowed = parent.actions[need.action];
		const ok = need.index ? Array.isArray(allowed) && allowed.includes(need.index.value) : allowed === true;
		if (!ok) {
			const which = need.index ? ` for image ${need.index.value}` : '';
			throw badRequest(`${need.action} is not available${which} of job ${jobId} (${parent.taskType})`);
		}
	}
	return parent;
}

/**
 * jobId + imageNo of a completed image job, where `action` is available.
 * @param {Reader} r
 * @param {RuleContext} ctx
 * @param {string} [action] the available_actions entry that must list imageNo
 */
function imageFollowUp(r, ctx, action) {
	const jobId = /** @type {string} */ (r.string('jobId', { required: true, max: 64 }));
	const imageNo = /** @type {number} */ (r.int('imageNo', { required: true, min: 0, max: 3 }));
	const parent = parentJob(ctx, jobId, { kind: 'image', index: { field: 'imageNo', value: imageNo }, action });
	return { parent, imageNo };
}

/**
 * @param {string} taskType
 * @param {Partial<Plan>} plan
 * @returns {Plan}
 */
function makePlan(taskType, plan) {
	const output = plan.output ?? 'images';
	return {
		taskType,
		output,
		count: plan.count ?? (output === 'images' ? 4 : output === 'image' ? 1 : output === 'videos' ? 4 : 0),
		frozen: plan.frozen ?? COSTS[taskType] ?? 80,
		prompt: plan.prompt ?? '',
		draft: plan.draft ?? false,
		mjActions: plan.mjActions ?? (output === 'images' || output === 'image'),
		imageSize: plan.imageSize ?? 64,
		...Object.fromEntries(Object.entries(plan).filter(([, value]) => value !== undefined)),
	};
}

/**
 * A follow-up on one image: 4 new images from the parent's prompt (or the remix prompt).
 * @param {string} taskType
 * @param {ParentInfo} parent
 * @param {number} imageNo
 * @param {string | undefined} remixPrompt
 */
function imagesFrom(taskType, parent, imageNo, remixPrompt) {
	return makePlan(taskType, { parentId: parent.id, parentIndex: imageNo, prompt: remixPrompt ?? parent.plan.prompt });
}

// ---------------------------------------------------------------------------------------------
// Endpoints

/**
 * @typedef {object} Endpoint
 * @property {string} taskType
 * @property {string} struct Go struct name for type errors
 * @property {boolean} [whitelistOnly] 403 unless the key is whitelisted
 * @property {(r: Reader, ctx: RuleContext) => Plan} plan
 */

/** @type {Record<string, Endpoint>} POST path → rule */
const ENDPOINTS = {
	'/api/v1/diffusion': {
		taskType: 'diffusion',
		struct: 'DiffusionRequest',
		plan(r) {
			const text = /** @type {string} */ (r.string('text', { required: true }));
			// The seed example (a `--v 7 --draft` prompt) froze 80 points, like any diffusion.
			return makePlan('diffusion', { prompt: text, draft: isDraft(text), seed: seedFlag(text) });
		},
	},
	'/api/v1/video-diffusion': {
		taskType: 'video_diffusion',
		struct: 'VideoDiffusionRequest',
		plan(r, ctx) {
			const videoType = r.int('videoType', { min: 0, max: 1 }) ?? 0;
			let prompt;
			/** @type {Partial<Plan>} */
			let from = {};
			if (r.has('jobId')) {
				const { parent, imageNo } = imageFollowUp(r, ctx);
				prompt = r.string('prompt') ?? '';
				from = { parentId: parent.id, parentIndex: imageNo };
			} else {
				if (r.has('imageNo')) throw badRequest('jobId is required when imageNo is given');
				prompt = /** @type {string} */ (r.string('prompt', { required: true }));
				const first = prompt.trim().split(/\s+/)[0] ?? '';
				if (!isHttpUrl(first)) {
					throw badRequest('prompt must start with an http(s) image URL: "<image_url> <text>" (or give jobId and imageNo)');
				}
			}
			const bs = flag(prompt, 'bs');
			let count = 4;
			if (bs !== undefined) {
				if (bs !== '1' && bs !== '2' && bs !== '4') throw badRequest(`prompt: --bs must be 1, 2 or 4, got ${bs === true ? '(missing)' : bs}`);
				count = Number(bs);
			}
			const end = flag(prompt, 'end');
			if (end !== undefined && (end === true || !isHttpUrl(end))) throw badRequest('prompt: --end needs an http(s) image URL');
			const frozen = Math.ceil((COSTS.video_diffusion * (videoType === 1 ? 2 : 1) * count) / 4);
			return makePlan('video_diffusion', { ...from, output: 'videos', count, prompt, frozen, extendDepth: 0, videoSeconds: 4, mjActions: false });
		},
	},
	'/api/v1/upscale': {
		taskType: 'upscale',
		struct: 'UpscaleRequest',
		plan(r, ctx) {
			const type = /** @type {number} */ (r.int('type', { required: true, min: 0, max: 3 }));
			const { parent, imageNo } = imageFollowUp(r, ctx, 'upscale');
			if (type >= 2) {
				const version = flag(parent.plan.prompt, 'v') ?? flag(parent.plan.prompt, 'version');
				if (typeof version !== 'string' || !/^5(\.\d)?$/.test(version)) {
					throw badRequest(`type ${type} (${type === 2 ? '2x' : '4x'} upscale) is deprecated and only works on --v 5 jobs`);
				}
			}
			return makePlan('upscale', { output: 'image', parentId: parent.id, parentIndex: imageNo, prompt: parent.plan.prompt, imageSize: 128 });
		},
	},
	'/api/v1/variation': {
		taskType: 'variation',
		struct: 'VariationRequest',
		plan(r, ctx) {
			r.int('type', { required: true, min: 0, max: 1 });
			const { parent, imageNo } = imageFollowUp(r, ctx, 'variation');
			return imagesFrom('variation', parent, imageNo, r.string('remixPrompt'));
		},
	},
	'/api/v1/reroll': {
		taskType: 'reroll',
		struct: 'RerollRequest',
		plan(r, ctx) {
			const jobId = /** @type {string} */ (r.string('jobId', { required: true, max: 64 }));
			const parent = parentJob(ctx, jobId, { kind: 'image', action: 'reroll' });
			return makePlan('reroll', { parentId: parent.id, prompt: parent.plan.prompt, draft: parent.plan.draft });
		},
	},
	'/api/v1/remix': {
		taskType: 'remix',
		struct: 'RemixRequest',
		plan(r, ctx) {
			r.int('mode', { min: 0, max: 1 });
			const remixPrompt = /** @type {string} */ (r.string('remixPrompt', { required: true }));
			const { parent, imageNo } = imageFollowUp(r, ctx, 'remix');
			return imagesFrom('remix', parent, imageNo, remixPrompt);
		},
	},
	'/api/v1/inpaint': {
		taskType: 'inpaint',
		struct: 'InpaintRequest',
		plan(r, ctx) {
			const mask = /** @type {Record<string, unknown>} */ (r.object('mask', 'Mask', { required: true }));
			const hasAreas = mask.areas !== undefined && mask.areas !== null;
			const hasUrl = mask.url !== undefined && mask.url !== null && mask.url !== '';
			if (!hasAreas && !hasUrl) throw badRequest('mask needs either areas or url');
			if (hasUrl && (typeof mask.url !== 'string' || !isHttpUrl(mask.url))) throw badRequest('mask.url must be a valid http(s) URL');
			if (hasAreas) {
				if (!Array.isArray(mask.areas)) throw r.typeError('mask.areas', '[]Area', mask.areas);
				if (mask.areas.length === 0) throw badRequest('mask.areas must not be empty');
				mask.areas.forEach((area, i) => {
					if (typeof area !== 'object' || area === null || Array.isArray(area)) throw r.typeError(`mask.areas[${i}]`, 'Area', area);
					const a = /** @type {Record<string, unknown>} */ (area);
					nestedInt(r, a, `mask.areas[${i}].width`, 1);
					nestedInt(r, a, `mask.areas[${i}].height`, 1);
					const points = a.points;
					if (!Array.isArray(points)) throw badRequest(`mask.areas[${i}].points is required (an array of x,y numbers)`);
					if (points.length < 4 || points.length % 2 !== 0 || !points.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 0)) {
						throw badRequest(`mask.areas[${i}].points must be an even number (at least 4) of non-negative numbers: x1,y1,x2,y2,…`);
					}
				});
			}
			const { parent, imageNo } = imageFollowUp(r, ctx, 'inpaint');
			return imagesFrom('inpaint', parent, imageNo, r.string('remixPrompt'));
		},
	},
	'/api/v1/outpaint': {
		taskType: 'outpaint',
		struct: 'OutpaintRequest',
		plan(r, ctx) {
			r.number('scale', { required: true, min: 1.1, max: 2.0 });
			const { parent, imageNo } = imageFollowUp(r, ctx, 'outpaint');
			return imagesFrom('outpaint', parent, imageNo, r.string('remixPrompt'));
		},
	},
	'/api/v1/pan': {
		taskType: 'pan',
		struct: 'PanRequest',
		plan(r, ctx) {
			r.int('direction', { required: true, min: 0, max: 3 });
			r.number('scale', { required: true, min: 1.1, max: 3.0 });
			const { parent, imageNo } = imageFollowUp(r, ctx, 'pan');
			return imagesFrom('pan', parent, imageNo, r.string('remixPrompt'));
		},
	},
	'/api/v1/blend': {
		taskType: 'blend',
		struct: 'BlendRequest',
		plan(r) {
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
	'/api/v1/enhance': {
		taskType: 'enhance',
		struct: 'EnhanceRequest',
		plan(r, ctx) {
			const { parent, imageNo } = imageFollowUp(r, ctx, 'enhance');
			return makePlan('enhance', { parentId: parent.id, parentIndex: imageNo, prompt: parent.plan.prompt.replace(/\s--draft\b/i, '') });
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
			const imgUrl = /** @type {string} */ (r.url('imgUrl', { required: true }));
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
			const imageUrl = r.url('image_url');
			if (imageUrl) return makePlan('enhance_upscale', { output: 'image', prompt: imageUrl, imageSize: 128, mjActions: false });
			if (!r.has('jobId')) throw badRequest('image_url is required (or jobId and imageNo)');
			const { parent, imageNo } = imageFollowUp(r, ctx);
			return makePlan('enhance_upscale', { output: 'image', parentId: parent.id, parentIndex: imageNo, prompt: parent.plan.prompt, imageSize: 128, mjActions: false });
		},
	},
	'/api/v1/edit': {
		taskType: 'edit',
		struct: 'EditRequest',
		whitelistOnly: true,
		plan(r, ctx) {
			const canvas = /** @type {Record<string, unknown>} */ (r.object('canvas', 'Canvas', { required: true }));
			nestedInt(r, canvas, 'canvas.width', 1);
			nestedInt(r, canvas, 'canvas.height', 1);
			const imgPos = /** @type {Record<string, unknown>} */ (r.object('imgPos', 'ImgPos', { required: true }));
			nestedInt(r, imgPos, 'imgPos.width', 1);
			nestedInt(r, imgPos, 'imgPos.height', 1);
			nestedInt(r, imgPos, 'imgPos.x', 0);
			nestedInt(r, imgPos, 'imgPos.y', 0);
			const remixPrompt = /** @type {string} */ (r.string('remixPrompt', { required: true }));
			const { parent, imageNo } = imageFollowUp(r, ctx, 'edit');
			return imagesFrom('edit', parent, imageNo, remixPrompt);
		},
	},
	'/api/v1/upload-paint': {
		taskType: 'upload_paint',
		struct: 'UploadPaintRequest',
		whitelistOnly: true,
		plan(r) {
			r.url('imgUrl');
			const canvas = /** @type {Record<string, unknown>} */ (r.object('canvas', 'Canvas', { required: true }));
			nestedInt(r, canvas, 'canvas.width', 1);
			nestedInt(r, canvas, 'canvas.height', 1);
			const imgPos = /** @type {Record<string, unknown>} */ (r.object('imgPos', 'ImgPos', { required: true }));
			nestedInt(r, imgPos, 'imgPos.width', 1);
			nestedInt(r, imgPos, 'imgPos.height', 1);
			r.object('mask', 'Mask');
			const remixPrompt = /** @type {string} */ (r.string('remixPrompt', { required: true }));
			return makePlan('upload_paint', { prompt: remixPrompt });
		},
	},
	'/api/v1/extend-video': {
		taskType: 'extend_video',
		struct: 'ExtendVideoRequest',
		plan(r, ctx) {
			const jobId = /** @type {string} */ (r.string('jobId', { required: true, max: 64 }));
			const videoNo = /** @type {number} */ (r.int('videoNo', { required: true, min: 0, max: 3 }));
			const prompt = r.string('prompt');
			const parent = parentJob(ctx, jobId, { kind: 'video', index: { field: 'videoNo', value: videoNo } });
			if (parent.taskType === 'video_upscale') throw badRequest(`jobId: job ${jobId} is an upscaled video; extend the original video instead`);
			const depth = (parent.plan.extendDepth ?? 0) + 1;
			if (depth > MAX_EXTENSIONS) throw badRequest(`jobId: a video can be extended at most ${MAX_EXTENSIONS} times; job ${jobId} is already extension ${depth - 1}`);
			return makePlan('extend_video', {
				output: 'videos',
				count: 4,
				parentId: parent.id,
				parentIndex: videoNo,
				prompt: prompt ?? parent.plan.prompt,
				extendDepth: depth,
				videoSeconds: 4 * (depth + 1),
				mjActions: false,
			});
		},
	},
	'/api/v1/video-upscale': {
		taskType: 'video_upscale',
		struct: 'VideoUpscaleRequest',
		plan(r, ctx) {
			const jobId = /** @type {string} */ (r.string('jobId', { required: true, max: 64 }));
			const videoNo = /** @type {number} */ (r.int('videoNo', { required: true, min: 0, max: 3 }));
			const parent = parentJob(ctx, jobId, { kind: 'video', index: { field: 'videoNo', value: videoNo } });
			if (parent.taskType === 'video_upscale') throw badRequest(`jobId: job ${jobId} is already an upscaled video`);
			return makePlan('video_upscale', {
				output: 'videos',
				count: 1,
				parentId: parent.id,
				parentIndex: videoNo,
				prompt: parent.plan.prompt,
				extendDepth: parent.plan.extendDepth ?? 0,
				videoSeconds: parent.plan.videoSeconds ?? 4,
				mjActions: false,
			});
		},
	},
};

/**
 * Validate a submit body for `path` and plan the job.
 * @param {string} path e.g. `/api/v1/diffusion`
 * @param {unknown} body parsed JSON
 * @param {RuleContext} ctx
 * @returns {{plan: Plan, callback: string | undefined}}
 */
function planSubmit(path, body, ctx) {
	const endpoint = ENDPOINTS[path];
	if (!endpoint) throw new Error(`no rule for ${path}`);
	if (endpoint.whitelistOnly && !ctx.whitelisted) {
		throw new ApiError(403, 'Permission denied: whitelist only', `${endpoint.taskType} is only available to whitelisted accounts`);
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw badRequest(`json: cannot unmarshal ${goType(body)} into Go value of type ${endpoint.struct}`);
	}
	const reader = new Reader(/** @type {Record<string, unknown>} */ (body), endpoint.struct);
	const callback = reader.callback();
	const plan = endpoint.plan(reader, ctx);
	return { plan, callback };
}

/**
 * Midjourney's follow-up buttons for a finished image job (output.available_actions).
 * @param {Plan} plan
 * @returns {Record<string, number[] | boolean>}
 */
function availableActions(plan) {
	if (!plan.mjActions) return {};
	const all = Array.from({ length: plan.count }, (_, n) => n);
	/** @type {Record<string, number[] | boolean>} */
	const actions = {
		upscale: all,
		variation: all,
		remix: all,
		inpaint: all,
		outpaint: all,
		pan: all,
		edit: all,
		reroll: plan.output === 'images',
	};
	if (plan.draft) actions.enhance = all;
	return actions;
}

module.exports = { ENDPOINTS, COSTS, planSubmit, availableActions, isHttpUrl, flag, DEFAULT_FOLLOW_UP_TTL_S, MAX_TEXT };
