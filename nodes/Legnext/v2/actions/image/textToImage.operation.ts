import type { IExecuteFunctions } from 'n8n-workflow';

import { checkPromptRules, checkText } from '../../../run/validate';
import { PROMPT_LIMITS } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';
import { applyPromptOptions, imagePromptOptions } from '../promptOptions';

export const textToImage: LegnextOperation = {
	option: {
		name: 'Text to Image',
		value: 'textToImage',
		action: 'Generate images from a text prompt',
		description:
			'Create four Midjourney images (and a 2x2 grid) from a text prompt. Midjourney flags such as --ar 16:9 or --v 7 go inside the prompt.',
	},
	kind: 'submit',
	facts: { taskType: 'diffusion', returns: 'four image URLs (imageUrls) and the job ID' },
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
				'What to draw, 1 to 8192 characters. Midjourney parameters (--ar, --v, --style raw, --no …) may follow the text, or be set in Prompt Options.',
		},
		imagePromptOptions,
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const prompt = checkText(node, itemIndex, 'Prompt', ctx.getNodeParameter('prompt', itemIndex), PROMPT_LIMITS);
		// The flags count towards Legnext's limit too.
		const text = checkText(node, itemIndex, 'Prompt (with Prompt Options)', await applyPromptOptions(ctx, itemIndex, prompt), PROMPT_LIMITS);
		checkPromptRules(node, itemIndex, 'Prompt', text);
		return { method: 'POST' as const, path: '/api/v1/diffusion', body: { text } };
	},
};
