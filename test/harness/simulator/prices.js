// @ts-check
'use strict';
/**
 * What a job costs (its `meta.usage.frozen`, in points), from Legnext's pricing page: the price
 * depends on the task *and* on the request — its speed (`--turbo` doubles), `--draft` (halves a
 * generation), the upscale type, the video resolution, Topaz's target resolution. Exists so the
 * price of every request shape is in one table, with where each figure comes from (README.md,
 * "Rules and their sources").
 *
 * Sources: Legnext's pricing page (leggiemint/Legnext-frontend, app/(marketing)/pricing/page.tsx;
 * legnext-api.md, "Balance and prices"), the Topaz upscale docs page (120 up to 2K, 160 at 4K).
 * Where the page has no figure, the choice is marked ASSUMPTION.
 */

/**
 * A job's request shape, as far as the price is concerned.
 * @typedef {object} PriceShape
 * @property {string} taskType Legnext's task_type (underscores)
 * @property {'fast' | 'turbo'} speed `--turbo` in the job's prompt (own or inherited), else fast
 * @property {boolean} draft `--draft` in the job's prompt
 * @property {number} [upscaleType] upscale: 0 subtle, 1 creative, 2/3 deprecated 2x/4x
 * @property {0 | 1} [videoType] videos: 0 = 480p, 1 = 720p
 * @property {string} [targetResolution] Topaz (enhance_upscale)
 */

/**
 * The pricing page, row by row: [fast, turbo, draft in fast, draft in turbo]; `undefined` where the
 * page shows "-" (the mode does not exist for the task: the fast price applies).
 * @type {Record<string, {fast: number, turbo?: number, draft?: number, draftTurbo?: number, source: string}>}
 */
const PRICE_ROWS = {
	standardGeneration: { fast: 80, turbo: 160, draft: 40, draftTurbo: 80, source: 'pricing page: Standard Generation' },
	variation: { fast: 120, turbo: 240, source: 'pricing page: Strong Variation, Light Variation' },
	creativeUpscale: { fast: 160, turbo: 320, source: 'pricing page: Creative Upscale' },
	standardUpscale: { fast: 120, turbo: 240, source: 'pricing page: Standard Upscale' },
	inpaint: { fast: 120, turbo: 240, source: 'pricing page: Inpaint' },
	remix: { fast: 120, turbo: 240, source: 'pricing page: Remix' },
	zoom: { fast: 80, turbo: 160, source: 'pricing page: Zoom, Outpaint' },
	pan: { fast: 80, turbo: 160, source: 'pricing page: Pan' },
	edit: { fast: 120, turbo: 240, source: 'pricing page: Edit' },
	advancedEdit: { fast: 120, turbo: 240, source: 'pricing page: Advanced Edit' },
	styleTransfer: { fast: 120, turbo: 240, source: 'pricing page: Style Transfer' },
	removeBackground: { fast: 80, turbo: 160, source: 'pricing page: Remove Background' },
	enhance: { fast: 80, turbo: 160, source: 'pricing page: Enhance' },
	blend: { fast: 80, source: 'pricing page: Blend' },
	describe: { fast: 20, source: 'pricing page: Describe' },
	shorten: { fast: 20, source: 'pricing page: Shorten' },
	video480: { fast: 480, turbo: 960, source: 'pricing page: Image to Video (480p), Video Extension (480p)' },
	video720: { fast: 1536, turbo: 3072, source: 'pricing page: Image to Video (720p), Video Extension (720p)' },
	videoUpscale: { fast: 480, turbo: 960, source: 'pricing page: Video Upscale' },
	topaz2k: { fast: 120, source: 'Topaz upscale docs: up to 2K' },
	topaz4k: { fast: 160, source: 'Topaz upscale docs: 4K' },
};

/** Topaz target resolutions priced as "up to 2K"; every other one as 4K (ASSUMPTION above 4K: the docs stop there). */
const TOPAZ_UP_TO_2K = new Set(['HD', 'FHD', '2K']);

/**
 * Which row of the pricing page a request shape falls in.
 * @param {PriceShape} shape
 * @returns {keyof typeof PRICE_ROWS}
 */
function rowOf(shape) {
	switch (shape.taskType) {
		case 'diffusion':
		// ASSUMPTION: a reroll is a new generation of the parent's prompt (the page has no Reroll row).
		case 'reroll':
			return 'standardGeneration';
		case 'variation':
			return 'variation';
		// Types 2 and 3 (deprecated 2x/4x, v5 only) have no row: ASSUMPTION, priced as Standard Upscale.
		case 'upscale':
			return shape.upscaleType === 1 ? 'creativeUpscale' : 'standardUpscale';
		case 'inpaint':
			return 'inpaint';
		case 'remix':
			return 'remix';
		case 'outpaint':
			return 'zoom';
		case 'pan':
			return 'pan';
		case 'edit':
			return 'edit';
		// ASSUMPTION: Upload Paint is the page's "Advanced Edit" (same price as Edit either way).
		case 'upload_paint':
			return 'advancedEdit';
		case 'retexture':
			return 'styleTransfer';
		case 'remove_background':
			return 'removeBackground';
		case 'enhance':
			return 'enhance';
		case 'blend':
			return 'blend';
		case 'describe':
			return 'describe';
		case 'shorten':
			return 'shorten';
		case 'video_diffusion':
		// ASSUMPTION: an extension has the resolution of the video it extends (its request has no videoType).
		case 'extend_video':
			return shape.videoType === 1 ? 'video720' : 'video480';
		case 'video_upscale':
			return 'videoUpscale';
		case 'enhance_upscale':
			return TOPAZ_UP_TO_2K.has(String(shape.targetResolution ?? '2K').toUpperCase()) ? 'topaz2k' : 'topaz4k';
		default:
			throw new Error(`no price for task type ${shape.taskType}`);
	}
}

/**
 * The published price of a request shape. `--draft` has a price only where the page shows one
 * (Standard Generation); elsewhere it costs what the fast or turbo job does. A mode the page shows
 * as "-" costs the fast price (ASSUMPTION: Legnext runs it in fast mode).
 * @param {PriceShape} shape
 */
function priceOf(shape) {
	const row = PRICE_ROWS[rowOf(shape)];
	const turbo = shape.speed === 'turbo';
	if (shape.draft && row.draft !== undefined) return turbo ? (row.draftTurbo ?? row.draft) : row.draft;
	return turbo ? (row.turbo ?? row.fast) : row.fast;
}

/**
 * The speed a prompt asks for: the last of `--turbo` / `--fast` / `--relax` wins, as Midjourney reads
 * its parameters. `--relax` is "not available" on Legnext (its site): ASSUMPTION, the job runs and
 * is priced as fast.
 * @param {string} prompt
 * @returns {'fast' | 'turbo'}
 */
function speedOf(prompt) {
	const last = [...prompt.matchAll(/(?:^|\s)--(turbo|relax|fast)(?=\s|$)/gi)].pop()?.[1]?.toLowerCase();
	return last === 'turbo' ? 'turbo' : 'fast';
}

module.exports = { PRICE_ROWS, priceOf, rowOf, speedOf };
