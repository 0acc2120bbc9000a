import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf, checkPromptRules, checkText } from '../../../run/validate';
import { imageSourceFields, readImageSource, readOptionalText } from '../fields';
import { PROMPT_LIMITS } from '../../../run/rules';
import { INPUT_IMAGE_MAX_BYTES } from '../../../run/binaryImage';
import type { LegnextOperation } from '../../../run/operation';
import { applyPromptOptions, videoPromptOptions } from '../promptOptions';

const RESOLUTIONS = [
	{ name: '480p', value: '480p', videoType: 0 },
	{ name: '720p', value: '720p', videoType: 1 },
] as const;

export const imageToVideo: LegnextOperation = {
	option: {
		name: 'Image to Video',
		value: 'imageToVideo',
		action: 'Animate an image into videos',
		description:
			'Turn one image into four 4-second videos: an earlier Legnext job’s image or any image URL, or an image file of the incoming item',
	},
	kind: 'submit',
	facts: { taskType: 'video_diffusion', returns: 'four video URLs (videoUrls) and the job ID' },
	properties: [
		...imageSourceFields({
			job: 'One of the four images of a finished Text to Image (or similar) job',
			jobId: 'The finished image job to animate',
			what: 'animate',
			url: 'Any public image, the first frame',
			urlPlaceholder: 'e.g. https://example.com/photo.png',
			maxBytes: INPUT_IMAGE_MAX_BYTES,
		}),
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. Waves roll in slowly, camera pans left --motion low',
			description:
				'Optional: how the image should move. Video flags such as --motion high or --loop may follow the text, or be set in Prompt Options.',
		},
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: RESOLUTIONS.map(({ name, value }) => ({ name, value })),
			default: '480p',
			description: '720p looks better and takes longer',
		},
		videoPromptOptions,
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const source = await readImageSource(ctx, itemIndex, INPUT_IMAGE_MAX_BYTES);
		const resolution = checkOneOf(node, itemIndex, 'Resolution', ctx.getNodeParameter('resolution', itemIndex), RESOLUTIONS);
		const videoType = RESOLUTIONS.find((option) => option.value === resolution)!.videoType;
		// Read as a text: a prompt mapped to an object is refused, never sent (and paid for) as "[object Object]".
		const rawPrompt = await applyPromptOptions(ctx, itemIndex, readOptionalText(ctx, itemIndex, 'prompt', 'Prompt') ?? '');

		const body: IDataObject = {};
		if ('jobId' in source) {
			Object.assign(body, source);
			if (rawPrompt) body.prompt = checkPromptRules(node, itemIndex, 'Prompt', checkText(node, itemIndex, 'Prompt', rawPrompt, PROMPT_LIMITS));
		} else {
			// Legnext reads the first frame from the start of the prompt: "<image_url> <text>".
			body.prompt = checkPromptRules(node, itemIndex, 'Prompt', checkText(node, itemIndex, 'Prompt', `${source.imageUrl} ${rawPrompt}`, PROMPT_LIMITS));
		}
		body.videoType = videoType;
		return { method: 'POST' as const, path: '/api/v1/video-diffusion', body };
	},
};
