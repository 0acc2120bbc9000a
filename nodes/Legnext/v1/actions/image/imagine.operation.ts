import type { IExecuteFunctions } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';
import { callbackField, jobAsReturned, readText, withCallback } from '../fields';

export const imagine: LegnextOperation = {
	option: {
		name: 'Imagine',
		value: 'imagine',
		action: 'Generate images from a prompt',
		description: 'Start a 2x2 image grid from a text prompt; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Text Prompt',
			name: 'text',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. A lighthouse on a cliff at dawn --ar 16:9',
			description: 'What to draw, 1 to 8192 characters; Midjourney flags such as --ar 16:9 may follow the text',
		},
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = withCallback(ctx, itemIndex, { text: readText(ctx, itemIndex, 'text', 'Text Prompt') });
		return { method: 'POST', path: '/api/v1/diffusion', body };
	},
	toJson: jobAsReturned,
};
