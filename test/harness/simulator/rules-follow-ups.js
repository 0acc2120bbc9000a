// @ts-check
'use strict';
/**
 * Legnext's rules for the follow-ups on a finished image job (upscale, variation, reroll, remix,
 * inpaint, outpaint, pan, enhance, edit): each needs a completed parent of the same key offering
 * the action in its available_actions.
 */
const { badRequest } = require('./errors');
const { nestedInt, isHttpUrl, canvasAndPosition } = require('./rules-reader');
const { parentJob, imageFollowUp, makePlan, imagesFrom, namedVersion } = require('./rules-plans');

/** @type {Record<string, import('./rules').Endpoint>} POST path → rule */
const ENDPOINTS = {
	'/api/v1/upscale': {
		taskType: 'upscale',
		struct: 'UpscaleRequest',
		plan(r, ctx) {
			const type = /** @type {number} */ (r.int('type', { required: true, min: 0, max: 3 }));
			const { parent, imageNo } = imageFollowUp(r, ctx, 'upscale');
			// The docs' upscale page: types 2/3 on v5 / niji 5 only, types 0/1 on v6, niji 6, v6.1 and v7.
			const version = namedVersion(parent.plan.prompt);
			if (type >= 2 && version?.major !== 5) {
				throw badRequest(`type ${type} (${type === 2 ? '2x' : '4x'} upscale) is deprecated and only works on --v 5 jobs`);
			}
			if (type < 2 && version !== undefined && version.major < 6) {
				throw badRequest(`type ${type} upscale only works on v6, niji 6, v6.1 and v7 jobs; this job is --${version.family} ${version.major}`);
			}
			return makePlan('upscale', { output: 'image', parentId: parent.id, parentIndex: imageNo, prompt: parent.plan.prompt, imageSize: 128, upscaleType: type });
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
					// The docs' Inpaint / Edit / Upload Paint pages: a mask is 500 to 4,096 px wide and high.
					for (const side of ['width', 'height']) {
						const value = nestedInt(r, a, `mask.areas[${i}].${side}`, 500);
						if (value > 4096) throw badRequest(`mask.areas[${i}].${side} must be at most 4096, got ${value}`);
					}
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
	'/api/v1/enhance': {
		taskType: 'enhance',
		struct: 'EnhanceRequest',
		plan(r, ctx) {
			const { parent, imageNo } = imageFollowUp(r, ctx, 'enhance');
			return makePlan('enhance', { parentId: parent.id, parentIndex: imageNo, prompt: parent.plan.prompt.replace(/\s--draft\b/i, '') });
		},
	},
	'/api/v1/edit': {
		taskType: 'edit',
		struct: 'EditRequest',
		whitelistOnly: true,
		plan(r, ctx) {
			const imgPos = canvasAndPosition(r);
			nestedInt(r, imgPos, 'imgPos.x', 0);
			nestedInt(r, imgPos, 'imgPos.y', 0);
			const remixPrompt = /** @type {string} */ (r.string('remixPrompt', { required: true }));
			const { parent, imageNo } = imageFollowUp(r, ctx, 'edit');
			return imagesFrom('edit', parent, imageNo, remixPrompt);
		},
	},
};

module.exports = { ENDPOINTS };
