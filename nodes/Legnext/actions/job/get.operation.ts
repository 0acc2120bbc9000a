import type { IExecuteFunctions } from 'n8n-workflow';

import { checkJobId } from '../validate';
import type { LegnextOperation } from '../operation';

export const getJob: LegnextOperation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a job',
		description: 'Read the status and results of any Legnext job by its ID',
	},
	kind: 'read',
	properties: [
		{
			displayName: 'Job ID',
			name: 'jobId',
			type: 'string',
			default: '={{ $json.jobId ?? $json.job_id }}',
			required: true,
			placeholder: 'e.g. 789320d3-4b20-46d3-a804-6165a079176a',
			description: 'The job to read; taken from the incoming item by default',
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const jobId = checkJobId(ctx.getNode(), itemIndex, 'Job ID', ctx.getNodeParameter('jobId', itemIndex));
		return { method: 'GET', path: `/api/v1/job/${jobId}` };
	},
};
