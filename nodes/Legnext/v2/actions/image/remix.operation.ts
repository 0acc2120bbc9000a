import type { IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf, checkPromptRules } from '../../../run/validate';
import { imageNoField, jobIdField, readImageNo, readJobId, readText, remixPromptField } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

const MODES = [
	{ name: 'Strong', value: 0, description: 'Follow the new prompt closely; larger changes' },
	{ name: 'Subtle', value: 1, description: 'Keep more of the original image' },
];

export const remix: LegnextOperation = {
	option: {
		name: 'Remix',
		value: 'remix',
		action: 'Remix an image with a new prompt',
		description:
			'Redraw one image of an earlier job with a new prompt (e.g. another style or time of day), keeping its composition; gives four images',
	},
	kind: 'submit',
	facts: { taskType: 'remix', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished image job whose image to remix'),
		imageNoField('remix'),
		remixPromptField({
			required: true,
			placeholder: 'e.g. Watercolor painting of the same scene',
			description: 'The new prompt, 1 to 8192 characters. It replaces the original prompt.',
		}),
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: MODES,
			default: 0,
			description: 'How strongly the new prompt changes the image',
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			remixPrompt: checkPromptRules(ctx.getNode(), itemIndex, 'Remix Prompt', readText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt')),
			mode: checkOneOf(ctx.getNode(), itemIndex, 'Mode', ctx.getNodeParameter('mode', itemIndex), MODES),
		};
		return { method: 'POST', path: '/api/v1/remix', body };
	},
};
