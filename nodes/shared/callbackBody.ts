import type { IDataObject } from 'n8n-workflow';

import { looksLikeJob, type LegnextJob } from './job';

/** Legnext's callbacks are small JSON; anything near this size is not one. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

/**
 * The job a callback carries. Legnext's web app receives `{timestamp, data: Job}`; the docs do
 * not rule out a bare Job, so both are accepted. Returns undefined for anything else.
 */
export function jobFromCallback(body: unknown): LegnextJob | undefined {
	if (looksLikeJob(body)) return body;
	const data = (body as IDataObject | undefined)?.data;
	return looksLikeJob(data) ? data : undefined;
}
