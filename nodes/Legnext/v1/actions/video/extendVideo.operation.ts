import type { IExecuteFunctions } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';
import {
	addOptionalText,
	callbackField,
	jobAsReturned,
	jobIdField,
	numberField,
	optionalTextField,
	readJobId,
	readNumber,
	withCallback,
} from '../fields';

export const extendVideo: LegnextOperation = {
	option: {
		name: 'Extend Video',
		value: 'extendVideo',
		action: 'Extend a video',
		description: 'Start adding seconds to one video of an earlier job; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		jobIdField('The video job whose video to extend'),
		numberField('videoNo', 'Which of the four videos to extend, 0 to 3'),
		optionalTextField('Prompt', 'prompt', 'Optional: what happens next, 1 to 8192 characters'),
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const body = { jobId: readJobId(ctx, itemIndex), videoNo: readNumber(ctx, itemIndex, 'videoNo') };
		addOptionalText(body, 'prompt', ctx, itemIndex, 'prompt', 'Prompt');
		return { method: 'POST', path: '/api/v1/extend-video', body: withCallback(ctx, itemIndex, body) };
	},
	toJson: jobAsReturned,
};
