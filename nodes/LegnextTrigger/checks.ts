import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { callbackBytes, jobFromCallback, MAX_CALLBACK_BYTES, receivedCallback } from '../shared/callbackBody';
import { checkSignature } from '../shared/callbackSignature';
import { normalStatus, type LegnextJob } from '../shared/job';
import { normalTaskType } from '../shared/taskTypes';
import { REFERENCE_PARAM } from '../shared/triggerUrl';
import { isRightToken, webhookSecretOf } from './token';

/**
 * The Legnext Trigger's checks of a callback, before anything is read from Legnext: the token, the
 * size, the signature (when the credential has a Webhook Secret), the body, the node's filters
 * (whether this job and status already started an execution: ./dedupe.ts).
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

	const callback = receivedCallback(ctx);
	if (callbackBytes(callback) > MAX_CALLBACK_BYTES) {
		return { refuse: 413, body: { error: 'Callback body over 1 MB' } };
	}
	const webhookSecret = await webhookSecretOf(ctx);
	if (webhookSecret) {
		const signature = checkSignature(webhookSecret, callback.raw, callback.headers, Date.now());
		if (!signature.valid) return { refuse: 401, body: { error: signature.reason } };
	}
	// Read whatever the content type says: a JSON job is a callback even when sent as text or without a type.
	const hint = jobFromCallback(callback.body);
	if (!hint) return { refuse: 400, body: { error: 'Not a Legnext job: expected {timestamp, data: job} or a job, as JSON' } };

	const statuses = (ctx.getNodeParameter('statuses', ['completed', 'failed', 'canceled']) as string[]).map(normalStatus);
	const taskTypes = (ctx.getNodeParameter('taskTypes', []) as string[]).map(normalTaskType);
	if (!statuses.includes(normalStatus(hint.status)) || (taskTypes.length && !taskTypes.includes(normalTaskType(hint.task_type)))) {
		return { refuse: 200, body: { received: true, started: false, reason: 'status or task type not selected' } };
	}
	return { hint, reference };
}
