import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookDescription,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE, legnextRequest } from '../../shared/api';
import { clock } from '../../shared/clock';
import { isFailed, isTerminal, jobToJson, type LegnextJob } from '../../shared/job';
import { failedJobError } from '../wait/poll';
import { jobItems, readDownloadOptions } from '../../shared/results';
import { mapWithConcurrency } from './concurrency';
import { concurrencyOf, errorItem, submitOnce, timeLimitMsOf, type Prepared } from './router';

/**
 * "Pause until callback": every job is sent with n8n's resume URL as its `callback`, and the
 * execution waits in n8n's database instead of holding a worker. Legnext's callback wakes the
 * node's webhook(), which reads the jobs from the API (a callback is only a hint: it may be
 * forged, lost, repeated or arrive for one job of many) and resumes once all have ended.
 *
 * Between the two halves the jobs travel in the node's input items: n8n saves them with the
 * waiting execution and hands them to webhook(), and if n8n itself resumes the execution at its
 * wait limit (a restart lost the node's own final check), they flow on as clear error items.
 */

/**
 * The resume URL Legnext calls back. A restart webhook belongs to one waiting execution; n8n
 * serves it without registering anything at Legnext, so it needs no webhookMethods.
 */
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

/** Query flag of the node's own call at the time limit: decide now, with one last status check. */
const FINAL_CHECK = 'legnextFinalCheck';
/** n8n's own resume comes this long after the node's final check, as a fallback. */
const FALLBACK_GRACE_MS = 2 * 60_000;
const STASH_KEY = 'legnextPendingJob';

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
function resumeUrlOf(ctx: IExecuteFunctions, query: Record<string, string> = {}): string {
	const url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
	for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
	return url.toString();
}

export async function pauseUntilCallback(ctx: IExecuteFunctions, prepared: Prepared[]): Promise<INodeExecutionData[][]> {
	const resumeUrl = resumeUrlOf(ctx);
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	// A Legnext on this machine (a proxy, the simulator) can call a local n8n; Legnext's cloud cannot.
	if (isLocal(resumeUrl) && !isLocal(String(credentials.baseUrl ?? ''))) {
		throw new NodeOperationError(ctx.getNode(), 'Legnext cannot reach this n8n to call back: its webhook address is local', {
			description: `n8n's resume URL is ${new URL(resumeUrl).origin}, which only this machine can open. Set N8N_WEBHOOK_URL (or WEBHOOK_URL) to n8n's public https address and restart n8n, or choose "Poll Until Done" under "Wait for Result".`,
		});
	}
	const timeLimitMs = timeLimitMsOf(ctx, 0);
	const concurrency = concurrencyOf(ctx);

	const submitted = await mapWithConcurrency(prepared, concurrency, async (entry, itemIndex) => {
		if ('error' in entry) return entry;
		const request = { ...entry.request, body: { ...entry.request.body, callback: resumeUrl } };
		try {
			return { job: (await submitOnce(ctx, request, itemIndex)) as unknown as LegnextJob };
		} catch (error) {
			return { error: error as Error };
		}
	});
	const failedSubmit = submitted.find((outcome) => 'error' in outcome);
	if (failedSubmit && 'error' in failedSubmit && !ctx.continueOnFail()) throw failedSubmit.error;

	// Replace the input items with what webhook() needs; n8n stores them with the waiting execution.
	const items = ctx.getInputData();
	const minutes = timeLimitMs / 60_000;
	submitted.forEach((outcome, itemIndex) => {
		items[itemIndex] =
			'job' in outcome
				? stashItem(ctx, outcome.job, minutes, itemIndex)
				: errorItem(outcome.error, itemIndex);
	});

	await ctx.putExecutionToWait(new Date(Date.now() + timeLimitMs / clock.timeScale + FALLBACK_GRACE_MS));
	scheduleFinalCheck(ctx, timeLimitMs);
	return [items];
}

function stashItem(ctx: IExecuteFunctions, job: LegnextJob, minutes: number, itemIndex: number): INodeExecutionData {
	return {
		json: {
			error: `Legnext did not call back for job ${job.job_id} within ${minutes} min (item ${itemIndex})`,
			details: `The job may still finish: pick it up with a Legnext node set to Job → Get and Job ID ${job.job_id}.`,
			[STASH_KEY]: jobToJson(job, 'simplified'),
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * At the time limit the node calls its own resume URL so webhook() makes one last status check.
 * If n8n restarted meanwhile this call is lost, and n8n's own resume a little later passes the
 * stashed items on as errors.
 */
function scheduleFinalCheck(ctx: IExecuteFunctions, timeLimitMs: number): void {
	const url = resumeUrlOf(ctx, { [FINAL_CHECK]: '1' });
	void sleep(timeLimitMs / clock.timeScale)
		.then(async () => await ctx.helpers.httpRequest({ method: 'POST', url, body: {}, json: true }))
		.catch(() => {
			// The execution already resumed (every job called back) or was stopped: nothing to do.
		});
}

function timeLimitError(ctx: IWebhookFunctions, job: LegnextJob, itemIndex: number): NodeOperationError {
	const minutes = Number(ctx.getNodeParameter('timeLimitMinutes', 15));
	return new NodeOperationError(
		ctx.getNode(),
		`Job ${job.job_id} was still "${job.status}" after ${minutes} min, the time limit (item ${itemIndex})`,
		{
			description: `Legnext did not call back in time. The job was not sent again and may still finish: pick it up with a Legnext node set to Job → Get and Job ID ${job.job_id}, or raise "Time Limit (Minutes)".`,
			itemIndex,
		},
	);
}

function readStash(ctx: IWebhookFunctions): INodeExecutionData[] {
	const items = ctx.evaluateExpression('{{ $input.all() }}', 0);
	return Array.isArray(items) ? (items as INodeExecutionData[]) : [];
}

export async function resumeOnCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const finalCheck = (ctx.getQueryData() as IDataObject)[FINAL_CHECK] === '1';
	// Answer Legnext at once; reading jobs and downloading files may take a while.
	ctx.getResponseObject().status(200).json({ received: true });

	const stash = readStash(ctx);
	const jobs = await Promise.all(
		stash.map(async (item, itemIndex) => {
			const pending = item.json?.[STASH_KEY] as IDataObject | undefined;
			if (!pending?.jobId) return undefined;
			return await legnextRequest<LegnextJob>(
				ctx,
				{ method: 'GET', path: `/api/v1/job/${String(pending.jobId)}` },
				{ kind: 'read', itemIndex },
			);
		}),
	);
	const allEnded = jobs.every((job) => job === undefined || isTerminal(job));
	// Not all jobs have ended: keep waiting for the next callback (or the final check).
	if (!allEnded && !finalCheck) return { noWebhookResponse: true };

	const simplify = (ctx.getNodeParameter('options', {}) as IDataObject).simplify !== false;
	const downloads = readDownloadOptions(ctx);
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, job] of jobs.entries()) {
		if (!job) {
			output.push({ ...stash[itemIndex], pairedItem: { item: itemIndex } });
		} else if (!isTerminal(job)) {
			output.push(errorItem(timeLimitError(ctx, job, itemIndex), itemIndex));
		} else if (isFailed(job)) {
			output.push(errorItem(failedJobError(ctx, job, itemIndex), itemIndex));
		} else {
			try {
				output.push(...(await jobItems(ctx, job, jobToJson(job, simplify ? 'simplified' : 'raw'), downloads, itemIndex)));
			} catch (error) {
				output.push(errorItem(error as Error, itemIndex));
			}
		}
	}
	return { noWebhookResponse: true, workflowData: [output] };
}
