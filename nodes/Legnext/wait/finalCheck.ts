import { createHmac } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { cancellableSleep } from '../../shared/clock';

/**
 * The final check of "Pause until callback": at the time limit the node calls its own resume URL
 * so webhook() decides with one last status check, even for jobs whose callback was lost. Both
 * halves live here: scheduling it (execute) and honouring it (webhook), and what this process
 * remembers of the resumes it ran, so that a timer does nothing once its execution resumed.
 */

/** Query parameter of the node's own call; its value is the signature below. */
const FINAL_CHECK = 'legnextFinalCheck';

/** Only the node (which holds the API key) can sign, for this execution, node and deadline. */
function signature(apiKey: string, executionId: string, nodeId: string, deadline: number): string {
	return createHmac('sha256', apiKey).update(`legnext-final-check:${executionId}:${nodeId}:${deadline}`).digest('hex');
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

/** The final checks this process has scheduled and not yet made, to be called off on resume. */
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
	const { apiKey } = await ctx.getCredentials(CREDENTIAL_TYPE);
	const executionId = ctx.getExecutionId();
	const key = pauseKey(executionId, ctx.getNode().id, deadline);
	const url = new URL(resumeUrl);
	url.searchParams.set(FINAL_CHECK, signature(String(apiKey ?? ''), executionId, ctx.getNode().id, deadline));
	const stop = new AbortController();
	finalChecks.set(key, stop);
	void cancellableSleep(Math.max(0, deadline - Date.now()), stop.signal)
		.then(async () => {
			finalChecks.delete(key);
			if (resumes.get(key) === 'resumed') return;
			await ctx.helpers.httpRequest({ method: 'POST', url: url.toString(), body: {}, json: true });
		})
		.catch(() => {
			// Resumed in another process meanwhile, or stopped: nothing to do.
		});
}

/** A final check counts only when the node signed it and its time has come: a forged one ends nothing. */
export async function isFinalCheck(ctx: IWebhookFunctions, executionId: string, deadline: number): Promise<boolean> {
	const given = String((ctx.getQueryData() as IDataObject)[FINAL_CHECK] ?? '');
	if (!given || !Number.isFinite(deadline) || Date.now() < deadline - 1_000) return false;
	const { apiKey } = await ctx.getCredentials(CREDENTIAL_TYPE);
	return given === signature(String(apiKey ?? ''), executionId, ctx.getNode().id, deadline);
}
