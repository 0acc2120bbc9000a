import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isCanceled, isPublishedRunningStatus, jobFailure, type LegnextJob } from './job';

/**
 * The errors about a job that the steps after submit raise (poll, resume, output), each naming the
 * job and what to do, so the user never has to look for a job they paid for.
 */

const itemSuffix = (itemIndex?: number) => (itemIndex === undefined ? '' : ` (item ${itemIndex})`);

/** Legnext's reason for a failed job: its message, and its `raw_message` when that says more. */
function failureReason(job: LegnextJob): string {
	const failure = jobFailure(job);
	const message = String(failure?.message ?? '');
	const raw = String(failure?.rawMessage ?? '');
	if (raw && raw !== message) return message ? `${message}: ${raw}` : raw;
	return message || 'no reason given';
}

/**
 * n8n-core marks an execution "canceled" (as if the user had stopped it, so no error workflow runs)
 * when its error message contains the word `canceled`, measured in n8n 2.41 (workflow-execute.js,
 * processSuccessExecution). A job's error is an error: its message spells the word the other way.
 */
function asErrorMessage(text: string): string {
	return text.replace(/canceled/g, 'cancelled');
}

export function failedJobError(node: INode, job: LegnextJob, itemIndex?: number): NodeApiError {
	const reason = failureReason(job);
	const canceled = isCanceled(job);
	const error = new NodeApiError(node, { message: reason, jobId: job.job_id }, {
		message: asErrorMessage(
			canceled
				? `Legnext cancelled job ${job.job_id}: ${reason}${itemSuffix(itemIndex)}`
				: `Legnext could not finish job ${job.job_id}: ${reason}${itemSuffix(itemIndex)}`,
		),
		description: canceled
			? `The job ended with status "${job.status}" and gives no result. Look at the job in your Legnext dashboard (Job ID ${job.job_id}) for its points, and run the workflow again if you still want it (a Retry of this execution hands the item this same job back).`
			: 'The job ended with status "failed"; Legnext returns the points of failed jobs. Adjust the prompt or image (banned words and unreachable image URLs are the usual causes) and run the workflow again (a Retry of this execution hands the item this same job back).',
		itemIndex,
	});
	error.context.jobId = job.job_id;
	return error;
}

/**
 * The wait's time limit passed; `unreachable` when the last reads of the job failed. Names the last
 * status seen, and says when Legnext's docs do not know it (a status such as `generating` or `retry`
 * keeps the wait going, as the job may still finish).
 */
export function timeLimitError(
	node: INode,
	job: LegnextJob,
	timeLimitMs: number,
	itemIndex?: number,
	unreachable?: Error,
): NodeOperationError {
	const minutes = Math.round((timeLimitMs / 60_000) * 10) / 10;
	const status = job.status ? `"${job.status}"` : 'no status';
	const undocumented = job.status && !isPublishedRunningStatus(job.status) ? ' (a status Legnext’s docs do not list)' : '';
	const state = unreachable
		? `could not be read (${unreachable.message}); its last status was ${status}${undocumented}`
		: `was still ${status}${undocumented}`;
	const error = new NodeOperationError(
		node,
		asErrorMessage(`Job ${job.job_id} ${state} after ${minutes} min, the time limit${itemSuffix(itemIndex)}`),
		{
			description: `The job was not sent again and may still finish. Pick it up later with a Legnext node set to Job → Get and Job ID ${job.job_id}, or raise "Time Limit (Minutes)".`,
			itemIndex,
		},
	);
	error.context.jobId = job.job_id;
	error.context.lastStatus = job.status ?? null;
	return error;
}

/**
 * A job that ended, but later than its item's Time Limit, by Legnext's own clock (created → ended): read
 * by the resume of a pause that other items kept waiting. Poll Until Done would have stopped waiting at the
 * limit, and so does the pause: the same error, with the job's ending said.
 */
export function endedPastTimeLimitError(node: INode, job: LegnextJob, timeLimitMs: number, ranMs: number, itemIndex?: number): NodeOperationError {
	const minutes = Math.round((timeLimitMs / 60_000) * 10) / 10;
	const took = Math.round((ranMs / 60_000) * 10) / 10;
	const error = new NodeOperationError(node, `Job ${job.job_id} was still running after ${minutes} min, the time limit${itemSuffix(itemIndex)}`, {
		description: `Legnext ended it later ("${job.status}" after ${took} min). Pick it up with a Legnext node set to Job → Get and Job ID ${job.job_id}, or raise "Time Limit (Minutes)".`,
		itemIndex,
	});
	error.context.jobId = job.job_id;
	error.context.lastStatus = job.status ?? null;
	return error;
}

/**
 * A job that exists (paid for) but could not be read: Legnext's answer (a 404 while it lags, a 401
 * after a key rotation) or no answer at all, with the job named so it can be picked up later.
 */
export function unreadJobError(node: INode, jobId: string, cause: Error, itemIndex?: number): NodeOperationError {
	const said = cause.message.replace(/ \(item \d+\)$/, '');
	const hint = (cause as { description?: string }).description;
	const error = new NodeOperationError(node, `Job ${jobId} could not be read: ${said}${itemSuffix(itemIndex)}`, {
		description: `${hint ? `${hint} ` : ''}The job was created and is paid for; it was not sent again. Pick it up with a Legnext node set to Job → Get and Job ID ${jobId}.`,
		itemIndex,
	});
	error.context.jobId = jobId;
	return error;
}
