import type { IExecuteFunctions } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';
import { callbackField, jobAsReturned, readText, withCallback } from '../fields';

export const shorten: LegnextOperation = {
	option: {
		name: 'Shorten',
		value: 'shorten',
		action: 'Shorten a prompt',
		description: 'Start cutting a prompt down to its key words; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			default: '',
			required: true,
			typeOptions: { rows: 4 },
			description: 'The prompt to shorten, 1 to 8192 characters',
		},
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = withCallback(ctx, itemIndex, { prompt: readText(ctx, itemIndex, 'prompt', 'Prompt') });
		return { method: 'POST', path: '/api/v1/shorten', body };
	},
	toJson: jobAsReturned,
};
