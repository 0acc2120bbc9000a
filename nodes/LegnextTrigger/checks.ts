import { timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { callbackBytes, jobFromCallback, MAX_CALLBACK_BYTES, receivedCallback } from '../shared/callbackBody';
import { checkSignature } from '../shared/callbackSignature';
import { normalStatus, type LegnextJob } from '../shared/job';
import { normalTaskType } from '../shared/taskTypes';
import { callbackToken, REFERENCE_PARAM, TRIGGER_PATH_PREFIX } from '../shared/triggerUrl';

/**
 * The Legnext Trigger's checks of a callback, before anything is read from Legnext: the token, the
 * size, the signature (when the credential has a Webhook Secret), the body, the node's filters; and
 * after verification, whether this job and status already started an execution.
 */

/** `reference`: the job's Reference from the callback URL, covered by the token. */
export type CheckResult = { hint: LegnextJob; reference?: string } | { refuse: number; body: IDataObject };

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

export async function checkCallback(ctx: IWebhookFunctions): Promise<CheckResult> {
	const query = ctx.getQueryData() as IDataObject;
	const token = String(query.token ?? '');
	const rawReference = query[REFERENCE_PARAM];
	if (rawReference !== undefined && typeof rawReference !== 'string') return { refuse: 401, body: { error: 'Missing or wrong token' } };
	const reference = rawReference || undefined;
	const { apiKey, webhookSecret } = await ctx.getCredentials(CREDENTIAL_TYPE);
	// The token covers the reference: one that was changed, added or removed no longer matches.
	const expected = callbackToken(String(apiKey ?? ''), `${TRIGGER_PATH_PREFIX}/${ctx.getWorkflow().id}`, reference);
	if (!token || !sameSecret(token, expected)) return { refuse: 401, body: { error: 'Missing or wrong token' } };

	const callback = receivedCallback(ctx);
	if (callbackBytes(callback) > MAX_CALLBACK_BYTES) {
		return { refuse: 413, body: { error: 'Callback body over 1 MB' } };
	}
	if (webhookSecret) {
		const signature = checkSignature(String(webhookSecret), callback.raw, callback.headers, Date.now());
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

/*
 * Dedupe: which (job, status) pairs already started a run, so a callback Legnext repeats starts one
 * execution. Bounded: old entries expire after the window, and the oldest go first when full.
 */
interface SeenCallbacks {
	[key: string]: number;
}

const DEDUPE_WINDOW_MS = 60 * 60 * 1000;
const MAX_SEEN = 500;
const seenByTrigger = new Map<string, SeenCallbacks>();

function firstTimeSeen(seen: SeenCallbacks, job: LegnextJob, now: number): boolean {
	for (const [key, at] of Object.entries(seen)) {
		if (now - at > DEDUPE_WINDOW_MS) delete seen[key];
	}
	const key = `${job.job_id}:${job.status}`;
	if (seen[key] !== undefined) return false;
	seen[key] = now;
	const keys = Object.keys(seen);
	if (keys.length > MAX_SEEN) {
		keys
			.sort((a, b) => seen[a] - seen[b])
			.slice(0, keys.length - MAX_SEEN)
			.forEach((old) => delete seen[old]);
	}
	return true;
}

/**
 * Two copies of a callback may arrive together, each with its own copy of the static data: the
 * process-wide record catches those, the static data (saved by n8n after webhook()) the ones after
 * a restart or in another process.
 */
export function isFirstCallback(ctx: IWebhookFunctions, job: LegnextJob): boolean {
	const staticData = ctx.getWorkflowStaticData('global');
	const trigger = `${ctx.getWorkflow().id}:${ctx.getNode().name}`;
	if (!seenByTrigger.has(trigger)) seenByTrigger.set(trigger, {});
	const seenStored = { ...(staticData.legnextSeenCallbacks as SeenCallbacks | undefined) };
	const now = Date.now();
	if (!firstTimeSeen(seenByTrigger.get(trigger)!, job, now) || !firstTimeSeen(seenStored, job, now)) return false;
	// A new first-level value, so n8n notices the change and saves it.
	staticData.legnextSeenCallbacks = seenStored;
	return true;
}
