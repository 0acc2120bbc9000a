import type { IExecuteFunctions } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';
import { jobAsReturned, jobIdField, readJobId } from '../fields';

export const getJob: LegnextOperation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a job',
		description: 'Read the status and results of a job by its ID',
	},
	kind: 'read',
	properties: [jobIdField('The job to read, e.g. the job_id of an earlier Legnext node’s output')],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		return { method: 'GET', path: `/api/v1/job/${readJobId(ctx, itemIndex)}` };
	},
	toJson: jobAsReturned,
};
