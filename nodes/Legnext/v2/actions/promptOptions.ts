import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BATCH_SIZES, buildPrompt, VERSIONS, type PromptOptions } from './promptBuilder';
import { InputProblem, invalidInput } from '../../run/validate';
import { imageReferenceBinaryOptions, videoEndFrameBinaryOption, withBinaryImageUrls } from './promptImages';

/** The "Prompt Options" fields of Text to Image and Image to Video, and how an item's are applied. */

/**
 * Reads the item's Prompt Options and appends them to `text`, with errors that name the field,
 * the item and the fix.
 */
export async function applyPromptOptions(ctx: IExecuteFunctions, itemIndex: number, text: string): Promise<string> {
	const options = await withBinaryImageUrls(ctx, itemIndex, (ctx.getNodeParameter('promptOptions', itemIndex, {}) ?? {}) as IDataObject);
	let problem: InputProblem;
	try {
		return buildPrompt(text, options as PromptOptions);
	} catch (error) {
		if (!(error instanceof InputProblem)) throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		problem = error;
	}
	throw invalidInput(ctx.getNode(), itemIndex, `Prompt Options → ${problem.field}`, problem.problem, problem.fix);
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
		imageReferenceBinaryOptions[0],
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
		imageReferenceBinaryOptions[1],
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
		videoEndFrameBinaryOption,
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
