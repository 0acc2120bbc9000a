// @ts-check
'use strict';
/**
 * What every endpoint rule shares: the Plan a valid body turns into (task type, outputs, cost),
 * Midjourney prompt flags, the checks on a follow-up's parent job, and the follow-up buttons a
 * finished job offers (available_actions).
 */
const { ApiError, badRequest } = require('./errors');
const { priceOf, speedOf } = require('./prices');

/** @typedef {import('./rules-reader').Reader} Reader */

/** Follow-ups (upscale, variation, …) refer to jobs at most this old (job time), by default. */
const DEFAULT_FOLLOW_UP_TTL_S = 3 * 24 * 3600;

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
 * @property {number} frozen points frozen at submit (usage.frozen): the pricing page's price of the request's shape (prices.js)
 * @property {string} prompt the prompt the job works from (own or inherited), for seeds and flags
 * @property {boolean} draft made with `--draft` (so `enhance` is possible)
 * @property {string} [parentId] the job a follow-up refers to
 * @property {number} [parentIndex] imageNo / videoNo on the parent
 * @property {number} [extendDepth] how many extensions led to this video (0 for a fresh video)
 * @property {number} [imageSize] pixels per side of each PNG
 * @property {number} [videoSeconds] length of each clip
 * @property {string} [seed] a seed fixed by `--seed`
 * @property {boolean} [mjActions] whether Midjourney's follow-up buttons apply (available_actions)
 * @property {0 | 1} [videoType] videos: 0 = 480p, 1 = 720p (an extension keeps its parent's)
 * @property {number} [upscaleType] upscale: the request's `type`
 * @property {string} [targetResolution] Topaz: the request's `target_resolution`
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
 * @property {'imgUrls' | 'base64Array'} [blendShape] the Blend body this Legnext serves (fault `blendShape`)
 */

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

/**
 * What Legnext's docs (the notice page) say a prompt cannot use: `--repeat`, `--personalize`, `{…}`
 * permutations, `--stealth` / `--public`; and `--draft` before V7 (the docs' and pricing page's Draft
 * Mode). A 400 naming the parameter; its words are an ASSUMPTION (no recorded answer).
 * @param {string} prompt
 * @param {string} field the request field, for the message
 */
function checkPromptRules(prompt, field) {
	for (const name of ['repeat', 'r', 'personalize', 'p', 'stealth', 'public']) {
		if (flag(prompt, name) !== undefined) throw badRequest(`${field}: --${name} is not supported`);
	}
	if (/\{[^{}]*,[^{}]*\}/.test(prompt)) throw badRequest(`${field}: permutation prompts are not supported`);
	const version = flag(prompt, 'v') ?? flag(prompt, 'version') ?? flag(prompt, 'niji');
	if (isDraft(prompt) && typeof version === 'string' && Number(version) < 7) throw badRequest(`${field}: --draft is only available for V7 and later`);
}

/**
 * The Midjourney version a prompt names: `{family: 'v' | 'niji', major}`, or undefined when it names none.
 * @param {string} prompt
 */
function namedVersion(prompt) {
	const v = flag(prompt, 'v') ?? flag(prompt, 'version');
	if (typeof v === 'string') return { family: 'v', major: Math.floor(Number(v)) };
	const niji = flag(prompt, 'niji');
	if (typeof niji === 'string') return { family: 'niji', major: Math.floor(Number(niji)) };
	return undefined;
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
	// Job IDs need not be UUIDs (a docs example uses `1868588555208310784`): one Legnext does not know is a 404.
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
	const prompt = plan.prompt ?? '';
	return {
		taskType,
		output,
		count: plan.count ?? (output === 'images' ? 4 : output === 'image' ? 1 : output === 'videos' ? 4 : 0),
		frozen: plan.frozen ?? priceOf(priceShape(taskType, { ...plan, prompt })),
		prompt,
		draft: plan.draft ?? false,
		mjActions: plan.mjActions ?? (output === 'images' || output === 'image'),
		imageSize: plan.imageSize ?? 64,
		...Object.fromEntries(Object.entries(plan).filter(([, value]) => value !== undefined)),
	};
}

/**
 * What the price of a job depends on (prices.js): its task, the speed and `--draft` of its prompt
 * (own or inherited: ASSUMPTION, a follow-up runs at the speed its prompt asks for, as its duration
 * does), and the request's upscale type, video resolution or Topaz resolution.
 * @param {string} taskType
 * @param {Partial<Plan>} plan
 * @returns {import('./prices').PriceShape}
 */
function priceShape(taskType, plan) {
	const prompt = plan.prompt ?? '';
	const textOnly = plan.output === 'text';
	return {
		taskType,
		speed: textOnly ? 'fast' : speedOf(prompt),
		draft: !textOnly && isDraft(prompt),
		upscaleType: plan.upscaleType,
		videoType: plan.videoType,
		targetResolution: plan.targetResolution,
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


module.exports = { checkPromptRules, namedVersion, DEFAULT_FOLLOW_UP_TTL_S, priceShape, flag, isDraft, seedFlag, parentJob, imageFollowUp, makePlan, imagesFrom, availableActions };
