import { createHmac } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { cancellableSleep, clock } from '../../shared/clock';

/**
 * The final check of "Pause until callback": at the time limit the node calls its own resume URL
 * so webhook() decides with one last status check, even for jobs whose callback was lost. Both
 * halves live here: scheduling it (execute) and honouring it (webhook), and what this process
 * remembers of the resumes it ran, so that a timer does nothing once its execution resumed.
 */

/** Query parameter of the node's own call; its value is the signature below. */
const FINAL_CHECK = 'legnextFinalCheck';
/** A check before the deadline says when it was due (ms); the signature covers it. */
const CHECK_AT = 'legnextCheckAt';

/** Only the node (which holds the API key) can sign, for this execution, node, deadline (and time of check). */
function signature(apiKey: string, executionId: string, nodeId: string, deadline: number, checkAt?: number): string {
	const check = checkAt === undefined ? '' : `:${checkAt}`;
	return createHmac('sha256', apiKey).update(`legnext-final-check:${executionId}:${nodeId}:${deadline}${check}`).digest('hex');
}

const MAX_RESUMES = 5_000;
const resumes = new Map<string, 'resuming' | 'resumed'>();

export function isResuming(key: string): boolean {
	return resumes.has(key);
}

/** Marks the start of a resume in this process; false when one is already under way or done. */
export function startResume(key: string): boolean {
	if (resumes.has(key)) return false;
	resumes.set(key, 'resuming');
	while (resumes.size > MAX_RESUMES) resumes.delete(resumes.keys().next().value as string);
	return true;
}

export function endResume(key: string, resumed: boolean): void {
	if (!resumed) {
		resumes.delete(key);
		return;
	}
	resumes.set(key, 'resumed');
	// The final check's callback holds execute()'s context (the execution's items and run data) until
	// its timer fires, up to the time limit: end its wait now, and that context can be collected. The
	// reason is a plain string: abort() without one makes a DOMException whose stack keeps this call's
	// frames, webhook()'s context among them, for as long as the timer holds the signal.
	finalChecks.get(key)?.abort('resumed');
	finalChecks.delete(key);
}

/** The checks this process has scheduled and not yet made, one controller per pause, to be called off on resume. */
const finalChecks = new Map<string, AbortController>();

/**
 * One pause of one node in one execution. The deadline tells pauses apart: the same node may pause
 * again in the same execution (inside a loop), and that pause has its own callbacks and final check.
 */
export function pauseKey(executionId: string, nodeId: string, deadline: number): string {
	return `${executionId}:${nodeId}:${deadline}`;
}

/**
 * At the deadline, calls the resume URL with the signed flag. If n8n restarted meanwhile the call
 * is lost, and n8n's own resume a little later passes the stashed items on.
 */
export async function scheduleFinalCheck(ctx: IExecuteFunctions, resumeUrl: string, deadline: number): Promise<void> {
	await scheduleCheck(ctx, resumeUrl, deadline, deadline);
}

/**
 * A check reads every job and resumes only once each has ended or passed its own item's deadline.
 * A few seconds after the pause, and again later: a job that ended while execute() was still running
 * (a slow submit answer, a job that fails at once) called back before the execution waited, and n8n
 * refused that callback (409 "is running already"); Legnext documents no retry of a refused callback.
 */
/** Job time (see ../../shared/clock.ts): real time in n8n. */
const EARLY_CHECKS_MS = [5_000, 30_000, 120_000];
/** Items with an earlier Time Limit than the pause's are cut at their own deadline: at most this many checks for them. */
const MAX_ITEM_DEADLINE_CHECKS = 10;

/** Every check of one pause: early ones, one at each item's own deadline, and the final check at the pause's deadline. */
export async function scheduleChecks(ctx: IExecuteFunctions, resumeUrl: string, deadline: number, itemDeadlines: number[]): Promise<void> {
	const now = Date.now();
	const early = EARLY_CHECKS_MS.map((delay) => now + delay / clock.timeScale);
	const items = spread([...new Set(itemDeadlines)].sort((a, b) => a - b), MAX_ITEM_DEADLINE_CHECKS);
	const times = [...new Set([...early, ...items])].filter((at) => at < deadline);
	for (const at of times) await scheduleCheck(ctx, resumeUrl, deadline, at);
	await scheduleFinalCheck(ctx, resumeUrl, deadline);
}

/** At most `count` of the sorted times, spread over them, the last one kept. */
function spread(times: number[], count: number): number[] {
	if (times.length <= count) return times;
	return Array.from({ length: count }, (_, k) => times[Math.ceil(((k + 1) * times.length) / count) - 1]);
}

async function scheduleCheck(ctx: IExecuteFunctions, resumeUrl: string, deadline: number, checkAt: number): Promise<void> {
	const { apiKey } = await ctx.getCredentials(CREDENTIAL_TYPE);
	const executionId = ctx.getExecutionId();
	const key = pauseKey(executionId, ctx.getNode().id, deadline);
	const url = new URL(resumeUrl);
	const final = checkAt >= deadline;
	url.searchParams.set(FINAL_CHECK, signature(String(apiKey ?? ''), executionId, ctx.getNode().id, deadline, final ? undefined : checkAt));
	if (!final) url.searchParams.set(CHECK_AT, String(checkAt));
	let stop = finalChecks.get(key);
	if (!stop) finalChecks.set(key, (stop = new AbortController()));
	const signal = stop.signal;
	void cancellableSleep(Math.max(0, checkAt - Date.now()), signal)
		.then(async () => {
			if (final) finalChecks.delete(key);
			if (resumes.get(key) === 'resumed') return;
			await ctx.helpers.httpRequest({ method: 'POST', url: url.toString(), body: {}, json: true });
		})
		.catch(() => {
			// Resumed in another process meanwhile, refused while the execution still ran (409), or stopped: nothing to do.
		});
}

/** What a call to the resume URL is: the node's own final check, one of its earlier checks, or anything else (a callback). */
export type Check = 'final' | 'early' | undefined;

/** A check counts only when the node signed it and its time has come: a forged one ends nothing. */
export async function checkOf(ctx: IWebhookFunctions, executionId: string, deadline: number): Promise<Check> {
	const query = ctx.getQueryData() as IDataObject;
	const given = String(query[FINAL_CHECK] ?? '');
	if (!given || !Number.isFinite(deadline)) return undefined;
	const checkAt = query[CHECK_AT] === undefined ? undefined : Number(query[CHECK_AT]);
	if (checkAt !== undefined && !Number.isFinite(checkAt)) return undefined;
	if (Date.now() < (checkAt ?? deadline) - 1_000) return undefined;
	const { apiKey } = await ctx.getCredentials(CREDENTIAL_TYPE);
	if (given !== signature(String(apiKey ?? ''), executionId, ctx.getNode().id, deadline, checkAt)) return undefined;
	return checkAt === undefined ? 'final' : 'early';
}
