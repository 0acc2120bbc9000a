import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Outcome } from '../../shared/output';

/**
 * Without Continue On Fail one failed item fails the node, and n8n then passes on no items at all.
 * The jobs other items of this run created are paid for all the same: the error names each, with
 * its item and how to pick it up, so none is lost.
 */
export function assertAllSucceeded(ctx: IExecuteFunctions, outcomes: Outcome[]): void {
	const failed = outcomes.findIndex((outcome) => 'error' in outcome && !outcome.expected);
	if (failed < 0) return;
	const first = outcomes[failed] as { error: Error };
	const created = outcomes.flatMap((outcome, itemIndex) => {
		const job = 'job' in outcome ? outcome.job : undefined;
		return job && itemIndex !== failed ? [`item ${itemIndex} → job ${job.job_id} (${job.status ?? 'sent'})`] : [];
	});
	if (created.length === 0) throw first.error;

	const notSent = outcomes.filter((outcome, itemIndex) => itemIndex !== failed && 'error' in outcome && !outcome.job).length;
	const hint = (first.error as { description?: string }).description;
	throw new NodeOperationError(ctx.getNode(), `${first.error.message}; ${created.length} other job${created.length > 1 ? 's of this run were' : ' of this run was'} created`, {
		description: [
			hint,
			`Jobs this run created, paid for and not lost: ${created.join('; ')}. Pick each up with a Legnext node set to Job → Get and its Job ID.`,
			notSent ? `${notSent} other item${notSent > 1 ? 's were' : ' was'} not sent (nothing paid for them).` : '',
			'To get the finished items and the failed ones as error items, set the node’s Settings → On Error to "Continue".',
		]
			.filter(Boolean)
			.join(' '),
		itemIndex: failed,
	});
}
