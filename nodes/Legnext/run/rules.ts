/**
 * Legnext's limits on a request, once for both versions of the node: its docs and OpenAPI spec
 * (../shared/legnext-api.md). The editor's fields show them and validation enforces them, so a
 * request Legnext would refuse is refused here first, before anything is paid.
 */

/** A prompt's length (the flags count too). */
export const PROMPT_LIMITS = { min: 1, max: 8192 };

/** Pan's directions: Legnext wants an integer (a string earns a 400), and 0 (down) is a real value. */
export const PAN_DIRECTIONS = [
	{ name: 'Down', value: 0 },
	{ name: 'Right', value: 1 },
	{ name: 'Up', value: 2 },
	{ name: 'Left', value: 3 },
];
/** How much larger Pan (in one direction) and Zoom Out / Outpaint (on all sides) make an image. */
export const PAN_SCALE = { min: 1.1, max: 3 };
export const ZOOM_OUT_SCALE = { min: 1.1, max: 2 };

/** An image URL for Remove Background, Retexture and Upload Paint. */
export const IMAGE_URL_MAX_LENGTH = 1024;

/** A Vary Region / Edit mask's canvas side, in pixels. */
export const MASK_SIZE = { min: 500, max: 4096 };

/** Edit and Upload Paint: the largest canvas side, in pixels. */
export const CANVAS_MAX = 8192;

/**
 * What a prompt cannot ask of Legnext, in its docs' words (the notice page; `--draft` on the docs'
 * and the pricing page's Draft rows): Midjourney parameters Legnext does not support, and `--draft`
 * with a version before 7. Only what the prompt itself names is refused: a prompt without `--v`
 * leaves the version to Legnext's default. Version 2 only: version 1 keeps 0.1.0's behaviour.
 */
export function promptRuleProblem(prompt: string): { problem: string; fix: string } | undefined {
	const unsupported: Array<[RegExp, string, string]> = [
		[/(?:^|\s)--(?:repeat|r)(?=\s|$)/i, '--repeat', 'Remove it: send one item per job instead (the node runs several at once).'],
		[/(?:^|\s)--(?:personalize|p)(?=\s|$)/i, '--personalize', 'Remove it (and its code): Legnext has no personalization profile.'],
		[/(?:^|\s)--stealth(?=\s|$)/i, '--stealth', 'Remove it: Legnext decides the visibility of its jobs.'],
		[/(?:^|\s)--public(?=\s|$)/i, '--public', 'Remove it: Legnext decides the visibility of its jobs.'],
	];
	for (const [pattern, name, fix] of unsupported) {
		if (pattern.test(prompt)) return { problem: `uses ${name}, which Legnext does not support`, fix };
	}
	if (/\{[^{}]*,[^{}]*\}/.test(prompt)) {
		return { problem: 'uses a permutation ({…, …}), which Legnext does not support', fix: 'Write one prompt per item instead: each item is one job.' };
	}
	const version = /(?:^|\s)--(v|version|niji)\s+(\d+(?:\.\d+)?)(?=\s|$)/i.exec(prompt);
	if (/(?:^|\s)--draft(?=\s|$)/i.test(prompt) && version && Number(version[2]) < 7) {
		return { problem: `uses --draft with --${version[1].toLowerCase()} ${version[2]}: Draft Mode is V7 and later only`, fix: 'Use --v 7 with --draft, or remove --draft.' };
	}
	return undefined;
}
