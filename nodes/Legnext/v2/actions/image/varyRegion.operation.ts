import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	imageNoField,
	jobIdField,
	maskFields,
	readImageNo,
	readJobId,
	readMask,
	readOptionalText,
	remixPromptField,
} from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const varyRegion: LegnextOperation = {
	option: {
		name: 'Vary Region',
		value: 'varyRegion',
		action: 'Repaint a region of an image',
		description:
			'Repaint only part of one image of an earlier job (inpainting): give the part as rectangles or a black-and-white mask image, and optionally what to paint there',
	},
	kind: 'submit',
	facts: { taskType: 'inpaint', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished image job whose image to repaint'),
		imageNoField('repaint'),
		...maskFields({ optional: false, what: 'repaint' }),
		remixPromptField({
			required: false,
			placeholder: 'e.g. A red umbrella',
			description: 'Optional: what to paint in the masked region, 1 to 8192 characters',
		}),
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const body: IDataObject = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			mask: await readMask(ctx, itemIndex, false),
		};
		const remixPrompt = readOptionalText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
		if (remixPrompt !== undefined) body.remixPrompt = remixPrompt;
		return { method: 'POST' as const, path: '/api/v1/inpaint', body };
	},
};
