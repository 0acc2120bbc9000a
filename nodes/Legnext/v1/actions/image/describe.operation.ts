import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrl } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { callbackField, jobAsReturned, withCallback } from '../fields';

export const describe: LegnextOperation = {
	option: {
		name: 'Describe',
		value: 'describe',
		action: 'Describe an image',
		description: 'Start writing prompts that describe an image; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Image URL',
			name: 'imgUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/photo.png',
			description: 'A public http(s) URL of the image to describe',
		},
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const imgUrl = checkHttpUrl(ctx.getNode(), itemIndex, 'Image URL', ctx.getNodeParameter('imgUrl', itemIndex, ''));
		return { method: 'POST', path: '/api/v1/describe', body: withCallback(ctx, itemIndex, { imgUrl }) };
	},
	toJson: jobAsReturned,
};
