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

/**
 * Remembers which (job, status) pairs already started a run, so a callback Legnext repeats starts
 * one execution. Bounded: old entries expire after the window, and the oldest go first when full.
 */
export interface SeenCallbacks {
	[key: string]: number;
}

const DEDUPE_WINDOW_MS = 60 * 60 * 1000;
const MAX_SEEN = 500;

export function firstTimeSeen(seen: SeenCallbacks, job: LegnextJob, now: number): boolean {
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
