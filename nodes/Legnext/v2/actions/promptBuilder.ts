import { httpUrl, InputProblem, numberInRange, oneOf } from '../../run/validate';

/**
 * The flags behind the "Prompt Options" of Text to Image and Image to Video (their fields are in
 * promptOptions.ts), so a workflow need not know Midjourney's syntax.
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
export { InputProblem as PromptBuildError } from '../../run/validate';

/** Midjourney's model versions: `value` is what the option stores, `flag` what the prompt gets. */
export const VERSIONS = [
	{ name: 'V6', value: '6', flag: '--v 6' },
	{ name: 'V6.1', value: '6.1', flag: '--v 6.1' },
	{ name: 'V7', value: '7', flag: '--v 7' },
	{ name: 'Niji 6', value: 'niji6', flag: '--niji 6' },
] as const;

export const BATCH_SIZES = [1, 2, 4] as const;
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

const integerIn = (key: OptionKey, value: unknown, min: number, max: number) =>
	numberInRange(FLAGS[key].label, value, {
		min,
		max,
		whole: true,
		hint: `Use a whole number from ${min} to ${max}, or remove ${FLAGS[key].label} from Prompt Options.`,
	});

const urlList = (key: OptionKey, value: unknown): string[] =>
	(Array.isArray(value) ? value : [value])
		.flatMap((entry) => String(entry ?? '').split(/[\s,]+/))
		.filter((entry) => entry !== '')
		.map((entry) => httpUrl(FLAGS[key].label, entry));

/** Midjourney's choices are lower case or numbers; a "Low" from an expression is still low. */
const choice = <T extends string | number>(key: OptionKey, value: unknown, allowed: readonly T[]): T =>
	oneOf(FLAGS[key].label, String(value).trim().toLowerCase(), allowed.map((option) => ({ name: String(option), value: option })));

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
			throw new InputProblem(
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
			throw new InputProblem(
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
			throw new InputProblem(
				FLAGS.version.label,
				`${JSON.stringify(options.version)} is not one of the choices`,
				`Use one of: ${VERSIONS.map((entry) => `${entry.name} (${entry.value})`).join(', ')}.`,
			);
		}
		flags.push(version.flag);
	}
	if (options.draft === true) {
		if (version && version.value !== '7') {
			throw new InputProblem(
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
			throw new InputProblem(
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
			throw new InputProblem(
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
			throw new InputProblem(
				FLAGS.characterWeight.label,
				'is set, but there is no character reference',
				'Add Character Reference URLs (or --cref in the prompt), or remove Character Weight.',
			);
		}
		flags.push(`--cw ${integerIn('characterWeight', options.characterWeight, 0, 100)}`);
	}

	if (isSet(options.motion)) flags.push(`--motion ${choice('motion', options.motion, MOTIONS)}`);
	if (options.raw === true) flags.push('--raw');
	const endFrame = isSet(options.endFrameUrl) ? httpUrl(FLAGS.endFrameUrl.label, options.endFrameUrl) : undefined;
	if (options.loop === true) {
		const end = endFrame ? `End Frame URL` : findFlag(base, ['end']);
		if (end) {
			throw new InputProblem(
				FLAGS.loop.label,
				`cannot be combined with ${end}: a loop ends on its first frame`,
				'Turn Loop off, or remove the end frame.',
			);
		}
		flags.push('--loop');
	}
	if (endFrame) {
		if (findFlag(base, ['loop'])) {
			throw new InputProblem(
				FLAGS.endFrameUrl.label,
				'cannot be combined with --loop in the prompt: a loop ends on its first frame',
				'Remove --loop from the prompt, or remove End Frame URL.',
			);
		}
		flags.push(`--end ${endFrame}`);
	}
	if (isSet(options.batchSize)) flags.push(`--bs ${choice('batchSize', options.batchSize, BATCH_SIZES)}`);

	return [base, ...flags].filter((part) => part !== '').join(' ');
}
