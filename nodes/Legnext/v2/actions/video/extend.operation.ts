import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { jobIdField, readJobId, readOptionalText, readVideoNo, videoNoField } from '../fields';
import type { LegnextOperation } from '../../../run/operation';

export const extendVideo: LegnextOperation = {
	option: {
		name: 'Extend',
		value: 'extend',
		action: 'Extend a video',
		description:
			'Add 4 seconds to one video of an earlier video job, optionally guided by a prompt. A video can be extended up to 4 times (20 seconds).',
	},
	kind: 'submit',
	facts: { taskType: 'extend_video', returns: 'the video URLs (videoUrls) and the job ID' },
	properties: [
		jobIdField('The finished video job (Image to Video or an earlier Extend) whose video to extend'),
		videoNoField('extend'),
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. The camera keeps rising above the clouds',
			description: 'Optional: what happens in the new 4 seconds, 1 to 8192 characters',
		},
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body: IDataObject = { jobId: readJobId(ctx, itemIndex), videoNo: readVideoNo(ctx, itemIndex) };
		const prompt = readOptionalText(ctx, itemIndex, 'prompt', 'Prompt');
		if (prompt !== undefined) body.prompt = prompt;
		return { method: 'POST', path: '/api/v1/extend-video', body };
	},
};
