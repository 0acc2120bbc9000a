import type { IDataObject, IWebhookFunctions, IWebhookResponseData, INodeExecutionData } from 'n8n-workflow';

import { getJob, isTemporary } from '../shared/api';
import { clock } from '../shared/clock';
import { isTerminal, jobToJson, normalStatus, type LegnextJob } from '../shared/job';
import { outputItems, type Outcome } from '../shared/output';
import { readOutputSettings } from '../shared/parameters';
import { withReference } from '../shared/reference';
import { maskSecrets } from '../shared/secrets';
import { triggerPathTail, TRIGGER_PATH_PREFIX } from '../shared/triggerUrl';
import { releaseCallback } from './dedupe';

/**
 * What the Legnext Trigger does with a callback it has answered (token, body and dedupe passed):
 * verify → output. From here every callback ends in an execution or in a refusal written to n8n's
 * log, whatever happens (the sender may be long gone): an execution may only be skipped when
 * Legnext contradicts the callback.
 */

/**
 * Legnext's API may still say `processing` a moment after a job called back `completed`: read
 * again after these waits (job time), about half a minute in all, before deciding.
 */
const RE_READS_MS = [1_000, 3_000, 8_000, 20_000];

/** Why a job was sent to another URL than this trigger's (config.webhook_config.endpoint), or undefined. */
export function sentElsewhere(ctx: IWebhookFunctions, job: LegnextJob): string | undefined {
	const endpoint = job.config?.webhook_config?.endpoint;
	if (!endpoint) return undefined;
	const ours = `${TRIGGER_PATH_PREFIX}/${ctx.getWorkflow().id}`;
	let tail: string | undefined;
	try {
		tail = triggerPathTail(endpoint);
	} catch {
		tail = undefined;
	}
	return tail === ours ? undefined : `job ${job.job_id} was sent with another callback URL (${maskSecrets(endpoint)})`;
}

export function logRefusal(ctx: IWebhookFunctions, job: LegnextJob | undefined, reason: string): void {
	ctx.logger.warn(`Legnext Trigger "${ctx.getNode().name}": callback${job ? ` for job ${job.job_id} (${job.status})` : ''} started nothing: ${reason}`);
}

type Verdict = Outcome | { refuse: string };

/**
 * The job as Legnext's API has it (callbacks are unsigned). A callback the API contradicts (an
 * unknown job, another ending, another callback URL) starts nothing; one the API cannot confirm,
 * because it stays unreachable or still running through the re-reads, still starts the workflow
 * with an item that says so, rather than losing a job that may be real.
 */
async function verify(ctx: IWebhookFunctions, hint: LegnextJob): Promise<Verdict> {
	if (!(ctx.getNodeParameter('verify', true) as boolean)) return { job: hint };
	for (let reRead = 0; ; reRead++) {
		let job: LegnextJob;
		try {
			job = await getJob(ctx, hint.job_id);
		} catch (error) {
			// Legnext's answer about the job contradicts it (404: unknown job); a key it refuses (401, 403) says nothing about the job.
			if (!isTemporary(error) && !keyRefused(error)) return { refuse: `Legnext does not confirm it: ${(error as Error).message}` };
			const description = (error as { description?: string }).description ?? '';
			return { json: unverified(hint, `${(error as Error).message}. ${description}`.trim()) };
		}
		const elsewhere = sentElsewhere(ctx, job);
		if (elsewhere) return { refuse: elsewhere };
		if (normalStatus(job.status) === normalStatus(hint.status)) return { job };
		if (isTerminal(job)) return { refuse: `Legnext says the job is "${job.status}"` };
		if (reRead >= RE_READS_MS.length) {
			return { json: unverified(hint, `Legnext still answered "${job.status}" ${RE_READS_MS.reduce((a, b) => a + b, 0) / 1000} s after the callback`) };
		}
		await clock.sleep(RE_READS_MS[reRead]);
	}
}

/** Legnext refused the trigger's credential for the read (401, 403): the job can be neither confirmed nor denied. */
function keyRefused(error: unknown): boolean {
	const status = Number((error as { httpCode?: unknown }).httpCode);
	return status === 401 || status === 403;
}

function named(hint: LegnextJob): IDataObject {
	const { jobId, status, taskType } = jobToJson(hint, 'simplified');
	return { jobId, status, taskType };
}

function unverified(hint: LegnextJob, reason: string): IDataObject {
	return { ...named(hint), verified: false, verificationError: maskSecrets(reason) };
}

/** An item that names the job when its output could not be made, so the job is not lost. */
function failedItem(hint: LegnextJob, error: unknown): INodeExecutionData {
	const reason = error instanceof Error ? error.message : String(error);
	return { json: { ...named(hint), outputError: maskSecrets(reason) } };
}

export async function startFromCallback(ctx: IWebhookFunctions, hint: LegnextJob, reference?: string): Promise<IWebhookResponseData> {
	const result = await verifyAndOutput(ctx, hint);
	if (result.workflowData) result.workflowData = [withReference(result.workflowData[0], reference)];
	return result;
}

async function verifyAndOutput(ctx: IWebhookFunctions, hint: LegnextJob): Promise<IWebhookResponseData> {
	let verdict: Verdict;
	try {
		verdict = await verify(ctx, hint);
	} catch (error) {
		return { noWebhookResponse: true, workflowData: [[failedItem(hint, error)]] };
	}
	if ('refuse' in verdict) {
		releaseCallback(ctx, hint);
		logRefusal(ctx, hint, verdict.refuse);
		return { noWebhookResponse: true };
	}
	let items: INodeExecutionData[];
	try {
		items = await outputItems(ctx, verdict, 0, { ...readOutputSettings(ctx), filesOptional: true });
	} catch (error) {
		items = [failedItem(hint, error)];
	}
	return { noWebhookResponse: true, workflowData: [items] };
}
