import type { IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { callbackField, imageFollowUp, jobAsReturned, jobIdField, numberField, optionalTextField } from '../fields';

const TYPES = [
	{ name: 'Subtle', value: 0 },
	{ name: 'Strong', value: 1 },
];

export const variation: LegnextOperation = {
	option: {
		name: 'Variation',
		value: 'variation',
		action: 'Create variations of an image',
		description: 'Start four variations of one image of an earlier job; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		jobIdField('The image job whose image to vary'),
		numberField('imageNo', 'Which of the four images to vary, 0 to 3'),
		{
			displayName: 'Variation Type',
			name: 'type',
			type: 'options',
			default: 0,
			required: true,
			options: TYPES,
			description: 'How far the variations may stray from the image',
		},
		optionalTextField('Remix Prompt', 'remixPrompt', 'Optional: a new prompt for the variations, 1 to 8192 characters'),
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const type = () => checkOneOf(ctx.getNode(), itemIndex, 'Variation Type', ctx.getNodeParameter('type', itemIndex, 0), TYPES);
		return imageFollowUp(ctx, itemIndex, '/api/v1/variation', () => ({ type: type() }), { remix: true });
	},
	toJson: jobAsReturned,
};
