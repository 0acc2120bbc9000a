import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getJob } from '../../shared/api';
import { isTerminal, type LegnextJob } from '../../shared/job';
import type { Outcome } from '../../shared/output';
import { pauseCallbackUrl } from './pause';
import { pollUntilDone } from './poll';
import type { ItemSettings, WaitMode } from './settings';

/**
 * How an item waits, decided here only: what callback its job carries, what happens in its slot right
 * after the job was created, and whether the execution then pauses instead of giving output now.
 * The router asks once per run (../run/router.ts); both halves of a pause (./pause.ts, ./resume.ts)
 * and the poll (./poll.ts) use the settings each item was prepared with (./settings.ts).
 */

/** An item as the wait sees it: its request (the schedule reads its prompt flags) and its own settings. */
export interface WaitingItem {
	request: { body?: IDataObject };
	settings: ItemSettings;
}

/** What a run looks like when it is about to send. */
export interface RunShape {
	/** Items to send in this try. */
	sending: number;
	concurrency: number;
	/** An earlier try of this node run created jobs for some of them (../run/ledger.ts). */
	handsBack: boolean;
}

export interface WaitPlan {
	/** Runs in the item's slot right after its job was created; `handedBack`: an earlier try created it. */
	untilDone(ctx: IExecuteFunctions, job: LegnextJob, itemIndex: number, item: WaitingItem, handedBack: boolean): Promise<LegnextJob>;
	/** Pause the execution (./pause.ts) while a job still runs, instead of giving output now. */
	pauses: boolean;
}

/**
 * A job handed back by the ledger (../run/ledger.ts) is kept there without the rest of its submit
 * answer: it is read once, and shown as it is now. Legnext unreadable for the moment: the kept job,
 * which names it.
 */
const asSubmitted: WaitPlan['untilDone'] = async (ctx, job, itemIndex, _item, handedBack) =>
	handedBack ? await getJob(ctx, job.job_id, itemIndex).catch(() => job) : job;

const polled: WaitPlan['untilDone'] = async (ctx, job, itemIndex, { settings, request }, handedBack) =>
	await pollUntilDone(ctx, job, itemIndex, settings.timeLimitMs, request.body, handedBack);

/** The callback every job carries whatever its node's Callback choice: Pause Until Callback's resume URL. */
export function waitCallback(mode: WaitMode): typeof pauseCallbackUrl | undefined {
	return mode === 'pause' ? pauseCallbackUrl : undefined;
}

export function planWait(mode: WaitMode, run: RunShape): WaitPlan {
	/** "Don't Wait": the job as submitted (status "pending"). */
	if (mode === 'none') return { untilDone: asSubmitted, pauses: false };
	/** "Poll Until Done": the item's slot is held while its job runs. */
	if (mode === 'poll') return { untilDone: polled, pauses: false };
	/*
	 * "Pause Until Callback": jobs carry n8n's resume URL, and no worker is held while they run —
	 * except with more items than the Concurrency: then every job is polled in place until it ends,
	 * as in Poll Until Done. Sending on while jobs run would only meet Legnext's cap on running jobs
	 * (429s, three submits per job on 240 items); pausing only the last jobs lost their callbacks when
	 * they ended while execute() still waited for the others (the execution was not waiting yet, so
	 * n8n refused them). So is every job of a retry that handed jobs back: their callbacks went to the
	 * earlier try (n8n's Retry of an execution makes a new resume URL) or came while no execution
	 * waited, and a job sent now could call back while execute() still read them.
	 */
	const inPlace = run.sending > run.concurrency || run.handsBack;
	return inPlace ? { untilDone: polled, pauses: false } : { untilDone: asSubmitted, pauses: true };
}

/**
 * n8n's Retry On Fail runs a node again when the first item of its output carries an error, Continue
 * On Fail or not (n8n-core's retry loop). A pause would leave that try's jobs waiting while the node runs
 * again: so the jobs still running are read in place, as Poll Until Done reads them, and the next try is
 * handed them back (../run/ledger.ts).
 */
export function n8nRunsAgain(ctx: IExecuteFunctions, outcomes: Outcome[]): boolean {
	return Boolean(ctx.getNode().retryOnFail) && outcomes.length > 0 && 'error' in outcomes[0];
}

/** Every job still running, read in place until it ends or its item's Time Limit; a failed or cut job becomes its item's error. */
export async function readInPlace(
	ctx: IExecuteFunctions,
	outcomes: Outcome[],
	itemOf: (itemIndex: number) => WaitingItem,
): Promise<Outcome[]> {
	return await Promise.all(
		outcomes.map(async (outcome, itemIndex): Promise<Outcome> => {
			if (!('job' in outcome) || 'error' in outcome || isTerminal(outcome.job)) return outcome;
			try {
				return { job: await polled(ctx, outcome.job, itemIndex, itemOf(itemIndex), false) };
			} catch (error) {
				return { error: error as Error, job: outcome.job };
			}
		}),
	);
}
