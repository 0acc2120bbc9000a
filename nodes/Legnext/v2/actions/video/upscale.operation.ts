import type { IExecuteFunctions } from 'n8n-workflow';

import { jobIdField, readJobId, readVideoNo, videoNoField } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const upscaleVideo: LegnextOperation = {
	option: {
		name: 'Upscale',
		value: 'upscale',
		action: 'Upscale a video',
		description: 'Raise the resolution and detail of one video of an earlier video job (takes 4 to 6 minutes)',
	},
	kind: 'submit',
	facts: { taskType: 'video_upscale', returns: 'the video URL (videoUrls) and the job ID' },
	properties: [
		jobIdField('The finished video job whose video to upscale'),
		videoNoField('upscale'),
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = { jobId: readJobId(ctx, itemIndex), videoNo: readVideoNo(ctx, itemIndex) };
		return { method: 'POST', path: '/api/v1/video-upscale', body };
	},
};
