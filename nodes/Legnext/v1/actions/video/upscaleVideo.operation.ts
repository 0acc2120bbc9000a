import type { IExecuteFunctions } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';
import { callbackField, jobAsReturned, jobIdField, numberField, readJobId, readNumber, withCallback } from '../fields';

export const upscaleVideo: LegnextOperation = {
	option: {
		name: 'Upscale Video',
		value: 'upscaleVideo',
		action: 'Upscale a video',
		description: 'Start raising the resolution of one video of an earlier job; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		jobIdField('The video job whose video to upscale'),
		numberField('videoNo', 'Which of the four videos to upscale, 0 to 3'),
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = withCallback(ctx, itemIndex, { jobId: readJobId(ctx, itemIndex), videoNo: readNumber(ctx, itemIndex, 'videoNo') });
		return { method: 'POST', path: '/api/v1/video-upscale', body };
	},
	toJson: jobAsReturned,
};
