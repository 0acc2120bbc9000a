import type { IExecuteFunctions } from 'n8n-workflow';

import { imageNoField, jobIdField, readImageNo, readJobId } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const enhance: LegnextOperation = {
	option: {
		name: 'Enhance',
		value: 'enhance',
		action: 'Enhance a draft image',
		description:
			'Re-render one image of a draft job at full quality. Works only when the parent job was made in draft mode (prompt with --v 7 --draft, or the Draft prompt option).',
	},
	kind: 'submit',
	facts: { taskType: 'enhance', returns: 'the image URL (imageUrls) and the job ID' },
	properties: [
		jobIdField('The finished draft job (made with --v 7 --draft) whose image to enhance'),
		imageNoField('enhance'),
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = { jobId: readJobId(ctx, itemIndex), imageNo: readImageNo(ctx, itemIndex) };
		return { method: 'POST', path: '/api/v1/enhance', body };
	},
};
