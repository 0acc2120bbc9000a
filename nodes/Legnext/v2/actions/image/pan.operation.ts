import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkNumberInRange, checkOneOf } from '../../../run/validate';
import { imageNoField, jobIdField, readImageNo, readJobId, readOptionalText, remixPromptField } from '../fields';
import { PAN_DIRECTIONS, PAN_SCALE } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';


export const pan: LegnextOperation = {
	option: {
		name: 'Pan',
		value: 'pan',
		action: 'Extend an image in one direction',
		description:
			'Extend one image of an earlier job to one side (down, right, up or left), continuing the scene; gives four images',
	},
	kind: 'submit',
	facts: { taskType: 'pan', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished image job whose image to extend'),
		imageNoField('extend'),
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			options: PAN_DIRECTIONS,
			default: 1,
			description: 'Which side of the image to extend',
		},
		{
			displayName: 'Scale',
			name: 'scale',
			type: 'number',
			typeOptions: { minValue: PAN_SCALE.min, maxValue: PAN_SCALE.max, numberPrecision: 2 },
			default: 1.5,
			description: 'How much longer the image becomes in that direction, 1.1 to 3.0 (1.5 = 50% longer)',
		},
		remixPromptField({
			required: false,
			placeholder: 'e.g. A lake below the mountains',
			description: 'Optional: what the new part should show, 1 to 8192 characters',
		}),
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const body: IDataObject = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			direction: checkOneOf(node, itemIndex, 'Direction', ctx.getNodeParameter('direction', itemIndex), PAN_DIRECTIONS),
			scale: checkNumberInRange(node, itemIndex, 'Scale', ctx.getNodeParameter('scale', itemIndex), {
				...PAN_SCALE,
				hint: 'Use a number from 1.1 to 3.0, e.g. 1.5 for an image 50% longer in that direction.',
			}),
		};
		const remixPrompt = readOptionalText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
		if (remixPrompt !== undefined) body.remixPrompt = remixPrompt;
		return { method: 'POST', path: '/api/v1/pan', body };
	},
};
