import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ApiRequest } from '../../shared/api';
import type { LegnextJob } from '../../shared/job';
import type { Outcome } from '../../shared/output';
import type { UntilDone } from '../run/submit';
import type { WaitMode, RunSettings } from '../../shared/parameters';
import { pause, pauseCallbackUrl } from './pause';
import { pollUntilDone } from './poll';

/**
 * The three answers to "Wait for Result", behind one shape: what callback the jobs carry, what
 * happens in an item's slot right after its job was created, and whether the execution pauses
 * instead of giving output now.
 */
export interface Wait {
	/** The callback every job carries instead of the node's Callback choice. */
	callbackUrl?(ctx: IExecuteFunctions, itemIndex: number, reference?: string): Promise<string>;
	/** `how`: whether every job is waited for in place, and whether this one a retry handed back (see SubmitOptions.untilDone). */
	untilDone(
		ctx: IExecuteFunctions,
		job: LegnextJob,
		itemIndex: number,
		settings: RunSettings,
		request: ApiRequest,
		how: UntilDone,
	): Promise<LegnextJob>;
	/** Pause the execution; the output comes when Legnext calls back (see ./resume). */
	pause?(ctx: IExecuteFunctions, outcomes: Outcome[], settings: RunSettings): Promise<INodeExecutionData[][]>;
}

const asSubmitted = async (_ctx: IExecuteFunctions, job: LegnextJob) => job;

export const WAITS: Record<WaitMode, Wait> = {
	/** "Don't Wait": the job as submitted (status "pending"). */
	none: { untilDone: asSubmitted },
	/** "Poll Until Done": the item's slot is held while its job runs. */
	poll: {
		untilDone: async (ctx, job, itemIndex, settings, request, { handedBack }) =>
			await pollUntilDone(ctx, job, itemIndex, settings.timeLimitMs, request.body, handedBack),
	},
	/**
	 * "Pause Until Callback": jobs carry n8n's resume URL, and no worker is held while they run —
	 * except with more items than the Concurrency: then every job is polled in place until it ends,
	 * as in Poll Until Done. Sending on while jobs run would only meet Legnext's cap on running jobs
	 * (429s, three submits per job on 240 items); pausing only the last jobs lost their callbacks when
	 * they ended while execute() still waited for the others (the execution was not waiting yet, so
	 * n8n refused them, and the run waited for its time limit). So is every job of a retry that handed
	 * jobs back: their callbacks went to the earlier try (n8n's Retry of an execution makes a new resume
	 * URL) or came while no execution waited, and a job sent now could call back while execute() still
	 * read them.
	 */
	pause: {
		callbackUrl: pauseCallbackUrl,
		untilDone: async (ctx, job, itemIndex, settings, request, { pollInPlace, handedBack }) =>
			pollInPlace ? await pollUntilDone(ctx, job, itemIndex, settings.timeLimitMs, request.body, handedBack) : job,
		pause,
	},
};
