import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cancelledError, getJob, isTemporary } from '../../shared/api';
import { clock } from '../../shared/clock';
import { isFailed, isTerminal, type LegnextJob } from '../../shared/job';
import { failedJobError, timeLimitError, unreadJobError } from '../../shared/jobErrors';
import { nextCheckDelay } from './schedule';

/**
 * "Poll Until Done": reads the job on the schedule of its task until it ends. A failed job or the
 * time limit becomes an error that names the job. Legnext being unreachable for a while does not
 * end the wait: the job exists and is paid for, so the node keeps reading it until the time limit.
 */
export async function pollUntilDone(
	ctx: IExecuteFunctions,
	submitted: LegnextJob,
	itemIndex: number,
	timeLimitMs: number,
	/** The body that was sent: the schedule reads its prompt flags and video resolution. */
	request?: IDataObject,
	/** An earlier try created the job (a retry): it may have ended long ago, so it is read at once. */
	handedBack = false,
): Promise<LegnextJob> {
	const signal = ctx.getExecutionCancelSignal();
	const submittedAt = clock.now();
	const deadline = submittedAt + timeLimitMs;
	let job = submitted;
	let unreachable: Error | undefined;
	// Checks are spaced from start to start, so the time a check takes does not widen the gap.
	let lastCheckAt = submittedAt;
	let readAtOnce = handedBack;
	while (!isTerminal(job)) {
		const now = clock.now();
		if (now >= deadline) throw timeLimitError(ctx.getNode(), job, timeLimitMs, itemIndex, unreachable);
		const taskType = job.task_type ?? submitted.task_type;
		const gap = readAtOnce ? 0 : nextCheckDelay({ taskType, request, sinceSubmitMs: lastCheckAt - submittedAt, job });
		readAtOnce = false;
		const delay = Math.min(Math.max(0, lastCheckAt + gap - now), deadline - now);
		await clock.sleep(delay, signal);
		if (signal?.aborted) throw cancelledError(ctx, itemIndex);
		lastCheckAt = clock.now();
		const read = await getJob(ctx, submitted.job_id, itemIndex).then(
			(current) => ({ current }),
			(error: Error) => ({ error }),
		);
		if ('error' in read && !isTemporary(read.error)) throw unreadJobError(ctx.getNode(), submitted.job_id, read.error, itemIndex);
		if ('current' in read) job = read.current;
		unreachable = 'error' in read ? read.error : undefined;
	}
	if (isFailed(job)) throw failedJobError(ctx.getNode(), job, itemIndex);
	return job;
}
