import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf, invalidInput } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import {
	addOptionalText,
	callbackField,
	jobAsReturned,
	jobIdField,
	numberField,
	optionalTextField,
	readJobId,
	readNumber,
	readText,
	withCallback,
} from '../fields';

const SOURCE_MODES = [
	{ name: 'From Job', value: 'fromJob', description: 'Animate one of the four images of an earlier job' },
	{ name: 'From Image URL', value: 'fromImageUrl', description: 'Animate an image given by URL at the start of the prompt' },
];
const VIDEO_TYPES = [
	{ name: '480p (Standard)', value: 0 },
	{ name: '720p (HD)', value: 1 },
];

const fromJob = { show: { sourceMode: ['fromJob'] } };
const fromImageUrl = { show: { sourceMode: ['fromImageUrl'] } };

export const videoDiffusion: LegnextOperation = {
	option: {
		name: 'Video Diffusion',
		value: 'videoDiffusion',
		action: 'Animate an image into videos',
		description: 'Start four short videos from an image; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Source Mode',
			name: 'sourceMode',
			type: 'options',
			default: 'fromJob',
			required: true,
			options: SOURCE_MODES,
			description: 'Where the first frame comes from',
		},
		{ ...jobIdField('The image job whose image to animate'), displayOptions: fromJob },
		{ ...numberField('imageNo', 'Which of the four images to animate, 0 to 3'), displayOptions: fromJob },
		// Two fields, one body key: 0.1.0 saved the prompt under a different name for each source.
		{
			...optionalTextField('Prompt', 'promptFromJob', 'Optional: how the image should move, 1 to 8192 characters'),
			displayOptions: fromJob,
		},
		{
			...optionalTextField(
				'Prompt with Image URL',
				'promptFromImageUrl',
				'The image URL, a space, then how it should move, e.g. "https://example.com/a.png waves roll in"',
			),
			required: true,
			displayOptions: fromImageUrl,
		},
		{
			displayName: 'Video Type',
			name: 'videoType',
			type: 'options',
			default: 0,
			options: VIDEO_TYPES,
			description: 'The video’s resolution',
		},
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const sourceMode = checkOneOf(node, itemIndex, 'Source Mode', ctx.getNodeParameter('sourceMode', itemIndex, 'fromJob'), SOURCE_MODES);
		let body: IDataObject;
		if (sourceMode === 'fromJob') {
			body = { jobId: readJobId(ctx, itemIndex), imageNo: readNumber(ctx, itemIndex, 'imageNo') };
			addOptionalText(body, 'prompt', ctx, itemIndex, 'promptFromJob', 'Prompt');
		} else {
			const prompt = readText(ctx, itemIndex, 'promptFromImageUrl', 'Prompt with Image URL');
			// Legnext reads the first frame from the start of the prompt.
			if (!/^https?:\/\/\S+/i.test(prompt)) {
				throw invalidInput(
					node,
					itemIndex,
					'Prompt with Image URL',
					'does not start with an http(s) image URL',
					'Start with the image URL, then a space and the prompt, e.g. https://example.com/a.png waves roll in.',
				);
			}
			body = { prompt };
		}
		body.videoType = checkOneOf(node, itemIndex, 'Video Type', ctx.getNodeParameter('videoType', itemIndex, 0), VIDEO_TYPES);
		return { method: 'POST', path: '/api/v1/video-diffusion', body: withCallback(ctx, itemIndex, body) };
	},
	toJson: jobAsReturned,
};
