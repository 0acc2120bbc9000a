import { isWaitingToStart, type LegnextJob } from '../../shared/job';
import { findTaskType } from '../../shared/taskTypes';

/** A task type without published durations. */
const OTHER_TASKS: [number, number] = [20, 120];

/**
 * Checks come at most this far apart while a job may have ended, so that the answer of the check that
 * sees it done is back within 5 s of the end even with a 0.5 s round trip to Legnext.
 */
export const CHECK_INTERVAL_MS = 4_500;
/**
 * No job ends sooner than this after it starts. Legnext's guidance for clients (first check at 10 s,
 * then every 5 s) is this schedule for a job about which nothing else is known.
 */
const SHORTEST_RUN_MS = 5_000;
/** The share of Legnext's shortest typical time that no job undercuts once started (see shortestRunMs). */
const SHORTEST_RUN_SHARE = 2 / 3;
/** Legnext's and Midjourney's times are whole seconds: a start read from them may be up to 1 s early. */
const TIMESTAMP_SLACK_MS = 1_000;

export function typicalDuration(taskType: string | undefined): { minMs: number; maxMs: number } {
	const [min, max] = findTaskType(taskType)?.typicalSeconds ?? OTHER_TASKS;
	return { minMs: min * 1000, maxMs: max * 1000 };
}

/** What the poll loop knows when it plans the next check. */
export interface PollState {
	taskType: string | undefined;
	/** The body that was sent: its prompt (`text`, `prompt` or `remixPrompt`) and `videoType`. */
	request?: Record<string, unknown>;
	/** Job time from the submit to the last check (0 before the first: the submit's answer is the job). */
	sinceSubmitMs: number;
	/** The job as the last check (or the submit) showed it. */
	job: LegnextJob;
}

/**
 * The shortest time a job of this request runs after it starts (an assumption: Legnext publishes typical
 * times only): two thirds of Legnext's shortest typical time, which includes the queue, at Midjourney's
 * Fast speed. `--turbo` renders up to 4× faster and `--draft` (v7) up to 10× faster. Relax mode is not
 * available on Legnext (its site); a `--relax` in a prompt changes nothing here (a queue shows as pending).
 * 720p videos take more GPU time than 480p. A job that runs faster than this is seen late by the difference.
 */
export function shortestRunMs(taskType: string | undefined, request: Record<string, unknown> = {}): number {
	const prompt = [request.text, request.prompt, request.remixPrompt].filter((p) => typeof p === 'string').join(' ');
	const flag = (name: string) => new RegExp(`(^|\\s)--${name}(\\s|$)`, 'i').test(prompt);
	// A task type Legnext has not documented: nothing known, so Legnext's guidance.
	if (!findTaskType(taskType)?.typicalSeconds) return SHORTEST_RUN_MS;
	let ms = Math.round(typicalDuration(taskType).minMs * SHORTEST_RUN_SHARE);
	if (flag('draft')) ms /= 10;
	else if (flag('turbo')) ms /= 4;
	if (Number(request.videoType) === 1) ms *= 1.5;
	return Math.max(SHORTEST_RUN_MS, ms);
}

/** Parsed job time, or undefined for Go's zero time ("0001-01-01T00:00:00Z"), "" or garbage. */
function timeOf(value: string | undefined): number | undefined {
	if (!value || value.startsWith('0001-01-01')) return undefined;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Job time from the last check to the next one. A check must come within CHECK_INTERVAL_MS of any
 * moment the job may have ended, and is useless before the job can have ended at all, so the next check
 * is CHECK_INTERVAL_MS after the later of the last check and the job's earliest possible end:
 * - started (`meta.started_at` set): the start, read as time since submit from Legnext's own
 *   `created_at` (no clock skew), plus the request's shortest run;
 * - still `pending`/`staged`/`queued` at the last check: that check plus the shortest run (queued jobs,
 *   are checked once per shortest run);
 * - otherwise (a status we do not know): the submit plus the shortest run.
 */
export function nextCheckDelay({ taskType, request, sinceSubmitMs, job }: PollState): number {
	const shortest = shortestRunMs(taskType, request);
	const created = timeOf(job.meta?.created_at);
	const started = timeOf(job.meta?.started_at);
	let earliestEnd = shortest;
	if (started !== undefined && created !== undefined) {
		earliestEnd = Math.max(0, started - created - TIMESTAMP_SLACK_MS) + shortest;
	} else if (isWaitingToStart(job)) {
		earliestEnd = sinceSubmitMs + shortest;
	}
	return Math.max(0, earliestEnd - sinceSubmitMs) + CHECK_INTERVAL_MS;
}
