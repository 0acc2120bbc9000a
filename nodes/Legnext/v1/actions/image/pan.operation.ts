import type { IExecuteFunctions } from 'n8n-workflow';

import { checkNumberInRange, checkOneOf } from '../../../actions/validate';
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

// 0 (down) is a real direction, not "unset".
const DIRECTIONS = [
	{ name: 'Down', value: 0 },
	{ name: 'Right', value: 1 },
	{ name: 'Up', value: 2 },
	{ name: 'Left', value: 3 },
];
const SCALE = { min: 1.1, max: 3 };

export const pan: LegnextOperation = {
	option: {
		name: 'Pan',
		value: 'pan',
		action: 'Extend an image in one direction',
		description: 'Start extending one image of an earlier job to one side; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		jobIdField('The image job whose image to extend'),
		numberField('imageNo', 'Which of the four images to extend, 0 to 3'),
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			default: 1,
			required: true,
			options: DIRECTIONS,
			description: 'Which side of the image to extend',
		},
		{
			displayName: 'Scale',
			name: 'scale',
			type: 'number',
			default: 1.5,
			required: true,
			typeOptions: { minValue: SCALE.min, maxValue: SCALE.max, numberPrecision: 2 },
			description: 'How much longer the image becomes in that direction, 1.1 to 3.0',
		},
		optionalTextField('Remix Prompt', 'remixPrompt', 'Optional: what the new part should show, 1 to 8192 characters'),
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const body = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readNumber(ctx, itemIndex, 'imageNo'),
			direction: checkOneOf(node, itemIndex, 'Direction', ctx.getNodeParameter('direction', itemIndex, 1), DIRECTIONS),
			scale: checkNumberInRange(node, itemIndex, 'Scale', ctx.getNodeParameter('scale', itemIndex, 1.5), SCALE),
		};
		addOptionalText(body, 'remixPrompt', ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
		return { method: 'POST', path: '/api/v1/pan', body: withCallback(ctx, itemIndex, body) };
	},
	toJson: jobAsReturned,
};
