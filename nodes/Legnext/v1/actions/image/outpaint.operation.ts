import type { IExecuteFunctions } from 'n8n-workflow';

import { checkNumberInRange } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { ZOOM_OUT_SCALE } from '../../../run/rules';
import { callbackField, imageFollowUp, jobAsReturned, jobIdField, numberField, optionalTextField } from '../fields';

export const outpaint: LegnextOperation = {
	option: {
		name: 'Outpaint',
		value: 'outpaint',
		action: 'Zoom out of an image',
		description: 'Start extending one image of an earlier job on all sides; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		jobIdField('The image job whose image to extend'),
		numberField('imageNo', 'Which of the four images to extend, 0 to 3'),
		{
			displayName: 'Scale',
			name: 'scale',
			type: 'number',
			default: 1.5,
			required: true,
			typeOptions: { minValue: ZOOM_OUT_SCALE.min, maxValue: ZOOM_OUT_SCALE.max, numberPrecision: 2 },
			description: 'How much larger the image becomes, 1.1 to 2.0 (1.2 = 20% more on every side)',
		},
		optionalTextField('Remix Prompt', 'remixPrompt', 'Optional: what the new areas should show, 1 to 8192 characters'),
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const scale = () => checkNumberInRange(ctx.getNode(), itemIndex, 'Scale', ctx.getNodeParameter('scale', itemIndex, 1.5), ZOOM_OUT_SCALE);
		return imageFollowUp(ctx, itemIndex, '/api/v1/outpaint', () => ({ scale: scale() }), { remix: true });
	},
	toJson: jobAsReturned,
};
