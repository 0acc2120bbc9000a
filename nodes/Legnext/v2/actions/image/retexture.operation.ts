import type { IExecuteFunctions } from 'n8n-workflow';

import { INPUT_IMAGE_MAX_BYTES } from '../../../run/binaryImage';
import { readUrlOrBinary, urlOrBinaryFields } from '../imageInput';
import { readText, remixPromptField } from '../fields';
import { IMAGE_URL_MAX_LENGTH } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';
import { checkPromptRules } from '../../../run/validate';

export const retexture: LegnextOperation = {
	option: {
		name: 'Retexture',
		value: 'retexture',
		action: 'Change the textures of an image',
		description:
			'Keep the shapes of any image (a public URL or an image file of the incoming item) but change its materials and textures as a prompt says; gives four images',
	},
	kind: 'submit',
	facts: { taskType: 'retexture', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		...urlOrBinaryFields(
			{
				displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/chair.jpg',
				description: `A public http(s) URL of a JPG, PNG or WebP image under 10 MB, at most ${IMAGE_URL_MAX_LENGTH} characters`,
			},
			// Legnext's stated limit for Retexture: "JPG/PNG/WebP ≤ 10 MB".
			INPUT_IMAGE_MAX_BYTES,
		),
		remixPromptField({
			required: true,
			placeholder: 'e.g. Made of polished marble',
			description: 'The new materials and textures, 1 to 8192 characters',
		}),
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = {
			imgUrl: await readUrlOrBinary(ctx, itemIndex, { maxBytes: INPUT_IMAGE_MAX_BYTES, maxUrlLength: IMAGE_URL_MAX_LENGTH }),
			remixPrompt: checkPromptRules(ctx.getNode(), itemIndex, 'Remix Prompt', readText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt')),
		};
		return { method: 'POST' as const, path: '/api/v1/retexture', body };
	},
};
