import type { IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf, invalidInput } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { callbackField, imageFollowUp, jobAsReturned, jobIdField, numberField } from '../fields';

// 0.1.0 offered 2 (2x) and 3 (4x) too; Legnext's current API takes only these two.
const TYPES = [
	{ name: 'Subtle', value: 0 },
	{ name: 'Creative', value: 1 },
];
const WITHDRAWN = [
	{ name: '2x', value: 2 },
	{ name: '4x', value: 3 },
];

export const upscale: LegnextOperation = {
	option: {
		name: 'Upscale',
		value: 'upscale',
		action: 'Upscale an image',
		description: 'Start upscaling one of the four images of an earlier job; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		jobIdField('The image job whose image to upscale'),
		numberField('imageNo', 'Which of the four images to upscale, 0 to 3'),
		{
			displayName: 'Upscale Type',
			name: 'type',
			type: 'options',
			default: 0,
			required: true,
			// 2x and 4x stay listed so that a saved 0.1.0 node shows its value; sending them is refused.
			options: [...TYPES, ...WITHDRAWN.map((type) => ({ ...type, name: `${type.name} (No Longer Offered)` }))],
			description: 'Subtle stays close to the original; Creative adds detail',
		},
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const value = ctx.getNodeParameter('type', itemIndex, 0);
		const withdrawn = WITHDRAWN.find((type) => String(type.value) === String(value));
		if (withdrawn) {
			throw invalidInput(
				node,
				itemIndex,
				'Upscale Type',
				`${withdrawn.name} (${withdrawn.value}) is no longer offered by Legnext`,
				'Choose Subtle (0) or Creative (1). For a larger image, add a new Legnext node (version 2) and use Image → Topaz Upscale.',
			);
		}
		return imageFollowUp(ctx, itemIndex, '/api/v1/upscale', () => ({ type: checkOneOf(node, itemIndex, 'Upscale Type', value, TYPES) }), {
			remix: false,
		});
	},
	toJson: jobAsReturned,
};
