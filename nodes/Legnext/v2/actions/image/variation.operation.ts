import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../run/validate';
import { imageNoField, jobIdField, readImageNo, readJobId, readOptionalText, remixPromptField } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

const TYPES = [
	{ name: 'Subtle', value: 0, description: 'Small changes that keep the composition' },
	{ name: 'Strong', value: 1, description: 'Bigger changes, new takes on the image' },
];

export const variation: LegnextOperation = {
	option: {
		name: 'Variation',
		value: 'variation',
		action: 'Create variations of an image',
		description:
			'Make four new variations of one image of an earlier job, subtle or strong, optionally steered by a remix prompt',
	},
	kind: 'submit',
	facts: { taskType: 'variation', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished image job whose image to vary'),
		imageNoField('vary'),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: TYPES,
			default: 0,
			description: 'How far the variations may move from the image',
		},
		remixPromptField({
			required: false,
			placeholder: 'e.g. The same scene at night',
			description: 'Optional: a new prompt that steers the variations, 1 to 8192 characters',
		}),
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body: IDataObject = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			type: checkOneOf(ctx.getNode(), itemIndex, 'Type', ctx.getNodeParameter('type', itemIndex), TYPES),
		};
		const remixPrompt = readOptionalText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
		if (remixPrompt !== undefined) body.remixPrompt = remixPrompt;
		return { method: 'POST', path: '/api/v1/variation', body };
	},
};
