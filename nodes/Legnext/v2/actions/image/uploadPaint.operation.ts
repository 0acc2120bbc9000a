import type { IExecuteFunctions } from 'n8n-workflow';

import { INPUT_IMAGE_MAX_BYTES } from '../../../run/binaryImage';
import { readUrlOrBinary, urlOrBinaryFields } from '../imageInput';
import { canvasFields, maskFields, readCanvas, readMask, readText, remixPromptField } from '../fields';
import { IMAGE_URL_MAX_LENGTH } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';
import { checkPromptRules } from '../../../run/validate';

export const uploadPaint: LegnextOperation = {
	option: {
		name: 'Upload Paint',
		value: 'uploadPaint',
		action: 'Edit an uploaded image on a canvas',
		description:
			'Place any image (a public URL or an image file of the incoming item) on a canvas and repaint masked parts and the empty canvas from a prompt. Only for accounts Legnext has whitelisted; others get a 403.',
	},
	kind: 'submit',
	facts: { taskType: 'upload_paint', returns: 'image URLs (imageUrls) and the job ID' },
	properties: [
		{
			displayName: 'Upload Paint works only for Legnext accounts that Legnext support has whitelisted for it',
			name: 'whitelistNotice',
			type: 'notice',
			default: '',
		},
		...urlOrBinaryFields(
			{
				displayName: 'Image URL',
				name: 'imageUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. https://example.com/room.png',
				description: `A public http(s) URL of the image to edit, at most ${IMAGE_URL_MAX_LENGTH} characters`,
			},
			INPUT_IMAGE_MAX_BYTES,
		),
		...canvasFields(),
		remixPromptField({
			required: true,
			placeholder: 'e.g. A cozy reading corner with plants',
			description: 'What to paint in the masked parts and on the empty canvas, 1 to 8192 characters',
		}),
		...maskFields({ optional: false, what: 'repaint' }),
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = {
			imgUrl: await readUrlOrBinary(ctx, itemIndex, { maxBytes: INPUT_IMAGE_MAX_BYTES, maxUrlLength: IMAGE_URL_MAX_LENGTH }),
			...readCanvas(ctx, itemIndex),
			remixPrompt: checkPromptRules(ctx.getNode(), itemIndex, 'Remix Prompt', readText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt')),
			mask: await readMask(ctx, itemIndex, false),
		};
		// multipart/form-data, as Legnext publishes this endpoint (its docs page; openapi-complete.yaml in legnext-ai/sdks).
		return { method: 'POST' as const, path: '/api/v1/upload-paint', body, encoding: 'multipart' as const };
	},
};
