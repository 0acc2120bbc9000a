import type { IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../actions/validate';
import type { LegnextOperation } from '../../../actions/operation';
import {
	addOptionalText,
	callbackField,
	jobAsReturned,
	jobIdField,
	numberField,
	optionalTextField,
	readJobId,
	readNumber,
	withCallback,
} from '../fields';

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
		const body = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readNumber(ctx, itemIndex, 'imageNo'),
			type: checkOneOf(ctx.getNode(), itemIndex, 'Variation Type', ctx.getNodeParameter('type', itemIndex, 0), TYPES),
		};
		addOptionalText(body, 'remixPrompt', ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
		return { method: 'POST', path: '/api/v1/variation', body: withCallback(ctx, itemIndex, body) };
	},
	toJson: jobAsReturned,
};
