import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	canvasFields,
	imageNoField,
	jobIdField,
	maskFields,
	readCanvas,
	readImageNo,
	readJobId,
	readMask,
	readText,
	remixPromptField,
} from '../fields';
import type { LegnextOperation } from '../../../run/operation';
import { checkPromptRules } from '../../../run/validate';

export const edit: LegnextOperation = {
	option: {
		name: 'Edit',
		value: 'edit',
		action: 'Edit an image on a canvas',
		description:
			'Place one image of an earlier job on a canvas of any size and let a prompt fill the rest (optionally repainting masked parts). Only for accounts Legnext has whitelisted; others get a 403.',
	},
	kind: 'submit',
	facts: { taskType: 'edit', returns: 'image URLs (imageUrls) and the job ID' },
	properties: [
		{
			displayName: 'Edit works only for Legnext accounts that Legnext support has whitelisted for it',
			name: 'whitelistNotice',
			type: 'notice',
			default: '',
		},
		jobIdField('The finished image job whose image to edit'),
		imageNoField('edit'),
		...canvasFields(),
		remixPromptField({
			required: true,
			placeholder: 'e.g. A beach at sunset around the subject',
			description: 'What to paint on the empty canvas and masked parts, 1 to 8192 characters',
		}),
		...maskFields({ optional: true, what: 'repaint' }),
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const body: IDataObject = {
			jobId: readJobId(ctx, itemIndex),
			imageNo: readImageNo(ctx, itemIndex),
			...readCanvas(ctx, itemIndex),
			remixPrompt: checkPromptRules(ctx.getNode(), itemIndex, 'Remix Prompt', readText(ctx, itemIndex, 'remixPrompt', 'Remix Prompt')),
		};
		const mask = await readMask(ctx, itemIndex, true);
		if (mask) body.mask = mask;
		return { method: 'POST' as const, path: '/api/v1/edit', body };
	},
};
