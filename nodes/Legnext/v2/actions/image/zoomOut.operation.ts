import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkNumberInRange } from '../../../run/validate';
import { imageNoField, jobIdField, readImageNo, readJobId, readOptionalText, remixPromptField } from '../fields';
import { ZOOM_OUT_SCALE } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';


export const zoomOut: LegnextOperation = {
	option: {
		name: 'Zoom Out',
		value: 'zoomOut',
		action: 'Zoom out of an image',
		description:
			'Extend one image of an earlier job equally on all sides (outpainting), the original staying in the center; gives four images',
	},
	kind: 'submit',
	facts: { taskType: 'outpaint', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished image job whose image to zoom out of'),
		imageNoField('zoom out of'),
		{
			displayName: 'Scale',
			name: 'scale',
			type: 'number',
			typeOptions: { minValue: ZOOM_OUT_SCALE.min, maxValue: ZOOM_OUT_SCALE.max, numberPrecision: 2 },
			default: 1.5,
			description: 'How much larger the canvas becomes, 1.1 to 2.0 (1.5 = 50% larger)',
		},
		remixPromptField({
			required: false,
			placeholder: 'e.g. Clouds over a wide valley',
			description: 'Optional: what the new surroundings should show, 1 to 8192 characters',
		}),
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body: IDataObject = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			scale: checkNumberInRange(ctx.getNode(), itemIndex, 'Scale', ctx.getNodeParameter('scale', itemIndex), {
				...ZOOM_OUT_SCALE,
				hint: 'Use a number from 1.1 to 2.0, e.g. 1.5 for a canvas 50% larger.',
			}),
		};
		const remixPrompt = readOptionalText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
		if (remixPrompt !== undefined) body.remixPrompt = remixPrompt;
		return { method: 'POST', path: '/api/v1/outpaint', body };
	},
};
