// @ts-check
'use strict';
/**
 * Legnext's rules for video: a video from an image job or an image URL, extending a video (+4 s, at
 * most four times), upscaling one.
 */
const { badRequest } = require('./errors');
const { isHttpUrl } = require('./rules-reader');
const { flag, parentJob, imageFollowUp, makePlan } = require('./rules-plans');

/** @typedef {import('./rules-plans').Plan} Plan */

const MAX_EXTENSIONS = 4;

/** @type {Record<string, import('./rules').Endpoint>} POST path → rule */
const ENDPOINTS = {
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
			// The pricing page prices a video job by resolution and speed; it names no price per clip, so `--bs`
			// changes how many videos a job makes, not what it costs (prices.js).
			return makePlan('video_diffusion', { ...from, output: 'videos', count, prompt, videoType: videoType === 1 ? 1 : 0, extendDepth: 0, videoSeconds: 4, mjActions: false });
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
				videoType: parent.plan.videoType ?? 0,
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
				videoType: parent.plan.videoType ?? 0,
				extendDepth: parent.plan.extendDepth ?? 0,
				videoSeconds: parent.plan.videoSeconds ?? 4,
				mjActions: false,
			});
		},
	},
};

module.exports = { ENDPOINTS };
