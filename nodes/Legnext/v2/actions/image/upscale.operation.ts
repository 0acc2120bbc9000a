import type { IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../run/validate';
import { imageNoField, jobIdField, readImageNo, readJobId } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

// Types 2 (2x) and 3 (4x) are deprecated and work only with Midjourney v5: not offered.
const TYPES = [
	{ name: 'Subtle', value: 0, description: 'Sharper and larger, staying close to the original' },
	{ name: 'Creative', value: 1, description: 'Larger, adding new detail and interpretation' },
];

export const upscale: LegnextOperation = {
	option: {
		name: 'Upscale',
		value: 'upscale',
		action: 'Upscale an image',
		description:
			'Make one of the four images of an earlier job larger and sharper (Subtle or Creative); gives one high-resolution image',
	},
	kind: 'submit',
	facts: { taskType: 'upscale', returns: 'the image URL (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished image job (Text to Image, Variation, Remix …) whose image to upscale'),
		imageNoField('upscale'),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: TYPES,
			default: 0,
			description: 'How the upscaler treats the image',
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			type: checkOneOf(ctx.getNode(), itemIndex, 'Type', ctx.getNodeParameter('type', itemIndex), TYPES),
		};
		return { method: 'POST', path: '/api/v1/upscale', body };
	},
};
