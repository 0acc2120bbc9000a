import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookDescription } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { clock } from '../../shared/clock';
import type { LegnextJob } from '../../shared/job';
import { errorItem, type Outcome } from '../../shared/output';
import type { RunSettings } from '../../shared/parameters';
import { scheduleFinalCheck } from './finalCheck';
import { readReference } from '../../shared/reference';
import { signResumeReference } from './resumeReference';

/**
 * "Pause until callback", the half in execute(): every job is sent with n8n's resume URL as its
 * `callback`, and the execution waits in n8n's database instead of holding a worker. Legnext's
 * callback wakes the node's webhook() (./resume.ts), possibly in another n8n process.
 *
 * Between the two halves the jobs travel in the node's input items, which n8n saves with the
 * waiting execution: each becomes `{error, details, jobId, deadline}`. If n8n itself ends the wait
 * (the node's own final check was lost with a restart), those items flow on as they are: a clear
 * item per job that names it.
 */

/** The resume URL Legnext calls back. n8n serves it for one waiting execution; nothing is registered. */
export const RESUME_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** n8n's own resume comes this long after the node's final check, as a fallback. */
const FALLBACK_GRACE_MS = 2 * 60_000;

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '0.0.0.0', '[::1]', '::1'];

function isLocal(url: string): boolean {
	try {
		return LOCAL_HOSTS.includes(new URL(url).hostname);
	} catch {
		return false;
	}
}

/**
 * The URL that resumes this execution at this node. n8n 2.x accepts `getSignedResumeUrl()` only
 * for its own send-and-wait operations; for other nodes it checks the execution's resume token,
 * which `$execution.resumeUrl` carries. The path ends with the node's ID, the webhook's path.
 */
function resumeUrlOf(ctx: IExecuteFunctions): string {
	const url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
	return url.toString();
}

export async function pause(ctx: IExecuteFunctions, outcomes: Outcome[], settings: RunSettings): Promise<INodeExecutionData[][]> {
	const deadline = Date.now() + settings.timeLimitMs / clock.timeScale;
	const minutes = settings.timeLimitMs / 60_000;

	// What webhook() needs, in new items: the input items themselves are never changed (a retry of
	// the node must evaluate its expressions, and its ledger must recognise them, as the first try did).
	const stash = outcomes.map((outcome, itemIndex) => {
		const job = 'job' in outcome ? outcome.job : undefined;
		if ('error' in outcome) return errorItem(outcome.error, itemIndex, job);
		return job ? stashItem(job, minutes, deadline, itemIndex, readReference(ctx, itemIndex)) : { json: {}, pairedItem: { item: itemIndex } };
	});
	// Nothing was sent (every item invalid or refused, with Continue On Fail): no callback will come.
	if (!outcomes.some((outcome) => 'job' in outcome && outcome.job && !('error' in outcome))) return [stash];
	await ctx.putExecutionToWait(new Date(deadline + FALLBACK_GRACE_MS));
	await scheduleFinalCheck(ctx, resumeUrlOf(ctx), deadline);

	// Last, once nothing can fail any more: the stash becomes the input of the node's entry in the
	// execution's stack (a new list; the input list and its items stay untouched), which n8n stores
	// with the waiting execution and hands to webhook() — or passes on as it is if n8n ends the wait
	// itself. The output shown while waiting has no `error` field: n8n's Retry On Fail would take it
	// for a failed run and run the node again.
	const waiting = ctx.getExecuteData();
	waiting.data = { ...waiting.data, main: [stash, ...(waiting.data.main ?? []).slice(1)] };
	return [stash.map(waitingItem)];
}

/** An item of the output shown while the execution waits (replaced by the jobs when it resumes). */
function waitingItem(item: INodeExecutionData): INodeExecutionData {
	const { error, details, ...rest } = item.json;
	const json: IDataObject = error === undefined ? rest : { ...rest, failed: error, ...(details === undefined ? {} : { details }) };
	if (rest.jobId !== undefined) json.waitingFor = `Legnext's callback for job ${String(rest.jobId)}`;
	return { json, pairedItem: item.pairedItem };
}

/** The callback of every job: the resume URL (with the job's signed reference), checked before anything is sent. */
export async function pauseCallbackUrl(ctx: IExecuteFunctions, itemIndex = 0, reference?: string): Promise<string> {
	const resumeUrl = resumeUrlOf(ctx);
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	// A Legnext on this machine (a proxy, the simulator) can call a local n8n; Legnext's cloud cannot.
	if (isLocal(resumeUrl) && !isLocal(String(credentials.baseUrl ?? ''))) {
		throw new NodeOperationError(ctx.getNode(), 'Legnext cannot reach this n8n to call back: its webhook address is local', {
			description: `n8n's resume URL is ${new URL(resumeUrl).origin}, which only this machine can open. Set N8N_WEBHOOK_URL (n8n 2.x) or WEBHOOK_URL (n8n 1.123) to n8n's public https address and restart n8n, or choose "Poll Until Done" under "Wait for Result".`,
			itemIndex,
		});
	}
	return reference ? signResumeReference(ctx, resumeUrl, String(credentials.apiKey ?? ''), reference) : resumeUrl;
}

function stashItem(job: LegnextJob, minutes: number, deadline: number, itemIndex: number, reference: string | undefined): INodeExecutionData {
	const json: IDataObject = {
		error: `No callback from Legnext for job ${job.job_id} within ${minutes} min (item ${itemIndex})`,
		details: `n8n ended the wait before the node could read the job, which may have finished: pick it up with a Legnext node set to Job → Get and Job ID ${job.job_id}.`,
		jobId: job.job_id,
		deadline,
	};
	// Kept with the waiting execution (n8n's database): the resume puts it on the job's output item.
	if (reference !== undefined) json.reference = reference;
	return { json, pairedItem: { item: itemIndex } };
}

