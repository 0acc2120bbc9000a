import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookDescription } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { clock } from '../../shared/clock';
import type { LegnextJob } from '../../shared/job';
import { errorItem, type Outcome } from '../../shared/output';
import { scheduleChecks } from './finalCheck';
import type { ItemSettings } from './settings';
import { readReference } from '../../shared/reference';
import { legnextCanReach } from '../../shared/localUrl';
import { signResumeReference } from './resumeReference';

/**
 * "Pause until callback", the half in execute(): every job is sent with n8n's resume URL as its
 * `callback`, and the execution waits in n8n's database instead of holding a worker. Legnext's
 * callback wakes the node's webhook() (./resume.ts), possibly in another n8n process.
 *
 * Between the two halves the jobs travel in the node's input items, which n8n saves with the
 * waiting execution: each becomes `{error, details, jobId}`. If n8n itself ends the wait (the node's
 * own final check was lost with a restart), those items flow on as they are: a clear item per job
 * that names it. What only webhook() reads (the pause's deadline, the item's own wait) is kept beside
 * the item's JSON, not in it, so that it does not show in those items.
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

/**
 * An item's own wait, kept under one field for webhook(): its deadline, its time limit and its output
 * settings, as execute() read them from the item (./settings.ts). Paused by an earlier version of the
 * node, it is in the stash item's JSON.
 */
export const STASHED_WAIT = 'legnextWait';

export interface StashedWait extends ItemSettings {
	/** When the item's Time Limit ends (ms, n8n's clock). */
	deadline: number;
}

/**
 * Where a stash item keeps what only webhook() reads: a field of the item beside `json`, which n8n
 * saves with the waiting execution and hands to webhook() (`$input.all()`), but which no one sees
 * in the item's data when n8n ends the wait itself and the item flows on.
 */
export const STASHED_PAUSE = 'legnextPause';

export interface StashedPause {
	/** The pause's deadline, the latest item's (its identity, ./finalCheck.ts pauseKey). */
	deadline: number;
	[STASHED_WAIT]: StashedWait;
}

export async function pause(ctx: IExecuteFunctions, outcomes: Outcome[], settings: Array<ItemSettings | undefined>): Promise<INodeExecutionData[][]> {
	const pausedAt = Date.now();
	const deadlineOf = (itemSettings: ItemSettings) => pausedAt + itemSettings.timeLimitMs / clock.timeScale;
	const sent = outcomes.flatMap((outcome, itemIndex) => ('job' in outcome && outcome.job && !('error' in outcome) ? [itemIndex] : []));
	// The pause lasts until the latest item's deadline; that deadline is also its identity (./finalCheck.ts).
	const deadlines = sent.map((itemIndex) => deadlineOf(settings[itemIndex] as ItemSettings));
	const deadline = Math.max(pausedAt, ...deadlines);

	// What webhook() needs, in new items: the input items themselves are never changed (a retry of
	// the node must evaluate its expressions, and its ledger must recognise them, as the first try did).
	const stash = outcomes.map((outcome, itemIndex) => {
		const job = 'job' in outcome ? outcome.job : undefined;
		if ('error' in outcome) return errorItem(outcome.error, itemIndex, job);
		const itemSettings = settings[itemIndex] as ItemSettings;
		const wait: StashedWait = { ...itemSettings, deadline: deadlineOf(itemSettings) };
		return job ? stashItem(job, wait, deadline, itemIndex, readReference(ctx, itemIndex)) : { json: {}, pairedItem: { item: itemIndex } };
	});
	// Nothing was sent (every item invalid or refused, with Continue On Fail): no callback will come.
	if (!sent.length) return [stash];
	await ctx.putExecutionToWait(new Date(deadline + FALLBACK_GRACE_MS));
	await scheduleChecks(ctx, resumeUrlOf(ctx), deadline, deadlines);

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
	// The same check as for a binary file's URL: a private or local address, unless Legnext is local too.
	if (!(await legnextCanReach(ctx, resumeUrl))) {
		throw new NodeOperationError(ctx.getNode(), 'Legnext cannot reach this n8n to call back: its webhook address is local', {
			description: `n8n's resume URL is ${new URL(resumeUrl).origin}, which only this machine or network can open. Set N8N_WEBHOOK_URL (n8n 2.x) or WEBHOOK_URL (n8n 1.123) to n8n's public https address and restart n8n, or choose "Poll Until Done" under "Wait for Result".`,
			itemIndex,
		});
	}
	return reference ? signResumeReference(ctx, resumeUrl, String(credentials.apiKey ?? ''), reference) : resumeUrl;
}

function stashItem(job: LegnextJob, wait: StashedWait, deadline: number, itemIndex: number, reference: string | undefined): INodeExecutionData {
	const minutes = Math.round((wait.timeLimitMs / 60_000) * 100) / 100;
	const json: IDataObject = {
		error: `No callback from Legnext for job ${job.job_id} within ${minutes} min (item ${itemIndex})`,
		details: `n8n ended the wait before the node could read the job, which may have finished: pick it up with a Legnext node set to Job → Get and Job ID ${job.job_id}.`,
		jobId: job.job_id,
	};
	// Kept with the waiting execution (n8n's database): the resume puts it on the job's output item.
	if (reference !== undefined) json.reference = reference;
	const kept: StashedPause = { deadline, [STASHED_WAIT]: wait };
	return { json, pairedItem: { item: itemIndex }, [STASHED_PAUSE]: kept as unknown as IDataObject };
}
