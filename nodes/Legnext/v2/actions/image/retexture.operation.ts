import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrlMaxLength } from '../../../run/validate';
import { readText, remixPromptField } from '../fields';
import { IMAGE_URL_MAX_LENGTH } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';

export const retexture: LegnextOperation = {
	option: {
		name: 'Retexture',
		value: 'retexture',
		action: 'Change the textures of an image',
		description:
			'Keep the shapes of any image (a public URL) but change its materials and textures as a prompt says; gives four images',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/chair.jpg',
			description: `A public http(s) URL of a JPG, PNG or WebP image under 10 MB, at most ${IMAGE_URL_MAX_LENGTH} characters`,
		},
		remixPromptField({
			required: true,
			placeholder: 'e.g. Made of polished marble',
			description: 'The new materials and textures, 1 to 8192 characters',
		}),
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = {
			imgUrl: checkHttpUrlMaxLength(
				ctx.getNode(),
				itemIndex,
				'Image URL',
				ctx.getNodeParameter('imageUrl', itemIndex),
				IMAGE_URL_MAX_LENGTH,
			),
			remixPrompt: readText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt'),
		};
		return { method: 'POST', path: '/api/v1/retexture', body };
	},
};
