import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { invalidInput } from './validate';

/**
 * The "Prompt Options" of Text to Image and Image to Video: fields that append Midjourney flags to
 * the prompt, so a workflow need not know Midjourney's syntax.
 *
 * `buildPrompt(text, options)` is pure: it checks every option, and returns the text with the
 * flags appended in a fixed order. A flag the text already contains is never added a second time:
 * that is an error naming both (the prompt's flag and the option), not a silent skip, because a
 * skip would let an option that visibly says "--ar 1:1" lose to a "--ar 16:9" mapped into the
 * prompt from an earlier node, and a duplicate makes Midjourney reject the job or pick one at random.
 */

export interface PromptOptions {
	// Images
	aspectRatio?: string;
	version?: string;
	draft?: boolean;
	styleRaw?: boolean;
	stylize?: number | string;
	chaos?: number | string;
	weird?: number | string;
	seed?: number | string;
	no?: string;
	styleReferenceUrls?: string | string[];
	styleWeight?: number | string;
	characterReferenceUrls?: string | string[];
	characterWeight?: number | string;
	// Videos
	motion?: string;
	raw?: boolean;
	loop?: boolean;
	endFrameUrl?: string;
	batchSize?: number | string;
}

/** A problem with one option; the operation turns it into an error that names the item. */
export class PromptBuildError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
		readonly fix: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'PromptBuildError';
	}
}

/** Midjourney's model versions: `value` is what the option stores, `flag` what the prompt gets. */
export const VERSIONS = [
	{ name: 'V6', value: '6', flag: '--v 6' },
	{ name: 'V6.1', value: '6.1', flag: '--v 6.1' },
	{ name: 'V7', value: '7', flag: '--v 7' },
	{ name: 'Niji 6', value: 'niji6', flag: '--niji 6' },
] as const;

const BATCH_SIZES = [1, 2, 4] as const;
const MOTIONS = ['low', 'high'] as const;

/** Each option: its label in the editor, and the prompt flags (with aliases) it conflicts with. */
const FLAGS = {
	aspectRatio: { label: 'Aspect Ratio', names: ['ar', 'aspect'] },
	version: { label: 'Version', names: ['v', 'version', 'niji'] },
	draft: { label: 'Draft', names: ['draft'] },
	styleRaw: { label: 'Style Raw', names: ['style'] },
	stylize: { label: 'Stylize', names: ['s', 'stylize'] },
	chaos: { label: 'Chaos', names: ['c', 'chaos'] },
	weird: { label: 'Weird', names: ['w', 'weird'] },
	seed: { label: 'Seed', names: ['seed', 'sameseed'] },
	no: { label: 'Exclude', names: ['no'] },
	styleReferenceUrls: { label: 'Style Reference URLs', names: ['sref'] },
	styleWeight: { label: 'Style Weight', names: ['sw'] },
	characterReferenceUrls: { label: 'Character Reference URLs', names: ['cref'] },
	characterWeight: { label: 'Character Weight', names: ['cw'] },
	motion: { label: 'Motion', names: ['motion'] },
	raw: { label: 'Raw', names: ['raw'] },
	loop: { label: 'Loop', names: ['loop'] },
	endFrameUrl: { label: 'End Frame URL', names: ['end'] },
	batchSize: { label: 'Batch Size', names: ['bs'] },
} as const satisfies Record<keyof PromptOptions, { label: string; names: readonly string[] }>;

type OptionKey = keyof typeof FLAGS;

/**
 * The flag in `text` with one of these names, with its value when it has one (e.g. "--ar 16:9"),
 * or undefined. Midjourney also reads an em dash (what phones make of "--") as a flag prefix.
 */
export function findFlag(text: string, names: readonly string[]): string | undefined {
	const pattern = new RegExp(`(?:^|\\s)((?:--|\u2014)(?:${names.join('|')}))(?=\\s|$)(\\s+(?!--|\u2014)\\S+)?`, 'i');
	const match = pattern.exec(text);
	return match ? `${match[1]}${match[2] ?? ''}`.trim() : undefined;
}

function isSet(value: unknown): boolean {
	if (value === undefined || value === null || value === false) return false;
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.length > 0;
	return true;
}

function integerIn(key: OptionKey, value: unknown, min: number, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new PromptBuildError(
			FLAGS[key].label,
			`${JSON.stringify(value)} is not a whole number from ${min} to ${max}`,
			`Use a whole number from ${min} to ${max}, or remove ${FLAGS[key].label} from Prompt Options.`,
		);
	}
	return number;
}

function httpUrl(key: OptionKey, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new PromptBuildError(
			FLAGS[key].label,
			`"${text.slice(0, 80)}" is not an http(s) URL`,
			'Midjourney fetches the image itself: use a public http:// or https:// URL, e.g. https://example.com/reference.png.',
		);
	}
	return text;
}

function urlList(key: OptionKey, value: unknown): string[] {
	const entries = (Array.isArray(value) ? value : [value])
		.flatMap((entry) => String(entry ?? '').split(/[\s,]+/))
		.filter((entry) => entry !== '');
	return entries.map((entry) => httpUrl(key, entry));
}

function oneOf<T extends string | number>(key: OptionKey, value: unknown, allowed: readonly T[]): T {
	const match = allowed.find((option) => String(option) === String(value).trim().toLowerCase());
	if (match === undefined) {
		throw new PromptBuildError(
			FLAGS[key].label,
			`${JSON.stringify(value)} is not one of the choices`,
			`Use one of: ${allowed.join(', ')}.`,
		);
	}
	return match;
}

/**
 * The prompt with the options' flags appended. Throws a PromptBuildError for a bad option or for a
 * flag the text already has. The caller still checks the result's length (1–8192 characters).
 */
export function buildPrompt(text: string, options: PromptOptions = {}): string {
	const base = (text ?? '').trim();
	const set = (Object.keys(FLAGS) as OptionKey[]).filter((key) => isSet(options[key]));

	for (const key of set) {
		const found = findFlag(base, FLAGS[key].names);
		if (found) {
			throw new PromptBuildError(
				FLAGS[key].label,
				`the prompt already has ${found}`,
				`Use one or the other: remove ${found} from the prompt, or remove ${FLAGS[key].label} from Prompt Options.`,
			);
		}
	}

	const flags: string[] = [];
	if (isSet(options.aspectRatio)) {
		const ratio = String(options.aspectRatio).trim();
		const match = /^(\d{1,5}):(\d{1,5})$/.exec(ratio);
		if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
			throw new PromptBuildError(
				FLAGS.aspectRatio.label,
				`"${ratio.slice(0, 40)}" is not a width:height ratio`,
				'Use two whole numbers above 0 separated by a colon, e.g. 16:9, 1:1 or 2:3.',
			);
		}
		flags.push(`--ar ${match[1]}:${match[2]}`);
	}
	let version: (typeof VERSIONS)[number] | undefined;
	if (isSet(options.version)) {
		version = VERSIONS.find((entry) => entry.value === String(options.version).trim());
		if (!version) {
			throw new PromptBuildError(
				FLAGS.version.label,
				`${JSON.stringify(options.version)} is not one of the choices`,
				`Use one of: ${VERSIONS.map((entry) => `${entry.name} (${entry.value})`).join(', ')}.`,
			);
		}
		flags.push(version.flag);
	}
	if (options.draft === true) {
		if (version && version.value !== '7') {
			throw new PromptBuildError(
				FLAGS.draft.label,
				`draft mode needs version 7, but Version is ${version.name}`,
				'Set Version to V7 (or remove it), or turn Draft off.',
			);
		}
		flags.push('--draft');
	}
	if (options.styleRaw === true) flags.push('--style raw');
	if (isSet(options.stylize)) flags.push(`--s ${integerIn('stylize', options.stylize, 0, 1000)}`);
	if (isSet(options.chaos)) flags.push(`--chaos ${integerIn('chaos', options.chaos, 0, 100)}`);
	if (isSet(options.weird)) flags.push(`--weird ${integerIn('weird', options.weird, 0, 3000)}`);
	if (isSet(options.seed)) flags.push(`--seed ${integerIn('seed', options.seed, 0, 4294967295)}`);
	if (isSet(options.no)) {
		const words = String(options.no).trim();
		if (/(^|\s)(--|\u2014)/.test(words)) {
			throw new PromptBuildError(
				FLAGS.no.label,
				'contains a Midjourney flag',
				'List only what to leave out, separated by commas, e.g. text, people, watermark.',
			);
		}
		flags.push(`--no ${words}`);
	}
	const styleReferences = isSet(options.styleReferenceUrls) ? urlList('styleReferenceUrls', options.styleReferenceUrls) : [];
	if (styleReferences.length) flags.push(`--sref ${styleReferences.join(' ')}`);
	if (isSet(options.styleWeight)) {
		if (!styleReferences.length && !findFlag(base, ['sref'])) {
			throw new PromptBuildError(
				FLAGS.styleWeight.label,
				'is set, but there is no style reference',
				'Add Style Reference URLs (or --sref in the prompt), or remove Style Weight.',
			);
		}
		flags.push(`--sw ${integerIn('styleWeight', options.styleWeight, 0, 1000)}`);
	}
	const characterReferences = isSet(options.characterReferenceUrls)
		? urlList('characterReferenceUrls', options.characterReferenceUrls)
		: [];
	if (characterReferences.length) flags.push(`--cref ${characterReferences.join(' ')}`);
	if (isSet(options.characterWeight)) {
		if (!characterReferences.length && !findFlag(base, ['cref'])) {
			throw new PromptBuildError(
				FLAGS.characterWeight.label,
				'is set, but there is no character reference',
				'Add Character Reference URLs (or --cref in the prompt), or remove Character Weight.',
			);
		}
		flags.push(`--cw ${integerIn('characterWeight', options.characterWeight, 0, 100)}`);
	}

	if (isSet(options.motion)) flags.push(`--motion ${oneOf('motion', options.motion, MOTIONS)}`);
	if (options.raw === true) flags.push('--raw');
	const endFrame = isSet(options.endFrameUrl) ? httpUrl('endFrameUrl', options.endFrameUrl) : undefined;
	if (options.loop === true) {
		const end = endFrame ? `End Frame URL` : findFlag(base, ['end']);
		if (end) {
			throw new PromptBuildError(
				FLAGS.loop.label,
				`cannot be combined with ${end}: a loop ends on its first frame`,
				'Turn Loop off, or remove the end frame.',
			);
		}
		flags.push('--loop');
	}
	if (endFrame) {
		if (findFlag(base, ['loop'])) {
			throw new PromptBuildError(
				FLAGS.endFrameUrl.label,
				'cannot be combined with --loop in the prompt: a loop ends on its first frame',
				'Remove --loop from the prompt, or remove End Frame URL.',
			);
		}
		flags.push(`--end ${endFrame}`);
	}
	if (isSet(options.batchSize)) flags.push(`--bs ${oneOf('batchSize', options.batchSize, BATCH_SIZES)}`);

	return [base, ...flags].filter((part) => part !== '').join(' ');
}

/**
 * Reads the item's Prompt Options and appends them to `text`, with errors that name the field,
 * the item and the fix.
 */
export function applyPromptOptions(ctx: IExecuteFunctions, itemIndex: number, text: string): string {
	const options = (ctx.getNodeParameter('promptOptions', itemIndex, {}) ?? {}) as IDataObject;
	try {
		return buildPrompt(text, options as PromptOptions);
	} catch (error) {
		if (error instanceof PromptBuildError) {
			throw invalidInput(ctx.getNode(), itemIndex, `Prompt Options → ${error.field}`, error.problem, error.fix);
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

const promptOptionsBase = {
	displayName: 'Prompt Options',
	name: 'promptOptions',
	type: 'collection',
	placeholder: 'Add Prompt Option',
	default: {},
} as const;

/** Text to Image: Midjourney's image flags. */
export const imagePromptOptions: INodeProperties = {
	...promptOptionsBase,
	description:
		'Midjourney parameters appended to the prompt as flags (e.g. --ar 16:9). A flag may be set here or in the prompt, not in both.',
	options: [
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'string',
			default: '',
			placeholder: 'e.g. 16:9',
			description: 'Width to height as two whole numbers, e.g. 16:9, 1:1 or 2:3 (--ar)',
		},
		{
			displayName: 'Character Reference URLs',
			name: 'characterReferenceUrls',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/hero.png',
			description:
				'Images of a character to keep consistent, separated by spaces or commas (--cref). Midjourney supports it with V6, V6.1 and Niji 6.',
		},
		{
			displayName: 'Character Weight',
			name: 'characterWeight',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 100,
			description:
				'How much of the character reference to keep, 0 (face only) to 100 (face, hair and clothes) (--cw). Needs character reference URLs.',
		},
		{
			displayName: 'Chaos',
			name: 'chaos',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 0,
			description: 'How different the four images are from each other, 0 to 100 (--chaos)',
		},
		{
			displayName: 'Draft',
			name: 'draft',
			type: 'boolean',
			default: false,
			description:
				'Whether to render fast, cheaper drafts (--draft, version 7 only). Draft images can be finished later with Image → Enhance.',
		},
		{
			displayName: 'Exclude',
			name: 'no',
			type: 'string',
			default: '',
			placeholder: 'e.g. text, people, watermark',
			description: 'What should not appear, separated by commas (--no)',
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 4294967295 },
			default: 0,
			description: 'A whole number from 0 to 4294967295; the same seed and prompt give similar images (--seed)',
		},
		{
			displayName: 'Style Raw',
			name: 'styleRaw',
			type: 'boolean',
			default: false,
			description: 'Whether to use the raw style: more literal, less Midjourney embellishment (--style raw)',
		},
		{
			displayName: 'Style Reference URLs',
			name: 'styleReferenceUrls',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/style.png',
			description: 'Images whose look (colors, medium, mood) to copy, separated by spaces or commas (--sref)',
		},
		{
			displayName: 'Style Weight',
			name: 'styleWeight',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1000 },
			default: 100,
			description: 'How strongly the style reference applies, 0 to 1000 (--sw). Needs style reference URLs.',
		},
		{
			displayName: 'Stylize',
			name: 'stylize',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1000 },
			default: 100,
			description: 'How much Midjourney’s own aesthetic applies, 0 to 1000 (--s)',
		},
		{
			displayName: 'Version',
			name: 'version',
			type: 'options',
			options: VERSIONS.map(({ name, value, flag }) => ({ name, value, description: flag })),
			default: '7',
			description: 'The Midjourney model: a version (--v) or Niji 6 for anime styles (--niji 6)',
		},
		{
			displayName: 'Weird',
			name: 'weird',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3000 },
			default: 0,
			description: 'How unconventional the images are, 0 to 3000 (--weird)',
		},
	],
};

/** Image to Video: Midjourney's video flags. */
export const videoPromptOptions: INodeProperties = {
	...promptOptionsBase,
	description:
		'Midjourney video parameters appended to the prompt as flags (e.g. --motion high). A flag may be set here or in the prompt, not in both.',
	options: [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'options',
			options: BATCH_SIZES.map((size) => ({ name: String(size), value: size })),
			default: 4,
			description: 'How many videos the job makes: 1, 2 or 4 (--bs). Fewer videos cost less.',
		},
		{
			displayName: 'End Frame URL',
			name: 'endFrameUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/last-frame.png',
			description: 'A public image the videos should end on (--end). Not with Loop.',
		},
		{
			displayName: 'Loop',
			name: 'loop',
			type: 'boolean',
			default: false,
			description: 'Whether the videos end on their first frame, so they loop seamlessly (--loop)',
		},
		{
			displayName: 'Motion',
			name: 'motion',
			type: 'options',
			options: [
				{ name: 'Low', value: 'low', description: 'Calm scenes, slow camera (--motion low)' },
				{ name: 'High', value: 'high', description: 'Lots of movement of subject and camera (--motion high)' },
			],
			default: 'low',
			description: 'How much moves in the videos',
		},
		{
			displayName: 'Raw',
			name: 'raw',
			type: 'boolean',
			default: false,
			description: 'Whether to follow the prompt more literally, with less creative motion (--raw)',
		},
	],
};
