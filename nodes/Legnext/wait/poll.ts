import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cancelledError, legnextRequest } from '../../shared/api';
import { clock } from '../../shared/clock';
import { isFailed, isTerminal, jobFailure, type LegnextJob } from '../../shared/job';
import { nextCheckDelay } from './schedule';

export interface PollOptions {
	itemIndex: number;
	/** Job time since the job was submitted after which the node stops waiting. */
	timeLimitMs: number;
	/** When the job was submitted (clock.now()). */
	submittedAt: number;
	/** The body that was sent: the schedule reads its prompt flags and video resolution. */
	request?: Record<string, unknown>;
}

/** Reads a job until it ends. A failed job or a time limit becomes an error that says what to do. */
export async function pollUntilDone(
	ctx: IExecuteFunctions,
	submitted: LegnextJob,
	options: PollOptions,
): Promise<{ job: LegnextJob; checks: number }> {
	const signal = ctx.getExecutionCancelSignal();
	const deadline = options.submittedAt + options.timeLimitMs;
	let job = submitted;
	let checks = 0;
	// Checks are spaced from start to start, so the time a check takes does not widen the gap.
	let lastCheckAt = options.submittedAt;
	while (!isTerminal(job)) {
		const now = clock.now();
		if (now >= deadline) throw timeLimitError(ctx, job, options);
		const taskType = job.task_type ?? submitted.task_type;
		const gap = nextCheckDelay({ taskType, request: options.request, sinceSubmitMs: lastCheckAt - options.submittedAt, job });
		const delay = Math.min(Math.max(0, lastCheckAt + gap - now), deadline - now);
		await clock.sleep(delay, signal);
		if (signal?.aborted) throw cancelledError(ctx, options.itemIndex);
		lastCheckAt = clock.now();
		job = await legnextRequest<LegnextJob>(
			ctx,
			{ method: 'GET', path: `/api/v1/job/${submitted.job_id}` },
			{ kind: 'read', itemIndex: options.itemIndex },
		);
		checks++;
	}
	if (isFailed(job)) throw failedJobError(ctx, job, options.itemIndex);
	return { job, checks };
}

export function failedJobError(ctx: Pick<IExecuteFunctions, 'getNode'>, job: LegnextJob, itemIndex?: number): NodeApiError {
	const failure = jobFailure(job);
	const reason = String(failure?.message ?? 'no reason given');
	const error = new NodeApiError(ctx.getNode(), { message: reason, jobId: job.job_id }, {
		message: `Legnext could not finish job ${job.job_id}: ${reason}${itemIndex === undefined ? '' : ` (item ${itemIndex})`}`,
		description:
			'The job ended with status "failed"; Legnext returns the credits of failed jobs. Adjust the prompt or image (banned words and unreachable image URLs are the usual causes) and run the item again.',
		itemIndex,
	});
	error.context.jobId = job.job_id;
	return error;
}

function timeLimitError(ctx: IExecuteFunctions, job: LegnextJob, options: PollOptions): NodeOperationError {
	const minutes = Math.round((options.timeLimitMs / 60_000) * 10) / 10;
	const error = new NodeOperationError(
		ctx.getNode(),
		`Job ${job.job_id} was still "${job.status}" after ${minutes} min, the time limit (item ${options.itemIndex})`,
		{
			description: `The job was not sent again and may still finish. Pick it up later with a Legnext node set to Job → Get and Job ID ${job.job_id}, or raise "Time Limit (Minutes)".`,
			itemIndex: options.itemIndex,
		},
	);
	error.context.jobId = job.job_id;
	return error;
}
