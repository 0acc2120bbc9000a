import type { IWebhookFunctions } from 'n8n-workflow';

import { normalStatus, type LegnextJob } from '../shared/job';

/*
 * Dedupe: which (job, status) pairs already started a run, so a callback Legnext repeats (or anyone
 * replays) starts one execution. A callback is claimed before the answer, so its duplicate arriving
 * together is answered "duplicate" at once and does no work; a claim whose callback Legnext then
 * contradicts is released.
 *
 * The window covers a job's whole life and Legnext's retries with room to spare: a job runs at most
 * hours (--relax queues, long videos), and its callback can only be replayed while someone holds it.
 * The record is bounded by count too: static data is saved with every execution of the workflow.
 */
interface SeenCallbacks {
	/** `<job ID>:<status>` → when it was first seen (ms). */
	[key: string]: number;
}

export const DEDUPE_WINDOW_MS = 48 * 60 * 60 * 1000;
/** About 60 bytes each in the workflow's static data: at most ~120 KB. */
export const MAX_SEEN = 2_000;
const seenByTrigger = new Map<string, SeenCallbacks>();

// Normalised: the same callback replayed as "Completed" or "COMPLETED " is the same ending.
const keyOf = (job: LegnextJob) => `${job.job_id}:${normalStatus(job.status)}`;

function prune(seen: SeenCallbacks, now: number): void {
	for (const [key, at] of Object.entries(seen)) {
		if (now - at > DEDUPE_WINDOW_MS) delete seen[key];
	}
	// Keys keep their insertion order (also through JSON): the first ones are the oldest.
	const keys = Object.keys(seen);
	for (const old of keys.slice(0, Math.max(0, keys.length - MAX_SEEN))) delete seen[old];
}

/** Records the key unless it is already there; false when it was. */
export function firstTimeSeen(seen: SeenCallbacks, key: string, now: number): boolean {
	if (seen[key] !== undefined && now - seen[key] <= DEDUPE_WINDOW_MS) return false;
	seen[key] = now;
	prune(seen, now);
	return true;
}

function records(ctx: IWebhookFunctions) {
	const staticData = ctx.getWorkflowStaticData('global');
	const trigger = `${ctx.getWorkflow().id}:${ctx.getNode().name}`;
	if (!seenByTrigger.has(trigger)) seenByTrigger.set(trigger, {});
	return { staticData, inProcess: seenByTrigger.get(trigger)! };
}

/**
 * Two copies of a callback may arrive together, each with its own copy of the static data: the
 * process-wide record catches those, the static data (saved by n8n after webhook()) the ones after
 * a restart or in another process.
 */
export function claimCallback(ctx: IWebhookFunctions, job: LegnextJob): boolean {
	const { staticData, inProcess } = records(ctx);
	const stored = { ...(staticData.legnextSeenCallbacks as SeenCallbacks | undefined) };
	const now = Date.now();
	const key = keyOf(job);
	if (stored[key] !== undefined && now - stored[key] <= DEDUPE_WINDOW_MS) return false;
	if (!firstTimeSeen(inProcess, key, now)) return false;
	firstTimeSeen(stored, key, now);
	// A new first-level value, so n8n notices the change and saves it.
	staticData.legnextSeenCallbacks = stored;
	return true;
}

/** The callback started nothing (Legnext contradicted it): a genuine one may still come. */
export function releaseCallback(ctx: IWebhookFunctions, job: LegnextJob): void {
	const { staticData, inProcess } = records(ctx);
	const key = keyOf(job);
	delete inProcess[key];
	const stored = { ...(staticData.legnextSeenCallbacks as SeenCallbacks | undefined) };
	delete stored[key];
	staticData.legnextSeenCallbacks = stored;
}
