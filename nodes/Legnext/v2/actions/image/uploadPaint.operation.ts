import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrlMaxLength } from '../../../run/validate';
import { canvasFields, maskFields, readCanvas, readMask, readText, remixPromptField } from '../fields';
import { IMAGE_URL_MAX_LENGTH } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';

export const uploadPaint: LegnextOperation = {
	option: {
		name: 'Upload Paint',
		value: 'uploadPaint',
		action: 'Edit an uploaded image on a canvas',
		description:
			'Place any image (a public URL) on a canvas and repaint masked parts and the empty canvas from a prompt. Only for accounts Legnext has whitelisted; others get a 403.',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Upload Paint works only for Legnext accounts that Legnext support has whitelisted for it',
			name: 'whitelistNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/room.png',
			description: `A public http(s) URL of the image to edit, at most ${IMAGE_URL_MAX_LENGTH} characters`,
		},
		...canvasFields(),
		remixPromptField({
			required: true,
			placeholder: 'e.g. A cozy reading corner with plants',
			description: 'What to paint in the masked parts and on the empty canvas, 1 to 8192 characters',
		}),
		...maskFields({ optional: false, what: 'repaint' }),
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
			...readCanvas(ctx, itemIndex),
			remixPrompt: readText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt'),
			mask: readMask(ctx, itemIndex, false),
		};
		return { method: 'POST', path: '/api/v1/upload-paint', body };
	},
};
