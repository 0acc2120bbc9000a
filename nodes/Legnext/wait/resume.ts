import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_TYPE, getJob } from '../../shared/api';
import { clock } from '../../shared/clock';
import { jobFromCallback, receivedCallback, type ReceivedCallback } from '../../shared/callbackBody';
import { checkSignature } from '../../shared/callbackSignature';
import { isFailed, isTerminal, toTimestamp, type LegnextJob } from '../../shared/job';
import { endedPastTimeLimitError, failedJobError, timeLimitError, unreadJobError } from '../../shared/jobErrors';
import { outputItems, type Outcome } from '../../shared/output';
import { readOutputSettings, type OutputSettings } from '../../shared/parameters';
import { checkOf, endResume, isResuming, pauseKey, startResume, type Check } from './finalCheck';
import { STASHED_PAUSE, STASHED_WAIT, type StashedPause, type StashedWait } from './pause';
import { resumeReferenceIntact } from './resumeReference';
import { withReference } from '../../shared/reference';

/**
 * "Pause until callback", the half in webhook(): a call to the resume URL. A callback is only a
 * hint (it may be forged, lost, repeated, or arrive for one job of many): the jobs are read from
 * Legnext, and the execution resumes once all have ended, or at the node's final check.
 *
 * Nothing may pass from execute() in memory (in queue mode this may be another process). What this
 * process remembers only saves work: jobs it has seen ended (an ended job never changes) and
 * executions it is resuming or has resumed.
 */

interface Stashed {
	jobId?: string;
	/** The pause's deadline (its identity). */
	deadline?: number;
	reference?: string;
	[STASHED_WAIT]?: StashedWait;
}

/**
 * What this process has read, to read less: jobs seen ended (an ended job never changes), and when a
 * job was last seen running. A job seen running a moment ago will call back itself when it ends, so
 * another job's callback need not read it again; after a while it is read again, in case its own
 * callback was lost. 90 s (job time) covers how far apart the jobs of one batch usually end (images
 * run 30–90 s), so a batch costs about one read per job; a lost callback is still caught by a later
 * callback after that, or by the final check at the time limit. An execution's jobs are forgotten once
 * it has resumed here (its later callbacks stop at isResuming), so these hold the jobs of executions
 * still waiting, not up to 5,000 ended jobs (about 8 MB) for good.
 */
const MAX_REMEMBERED = 5_000;
const RUNNING_FRESH_MS = 90_000;
const endedJobs = new Map<string, LegnextJob>();
const seenRunning = new Map<string, number>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
	map.delete(key);
	map.set(key, value);
	while (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
}

/** Callbacks of jobs that end together arrive together: a read already under way is shared. */
const readsUnderWay = new Map<string, Promise<LegnextJob>>();

async function readJob(ctx: IWebhookFunctions, jobId: string, itemIndex: number): Promise<LegnextJob> {
	let read = readsUnderWay.get(jobId);
	if (!read) {
		read = getJob(ctx, jobId, itemIndex).finally(() => readsUnderWay.delete(jobId));
		readsUnderWay.set(jobId, read);
	}
	return await read;
}

const recentlyRunning = (jobId: string) => clock.now() - (seenRunning.get(jobId) ?? -Infinity) < RUNNING_FRESH_MS;

function readStash(ctx: IWebhookFunctions): INodeExecutionData[] {
	const items = ctx.evaluateExpression('{{ $input.all() }}', 0);
	return Array.isArray(items) ? (items as INodeExecutionData[]) : [];
}

/**
 * The jobs' current states, read as few times as possible: the job that called back first, then the
 * others from the last one sent (the likeliest to be still running), stopping at the first job that
 * has not ended — or that was seen running a moment ago — unless this is the final check, which
 * reads every job. A job past its own item's deadline counts as ended (a time-limit error item).
 * About one read per job over the whole wait. A check of the node's own reads jobs seen running a
 * moment ago too: their callbacks may have come while n8n refused them.
 */
async function currentJobs(
	ctx: IWebhookFunctions,
	items: ItemWait[],
	calledBack: string | undefined,
	check: Check,
	/** The ending the callback reported: the called-back job is read again while the API lags behind it. */
	calledBackStatus?: string,
): Promise<Array<LegnextJob | Error | undefined> | undefined> {
	const finalCheck = check === 'final';
	const order = items.map((_, index) => index).reverse();
	const first = items.findIndex((item) => item.jobId !== undefined && item.jobId === calledBack);
	if (first >= 0) order.unshift(...order.splice(order.indexOf(first), 1));
	const jobs: Array<LegnextJob | Error | undefined> = items.map(() => undefined);
	for (const index of order) {
		const { jobId, deadline } = items[index];
		if (!jobId) continue;
		const pastDeadline = Date.now() >= deadline;
		let job = endedJobs.get(jobId);
		if (!job && !check && !pastDeadline && jobId !== calledBack && recentlyRunning(jobId)) return undefined;
		try {
			job ??= await readJob(ctx, jobId, index);
			if (jobId === calledBack && calledBackStatus && !isTerminal(job)) job = await caughtUp(ctx, job, index);
		} catch (error) {
			// Unreadable now: the next callback (or the final check) reads it again.
			if (!finalCheck && !pastDeadline) return undefined;
			jobs[index] = unreadJobError(ctx.getNode(), jobId, error as Error, index);
			continue;
		}
		if (isTerminal(job)) remember(endedJobs, jobId, job);
		else remember(seenRunning, jobId, clock.now());
		if (!isTerminal(job) && !finalCheck && !pastDeadline) return undefined;
		jobs[index] = job;
	}
	return jobs;
}

/**
 * Legnext's API may still say `processing` a moment after the job called back that it ended: read it
 * again after these waits (job time), about half a minute in all, before leaving it to the next
 * callback or the final check.
 */
const RE_READS_MS = [1_000, 3_000, 8_000, 20_000];

async function caughtUp(ctx: IWebhookFunctions, job: LegnextJob, itemIndex: number): Promise<LegnextJob> {
	for (const wait of RE_READS_MS) {
		if (isTerminal(job)) return job;
		await clock.sleep(wait);
		job = await getJob(ctx, job.job_id, itemIndex);
	}
	return job;
}

/** An item of the pause, as execute() stashed it: its job, and its own deadline, time limit and output settings. */
interface ItemWait {
	jobId?: string;
	deadline: number;
	timeLimitMs: number;
	output: OutputSettings;
	reference?: string;
}

/** A stash item as execute() left it (./pause.ts); one paused by an earlier version keeps it all in its JSON. */
function stashedOf(item: INodeExecutionData): Stashed {
	const json = (item.json ?? {}) as Stashed;
	const kept = item[STASHED_PAUSE] as StashedPause | undefined;
	return kept ? { jobId: json.jobId, reference: json.reference, deadline: kept.deadline, [STASHED_WAIT]: kept[STASHED_WAIT] } : json;
}

/** A stash made before items carried their own wait (an execution paused by an earlier version) reads the node's settings. */
function itemWaits(ctx: IWebhookFunctions, stashed: Stashed[], deadline: number): ItemWait[] {
	return stashed.map(({ jobId, reference, [STASHED_WAIT]: wait }) => ({
		jobId,
		reference,
		deadline: wait?.deadline ?? deadline,
		timeLimitMs: wait?.timeLimitMs ?? Number(ctx.getNodeParameter('timeLimitMinutes', 15)) * 60_000,
		output: wait?.output ?? readOutputSettings(ctx),
	}));
}

export async function resumeOnCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	// A reference changed on the way (the URL's copy no longer matches its token): refused, nothing read.
	if (!(await resumeReferenceIntact(ctx))) {
		ctx.getResponseObject().status(401).json({ error: 'The reference in the URL was changed: its token does not match' });
		return { noWebhookResponse: true };
	}
	const executionId = String(ctx.evaluateExpression('{{ $execution.id }}', 0));
	const stash = readStash(ctx);
	const stashed = stash.map(stashedOf);
	const deadline = Number(stashed.find((entry) => entry.deadline)?.deadline);
	// This pause of the node: in a loop the same node pauses again in the same execution.
	const key = pauseKey(executionId, ctx.getNode().id, deadline);
	const check = await checkOf(ctx, executionId, deadline);
	const callback = receivedCallback(ctx);
	// The node's own checks are signed by the node; a callback, when the credential has a Webhook Secret, by Legnext.
	const refusal = check ? undefined : await signatureRefusal(ctx, callback);
	if (refusal) {
		ctx.getResponseObject().status(401).json({ error: refusal });
		return { noWebhookResponse: true };
	}
	// Answer Legnext at once; reading jobs and downloading files may take a while.
	ctx.getResponseObject().status(200).json({ received: true });
	if (isResuming(key)) return { noWebhookResponse: true };

	let resumed = false;
	let started = false;
	const items = itemWaits(ctx, stashed, deadline);
	const jobIds = items.map((item) => item.jobId);
	try {
		const hint = check ? undefined : jobFromCallback(callback.body);
		const calledBack = hint?.job_id;
		const endedStatus = hint && isTerminal(hint) ? hint.status : undefined;
		const jobs = await currentJobs(ctx, items, calledBack, check, endedStatus);
		if (!jobs) return { noWebhookResponse: true };
		// Callbacks of several jobs arrive together: one resumes, the others have nothing left to do.
		started = startResume(key);
		if (!started) return { noWebhookResponse: true };

		const output: INodeExecutionData[] = [];
		for (const [itemIndex, job] of jobs.entries()) {
			const item = items[itemIndex];
			const outcome: Outcome =
				job instanceof Error ? { error: job } : job ? jobOutcome(ctx, job, itemIndex, item.timeLimitMs) : { json: stash[itemIndex].json };
			// n8n pairs a resumed node's output with its input items by position: one item per input item.
			const made = await outputItems(ctx, outcome, itemIndex, { ...item.output, oneItemPerJob: true });
			output.push(...('error' in outcome ? made : withReference(made, item.reference)));
		}
		resumed = true;
		return { noWebhookResponse: true, workflowData: [output] };
	} finally {
		if (started) endResume(key, resumed);
		if (resumed) forgetJobs(jobIds);
	}
}

function forgetJobs(jobIds: Array<string | undefined>): void {
	for (const jobId of jobIds) {
		if (!jobId) continue;
		endedJobs.delete(jobId);
		seenRunning.delete(jobId);
	}
}

/** Why a callback is refused when the credential has a Webhook Secret, or undefined. */
async function signatureRefusal(ctx: IWebhookFunctions, callback: ReceivedCallback): Promise<string | undefined> {
	const { webhookSecret } = await ctx.getCredentials(CREDENTIAL_TYPE);
	if (!webhookSecret) return undefined;
	const check = checkSignature(String(webhookSecret), callback.raw, callback.headers, Date.now());
	return check.valid ? undefined : check.reason;
}

/** How long the job ran by Legnext's own clock (created → ended), or undefined when it does not say. */
function ranMs(job: LegnextJob): number | undefined {
	const created = Date.parse(toTimestamp(job.meta?.created_at) ?? '');
	const ended = Date.parse(toTimestamp(job.meta?.ended_at) ?? '');
	return Number.isFinite(created) && Number.isFinite(ended) ? ended - created : undefined;
}

/** After a resume n8n cannot fail the node any more: a failed or late job becomes an error item. */
function jobOutcome(ctx: IWebhookFunctions, job: LegnextJob, itemIndex: number, timeLimitMs: number): Outcome {
	// Other items kept the pause waiting: a job that ran past its own item's limit is cut, as Poll Until Done cuts it.
	const ran = ranMs(job);
	if (isTerminal(job) && ran !== undefined && ran > timeLimitMs) {
		return { error: endedPastTimeLimitError(ctx.getNode(), job, timeLimitMs, ran, itemIndex), job };
	}
	if (isFailed(job)) return { error: failedJobError(ctx.getNode(), job, itemIndex), job };
	if (!isTerminal(job)) return { error: timeLimitError(ctx.getNode(), job, timeLimitMs, itemIndex), job };
	return { job };
}
