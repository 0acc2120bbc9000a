import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiRequest } from '../../../shared/api';
import { rawJob, type LegnextJob } from '../../../shared/job';
import { PROMPT_LIMITS } from '../../run/rules';
import { checkHttpUrl, checkIntegerInRange, checkJobId, checkText } from '../../run/validate';

/**
 * Fields of Legnext's node 0.1.0, with its parameter names and defaults: n8n stores no parameter
 * left at its default, so a saved 0.1.0 node only works if every default here is exactly 0.1.0's.
 */

export function jobIdField(description: string): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 330fcc57-201b-4b16-aa4e-09402ad07c6d',
		description,
	};
}

export function numberField(name: 'imageNo' | 'videoNo', description: string): INodeProperties {
	return {
		displayName: name === 'imageNo' ? 'Image Number' : 'Video Number',
		name,
		type: 'number',
		default: 0,
		required: true,
		typeOptions: { minValue: 0, maxValue: 3 },
		description,
	};
}

export function optionalTextField(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		description,
	};
}

export const callbackField: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callback',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://n8n.example.com/webhook/legnext',
	description: 'Optional: a public URL Legnext POSTs the job to when it ends',
};

export function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	return checkJobId(ctx.getNode(), itemIndex, 'Job ID', ctx.getNodeParameter('jobId', itemIndex));
}

export function readNumber(ctx: IExecuteFunctions, itemIndex: number, name: 'imageNo' | 'videoNo'): number {
	const field = name === 'imageNo' ? 'Image Number' : 'Video Number';
	return checkIntegerInRange(ctx.getNode(), itemIndex, field, ctx.getNodeParameter(name, itemIndex, 0), {
		min: 0,
		max: 3,
		hint: `Use 0, 1, 2 or 3: which of the parent job’s four ${name === 'imageNo' ? 'images' : 'videos'}.`,
	});
}

export function readText(ctx: IExecuteFunctions, itemIndex: number, name: string, field: string): string {
	return checkText(ctx.getNode(), itemIndex, field, ctx.getNodeParameter(name, itemIndex, ''), PROMPT_LIMITS);
}

/**
 * Adds an optional text to the body unless it is empty. 0.1.0 sent `""`, which asks Legnext for an
 * empty prompt rather than none.
 */
export function addOptionalText(
	body: IDataObject,
	key: string,
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
): IDataObject {
	const value = ctx.getNodeParameter(name, itemIndex, '');
	if (value === undefined || value === null || String(value).trim() === '') return body;
	body[key] = checkText(ctx.getNode(), itemIndex, field, value, PROMPT_LIMITS);
	return body;
}

/** The job's body plus its callback, when one is given (0.1.0 sent `callback: ""`). */
export function withCallback(ctx: IExecuteFunctions, itemIndex: number, body: IDataObject): IDataObject {
	const callback = ctx.getNodeParameter('callback', itemIndex, '');
	if (typeof callback === 'string' && callback.trim() === '') return body;
	return { ...body, callback: checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', callback) };
}

/**
 * A follow-up of one image as 0.1.0 sent it: the parent job and image, the operation's own values
 * (read after them, so errors come in the fields' order), the remix prompt when one is given, and
 * the callback.
 */
export function imageFollowUp(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	own: () => IDataObject,
	{ remix }: { remix: boolean },
): ApiRequest {
	const body: IDataObject = { jobId: readJobId(ctx, itemIndex), imageNo: readNumber(ctx, itemIndex, 'imageNo'), ...own() };
	if (remix) addOptionalText(body, 'remixPrompt', ctx, itemIndex, 'remixPrompt', 'Remix Prompt');
	return { method: 'POST', path, body: withCallback(ctx, itemIndex, body) };
}

/**
 * 0.1.0's output: the job as Legnext returns it, except that `error` is moved to `jobError` (null
 * when the job did not fail): n8n takes any item carrying `error` for a failed run, and Retry On
 * Fail would then submit and pay for the same job again.
 */
export function jobAsReturned(answer: IDataObject): IDataObject {
	return rawJob(answer as unknown as LegnextJob);
}
