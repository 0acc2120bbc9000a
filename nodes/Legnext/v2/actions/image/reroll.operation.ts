import type { IExecuteFunctions } from 'n8n-workflow';

import { jobIdField, readJobId } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const reroll: LegnextOperation = {
	option: {
		name: 'Reroll',
		value: 'reroll',
		action: 'Reroll an image job',
		description: 'Run an earlier image job again with the same prompt and settings, for four new images',
	},
	kind: 'submit',
	facts: { taskType: 'reroll', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [jobIdField('The image job to run again')],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		return { method: 'POST', path: '/api/v1/reroll', body: { jobId: readJobId(ctx, itemIndex) } };
	},
};
