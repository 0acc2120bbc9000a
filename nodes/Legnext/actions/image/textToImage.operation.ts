import type { IExecuteFunctions } from 'n8n-workflow';

import { checkText } from '../../../shared/validate';
import type { LegnextOperation } from '../operation';

export const PROMPT_LIMITS = { min: 1, max: 8192 };

export const textToImage: LegnextOperation = {
	option: {
		name: 'Text to Image',
		value: 'textToImage',
		action: 'Generate images from a text prompt',
		description:
			'Create four Midjourney images (and a 2x2 grid) from a text prompt. Midjourney flags such as --ar 16:9 or --v 7 go inside the prompt.',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'e.g. A lighthouse on a cliff at dawn, oil painting --ar 16:9',
			description:
				'What to draw, 1 to 8192 characters. Midjourney parameters (--ar, --v, --style raw, --no …) may follow the text.',
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const text = checkText(ctx.getNode(), itemIndex, 'Prompt', ctx.getNodeParameter('prompt', itemIndex), PROMPT_LIMITS);
		return { method: 'POST', path: '/api/v1/diffusion', body: { text } };
	},
};
