import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { jobFromCallback, MAX_CALLBACK_BYTES } from '../shared/callbackBody';
import type { LegnextJob } from '../shared/job';
import { REFERENCE_PARAM } from '../shared/triggerUrl';
import { isRightToken } from './token';

/**
 * The Legnext Trigger's checks of a callback, before anything is read from Legnext: the token, the
 * body, the node's filters (whether this job and status already started an execution: ./dedupe.ts).
 */

/** `reference`: the job's Reference from the callback URL, covered by the token. */
export type CheckResult = { hint: LegnextJob; reference?: string } | { refuse: number; body: IDataObject };

export async function checkCallback(ctx: IWebhookFunctions): Promise<CheckResult> {
	const query = ctx.getQueryData() as IDataObject;
	const token = String(query.token ?? '');
	const rawReference = query[REFERENCE_PARAM];
	if (rawReference !== undefined && typeof rawReference !== 'string') return { refuse: 401, body: { error: 'Missing or wrong token' } };
	const reference = rawReference || undefined;
	// The token covers the reference: one that was changed, added or removed no longer matches.
	if (!(await isRightToken(ctx, token, reference))) return { refuse: 401, body: { error: 'Missing or wrong token' } };

	const request = ctx.getRequestObject();
	const body = ctx.getBodyData();
	const declaredBytes = Number(request.headers['content-length'] ?? 0);
	if (declaredBytes > MAX_CALLBACK_BYTES || JSON.stringify(body ?? null).length > MAX_CALLBACK_BYTES) {
		return { refuse: 413, body: { error: 'Callback body over 1 MB' } };
	}
	if (!String(request.headers['content-type'] ?? '').includes('json')) {
		return { refuse: 415, body: { error: 'Callback body must be JSON' } };
	}
	const hint = jobFromCallback(body);
	if (!hint) return { refuse: 400, body: { error: 'Not a Legnext job: expected {timestamp, data: job} or a job' } };

	const statuses = ctx.getNodeParameter('statuses', ['completed', 'failed']) as string[];
	const taskTypes = ctx.getNodeParameter('taskTypes', []) as string[];
	if (!statuses.includes(hint.status ?? '') || (taskTypes.length && !taskTypes.includes(hint.task_type ?? ''))) {
		return { refuse: 200, body: { received: true, started: false, reason: 'status or task type not selected' } };
	}
	return { hint, reference };
}
