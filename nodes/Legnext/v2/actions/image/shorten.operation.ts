import type { IExecuteFunctions } from 'n8n-workflow';

import { readText } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const shorten: LegnextOperation = {
	option: {
		name: 'Shorten',
		value: 'shorten',
		action: 'Shorten a prompt',
		description:
			'Reduce a long prompt to its essential words; the finished job lists shorter prompt suggestions (prompts, promptEn)',
	},
	kind: 'submit',
	facts: { taskType: 'shorten', returns: 'shorter prompts (prompts) and the job ID' },
	properties: [
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'e.g. A cyberpunk hacker workspace filled with holographic screens, glowing code …',
			description: 'The prompt to shorten, 1 to 8192 characters',
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		return { method: 'POST', path: '/api/v1/shorten', body: { prompt: readText(ctx, itemIndex, 'prompt', 'Prompt') } };
	},
};
