import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LegnextJob } from '../../shared/job';
import type { Outcome } from '../../shared/output';

/**
 * Without Continue On Fail one failed item fails the node, and n8n then passes on no items at all.
 * The jobs other items of this run created are paid for all the same: the error names each, with
 * its item and how to pick it up, so none is lost.
 */
export function assertAllSucceeded(ctx: IExecuteFunctions, outcomes: Outcome[]): void {
	const failures = outcomes.flatMap((outcome, itemIndex) => ('error' in outcome && !outcome.expected ? [itemIndex] : []));
	if (failures.length === 0) return;
	// The cause, rather than an item that was only held back because of it.
	const failed = failures.find((itemIndex) => !isNotSent((outcomes[itemIndex] as { error: Error }).error)) ?? failures[0];
	const first = outcomes[failed] as { error: Error; job?: LegnextJob };
	const created = outcomes.flatMap((outcome, itemIndex) => {
		const job = 'job' in outcome ? outcome.job : undefined;
		// The failed item's job is named by its own error, unless that error does not say it.
		const named = itemIndex === failed && mentions(first.error, job?.job_id);
		return job && !named ? [`item ${itemIndex} → job ${job.job_id} (${job.status ?? 'sent'})`] : [];
	});
	// Items whose submit may have created a job that the node never saw (a lost answer, a 500).
	const uncertain = outcomes.flatMap((outcome, itemIndex) =>
		itemIndex !== failed && 'error' in outcome && !outcome.job && isUncertain(outcome.error) ? [itemIndex] : [],
	);
	if (created.length === 0 && uncertain.length === 0) throw first.error;
	if (created.length === 0) {
		const said = (first.error as { description?: string }).description;
		throw new NodeOperationError(ctx.getNode(), first.error.message, {
			description: [said, uncertainNote(uncertain)].filter(Boolean).join(' '),
			itemIndex: failed,
		});
	}

	const notSent = outcomes.filter((outcome, itemIndex) => itemIndex !== failed && 'error' in outcome && !outcome.job && !isUncertain(outcome.error)).length;
	const hint = (first.error as { description?: string }).description;
	throw new NodeOperationError(ctx.getNode(), `${first.error.message}; ${created.length} other job${created.length > 1 ? 's of this run were' : ' of this run was'} created`, {
		description: [
			hint,
			`Jobs this run created, paid for and not lost: ${created.join('; ')}. Pick each up with a Legnext node set to Job → Get and its Job ID, or retry this execution (n8n's Executions → Retry): a retry hands each item its job back instead of paying again.`,
			uncertainNote(uncertain),
			notSent ? `${notSent} other item${notSent > 1 ? 's were' : ' was'} not sent (nothing paid for them).` : '',
			'To get the finished items and the failed ones as error items, set the node’s Settings → On Error to "Continue".',
		]
			.filter(Boolean)
			.join(' '),
		itemIndex: failed,
	});
}

/** Whether an error's message or description names the job (what n8n keeps of an error). */
function mentions(error: Error, jobId: string | undefined): boolean {
	if (!jobId) return false;
	return `${error.message} ${(error as { description?: string }).description ?? ''}`.includes(jobId);
}

/** "Not sent: an earlier item failed": an item held back, never the cause. */
export function notSentError(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	const error = new NodeOperationError(ctx.getNode(), `Not sent: an earlier item failed (item ${itemIndex})`, {
		description: 'Nothing was paid for this item. Fix the failed item, or turn on Continue On Fail, and run again.',
		itemIndex,
	});
	error.context.notSent = true;
	return error;
}

export function isNotSent(error: unknown): boolean {
	return error instanceof NodeOperationError && error.context?.notSent === true;
}

/** Marks an error after which Legnext may have created the job all the same (a lost answer, a 5xx). */
export function markUncertain<E extends Error>(error: E): E {
	const context = (error as { context?: Record<string, unknown> }).context;
	if (context) context.mayHaveCreatedJob = true;
	const withDescription = error as E & { description?: string };
	if (!/may (have been|already have) created/.test(`${error.message} ${withDescription.description ?? ''}`)) {
		withDescription.description = `${withDescription.description ?? ''} The job may have been created all the same: look at your Legnext dashboard before running this item again.`.trim();
	}
	return error;
}

export function isUncertain(error: unknown): boolean {
	return (error as { context?: Record<string, unknown> } | undefined)?.context?.mayHaveCreatedJob === true;
}

function uncertainNote(items: number[]): string {
	if (!items.length) return '';
	const list = items.map((itemIndex) => `item ${itemIndex}`).join(', ');
	return `Legnext's answer to ${list} was lost: a job may have been created all the same; look at your Legnext dashboard before running ${items.length > 1 ? 'them' : 'it'} again.`;
}
