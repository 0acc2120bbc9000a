import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrlMaxLength } from '../../../run/validate';
import { IMAGE_URL_MAX_LENGTH } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';

export const removeBackground: LegnextOperation = {
	option: {
		name: 'Remove Background',
		value: 'removeBackground',
		action: 'Remove the background of an image',
		description: 'Cut out the subject of any image (a public URL) and return one PNG with a transparent background',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/product.jpg',
			description: `A public http(s) URL of the image, at most ${IMAGE_URL_MAX_LENGTH} characters`,
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const imgUrl = checkHttpUrlMaxLength(
			ctx.getNode(),
			itemIndex,
			'Image URL',
			ctx.getNodeParameter('imageUrl', itemIndex),
			IMAGE_URL_MAX_LENGTH,
		);
		return { method: 'POST', path: '/api/v1/remove-background', body: { imgUrl } };
	},
};
