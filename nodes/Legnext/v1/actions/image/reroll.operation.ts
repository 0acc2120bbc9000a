import type { IExecuteFunctions } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';
import { callbackField, jobAsReturned, jobIdField, readJobId, withCallback } from '../fields';

export const reroll: LegnextOperation = {
	option: {
		name: 'Reroll',
		value: 'reroll',
		action: 'Reroll a job',
		description: 'Start the same prompt of an earlier job again; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [jobIdField('The job whose prompt to run again'), callbackField],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = withCallback(ctx, itemIndex, { jobId: readJobId(ctx, itemIndex) });
		return { method: 'POST', path: '/api/v1/reroll', body };
	},
	toJson: jobAsReturned,
};
