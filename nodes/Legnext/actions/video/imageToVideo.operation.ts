import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrl, checkIntegerInRange, checkJobId, checkOneOf, checkText } from '../validate';
import { PROMPT_LIMITS } from '../fields';
import type { LegnextOperation } from '../operation';
import { applyPromptOptions, videoPromptOptions } from '../promptBuilder';

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
			'Turn one image into four 4-second videos: an image of an earlier Legnext job, or any image URL',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Image Source',
			name: 'imageSource',
			type: 'options',
			options: [
				{
					name: 'Earlier Legnext Job',
					value: 'job',
					description: 'One of the four images of a finished Text to Image (or similar) job',
				},
				{ name: 'Image URL', value: 'url', description: 'Any public image' },
			],
			default: 'job',
		},
		{
			displayName: 'Job ID',
			name: 'jobId',
			type: 'string',
			default: '={{ $json.jobId ?? $json.job_id }}',
			required: true,
			displayOptions: { show: { imageSource: ['job'] } },
			description: 'The finished image job to animate; taken from the incoming item by default',
		},
		{
			displayName: 'Image Number',
			name: 'imageNo',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3 },
			default: 0,
			displayOptions: { show: { imageSource: ['job'] } },
			description: 'Which of the job’s four images to animate: 0 is top left, 1 top right, 2 bottom left, 3 bottom right',
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/photo.png',
			displayOptions: { show: { imageSource: ['url'] } },
			description: 'A public http(s) URL of the first frame',
		},
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
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const source = checkOneOf(node, itemIndex, 'Image Source', ctx.getNodeParameter('imageSource', itemIndex), [
			{ name: 'Earlier Legnext Job', value: 'job' },
			{ name: 'Image URL', value: 'url' },
		]);
		const resolution = checkOneOf(node, itemIndex, 'Resolution', ctx.getNodeParameter('resolution', itemIndex), RESOLUTIONS);
		const videoType = RESOLUTIONS.find((option) => option.value === resolution)!.videoType;
		const rawPrompt = applyPromptOptions(ctx, itemIndex, String(ctx.getNodeParameter('prompt', itemIndex, '') ?? '').trim());

		const body: IDataObject = {};
		if (source === 'job') {
			body.jobId = checkJobId(node, itemIndex, 'Job ID', ctx.getNodeParameter('jobId', itemIndex));
			body.imageNo = checkIntegerInRange(node, itemIndex, 'Image Number', ctx.getNodeParameter('imageNo', itemIndex), {
				min: 0,
				max: 3,
				hint: 'Use 0, 1, 2 or 3: the position of the image in the job’s 2x2 grid.',
			});
			if (rawPrompt) body.prompt = checkText(node, itemIndex, 'Prompt', rawPrompt, PROMPT_LIMITS);
		} else {
			// Legnext reads the first frame from the start of the prompt: "<image_url> <text>".
			const imageUrl = checkHttpUrl(node, itemIndex, 'Image URL', ctx.getNodeParameter('imageUrl', itemIndex));
			body.prompt = checkText(node, itemIndex, 'Prompt', `${imageUrl} ${rawPrompt}`, PROMPT_LIMITS);
		}
		body.videoType = videoType;
		return { method: 'POST', path: '/api/v1/video-diffusion', body };
	},
};
