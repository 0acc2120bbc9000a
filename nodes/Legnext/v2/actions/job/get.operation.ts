import type { IExecuteFunctions } from 'n8n-workflow';

import { jobIdField, readJobId } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const getJob: LegnextOperation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a job',
		description: 'Read the status and results of any Legnext job by its ID',
	},
	kind: 'read',
	facts: { returns: 'the job’s status, image URLs (imageUrls) or video URLs (videoUrls)' },
	properties: [jobIdField('The job to read')],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const jobId = readJobId(ctx, itemIndex);
		return { method: 'GET', path: `/api/v1/job/${jobId}` };
	},
};
