import type { IExecuteFunctions } from 'n8n-workflow';

import { checkNumberInRange, checkOneOf } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { PAN_DIRECTIONS, PAN_SCALE } from '../../../run/rules';
import { callbackField, imageFollowUp, jobAsReturned, jobIdField, numberField, optionalTextField } from '../fields';

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
			options: PAN_DIRECTIONS,
			description: 'Which side of the image to extend',
		},
		{
			displayName: 'Scale',
			name: 'scale',
			type: 'number',
			default: 1.5,
			required: true,
			typeOptions: { minValue: PAN_SCALE.min, maxValue: PAN_SCALE.max, numberPrecision: 2 },
			description: 'How much longer the image becomes in that direction, 1.1 to 3.0',
		},
		optionalTextField('Remix Prompt', 'remixPrompt', 'Optional: what the new part should show, 1 to 8192 characters'),
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		return imageFollowUp(
			ctx,
			itemIndex,
			'/api/v1/pan',
			() => ({
				direction: checkOneOf(node, itemIndex, 'Direction', ctx.getNodeParameter('direction', itemIndex, 1), PAN_DIRECTIONS),
				scale: checkNumberInRange(node, itemIndex, 'Scale', ctx.getNodeParameter('scale', itemIndex, 1.5), PAN_SCALE),
			}),
			{ remix: true },
		);
	},
	toJson: jobAsReturned,
};
