import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { legnextRequest, type ApiRequest } from '../../shared/api';
import { clock } from '../../shared/clock';
import { RETRY_POLICIES } from '../../shared/retry';
import type { LegnextJob } from '../../shared/job';
import type { Outcome } from '../../shared/output';
import { Budget } from './budget';
import type { ItemSettings } from '../wait/settings';
import type { Ledger } from './ledger';
import { isNotSent, isUncertain, markUncertain, notSentError } from './runError';
import type { SlotGate } from './accountSlots';

/**
 * Sending paid jobs: a few items at a time (Legnext caps running jobs, ~6 on a standard account),
 * each once. A 429 is waited out and sent again by the API module (Legnext took nothing); a 5xx or
 * a lost answer may hide a created job, so it is never sent again. n8n's Retry On Fail, and n8n's
 * Retry of a failed execution, run the whole node again: the ledger (./ledger.ts) hands items that
 * already created a job their job back.
 */

/** An item ready to send (validated, with its callback and its own wait settings), or the error that stopped it. */
export type Prepared = ReadyItem | { error: Error };
export interface ReadyItem {
	request: ApiRequest;
	settings: ItemSettings;
}

export interface SubmitOptions {
	concurrency: number;
	/** Without Continue On Fail, the first failed item stops further items from being sent (and paid). */
	stopAtFirstError: boolean;
	/**
	 * Runs in the item's slot right after its job was created (the wait chose it: ../wait/index.ts):
	 * the slot is held until it returns. `handedBack`: an earlier try created this job (./ledger.ts).
	 */
	untilDone(job: LegnextJob, itemIndex: number, handedBack: boolean): Promise<LegnextJob>;
	/** Check the balance (and Max Points per Run, 0 = none) before paying; version 1 does not. */
	budget?: { maxPoints: number };
	/** The item's Time Limit: it bounds the waits for a free slot (429s) too, counted from the node's start. */
	timeLimitMs?(itemIndex: number): number;
	/** Concurrency → Auto: the account's free slots gate each send (./accountSlots.ts); else `concurrency` alone does. */
	slots?: SlotGate;
}

export async function submitAll(ctx: IExecuteFunctions, prepared: Prepared[], ledger: Ledger, options: SubmitOptions): Promise<Outcome[]> {
	const toSend = new Map(prepared.flatMap((entry, itemIndex) => ('request' in entry ? [[itemIndex, entry.request] as const] : [])));
	const budget = options.budget && toSend.size ? await Budget.open(ctx, toSend, options.budget.maxPoints) : undefined;
	let stopped = false;
	const startedAt = clock.now();
	// Read before every send, also between the tries of a submit Legnext refused with 429 (it took nothing).
	const stop = (itemIndex: number) => (stopped ? notSentError(ctx, itemIndex) : undefined);
	return await mapWithConcurrency(prepared, options.concurrency, async (entry, itemIndex): Promise<Outcome> => {
		if ('error' in entry) return entry;
		// What an earlier try of this node run (a retry) did for this item counts, stopped or not:
		// its job is this item's, and a job it may have created is still named.
		const previous = ledger.previous(itemIndex);
		const earlier = previous?.state === 'created';
		if (stopped && previous?.state === 'uncertain') return { error: notRepeatedError(ctx, previous, itemIndex) };
		if (stopped && !earlier) return { error: notSentError(ctx, itemIndex) };
		const refusal = budget ? await budget.admit(itemIndex, earlier) : undefined;
		if (refusal) return refusal;
		// The run may have stopped while this item waited for the price of its shape.
		if (stopped && !earlier) {
			budget?.settle(itemIndex, undefined, true);
			return { error: notSentError(ctx, itemIndex) };
		}
		let job: LegnextJob | undefined;
		const slots = earlier ? undefined : options.slots;
		try {
			const timeLimitMs = options.timeLimitMs?.(itemIndex);
			const giveUpAt = timeLimitMs === undefined ? undefined : startedAt + timeLimitMs;
			// Under Auto a refused send (429: another execution took the slot) goes back to the gate, not to Retry-After.
			const beforeRetry = () => stop(itemIndex) ?? (giveUpAt === undefined || clock.now() < giveUpAt ? slots?.backToGate() : undefined);
			for (;;) {
				if (slots && !(await slots.acquire(giveUpAt))) {
					slots.sent();
					throw noFreeSlotError(ctx, itemIndex, timeLimitMs ?? 0, 'The account had no free slot (Legnext’s GET /api/account/active_tasks: its running jobs at its limit) until the item’s Time Limit.');
				}
				const sent = await submitOnce(ctx, ledger, entry.request, itemIndex, beforeRetry, giveUpAt)
					.then((answer) => ({ answer }), (error: Error) => ({ error }))
					.finally(() => slots?.sent());
				if ('answer' in sent) {
					job = sent.answer as unknown as LegnextJob;
					break;
				}
				if (!slots?.isBackToGate(sent.error)) throw refusedUntilTimeLimit(ctx, sent.error, itemIndex, timeLimitMs, giveUpAt);
			}
			budget?.settle(itemIndex, job, false);
			return { job: await options.untilDone(job, itemIndex, earlier) };
		} catch (error) {
			// Legnext's refusal (a 4xx) created nothing: its share is free again; a 5xx or a lost answer may hide a job.
			if (!job) budget?.settle(itemIndex, undefined, !jobMayExist(error) && !isUncertain(error));
			if (!job && jobMayExist(error)) markUncertain(error);
			if (options.stopAtFirstError && !isNotSent(error)) stopped = true;
			return { error: error as Error, job };
		} finally {
			slots?.release();
		}
	});
}

/** Reads (Job → Get, balance) need no ledger and hold no slot at Legnext, but share the concurrency. */
export async function readAll(
	ctx: IExecuteFunctions,
	prepared: Prepared[],
	concurrency: number,
	toOutcome: (answer: IDataObject) => Outcome,
): Promise<Outcome[]> {
	return await mapWithConcurrency(prepared, concurrency, async (entry, itemIndex): Promise<Outcome> => {
		if ('error' in entry) return entry;
		try {
			return toOutcome(await legnextRequest<IDataObject>(ctx, entry.request, { kind: 'read', itemIndex }));
		} catch (error) {
			return { error: error as Error };
		}
	});
}

/** Legnext kept answering 429 until the item's Time Limit: nothing was created, and the error says so. */
function refusedUntilTimeLimit(ctx: IExecuteFunctions, error: Error, itemIndex: number, timeLimitMs?: number, giveUpAt?: number): Error {
	const refused = error instanceof NodeApiError && Number(error.httpCode) === 429;
	if (!refused || timeLimitMs === undefined || giveUpAt === undefined || clock.now() < giveUpAt - RETRY_POLICIES.submitRefused.maxDelayMs) return error;
	const said = (error as { description?: string }).description ?? error.message;
	return noFreeSlotError(ctx, itemIndex, timeLimitMs, `Legnext kept answering 429 (too many jobs running on this account) until the item's Time Limit. Legnext said: ${said}`);
}

/** Nothing was sent for the item because the account had no free slot within its Time Limit (Fixed's 429s, Auto's gate). */
function noFreeSlotError(ctx: IExecuteFunctions, itemIndex: number, timeLimitMs: number, why: string): NodeOperationError {
	const minutes = Math.round((timeLimitMs / 60_000) * 100) / 100;
	return new NodeOperationError(ctx.getNode(), `Not sent: Legnext had no free slot for this job within ${minutes} min, the time limit (item ${itemIndex})`, {
		description: `${why} Nothing was created or paid for this item. Wait for the account's running jobs to finish (other workflows on the same key count), lower Options → Concurrency, or raise the Time Limit, then run again.`,
		itemIndex,
	});
}

/** Like Promise.all over a map, with at most `limit` calls running at once; results keep input order. */
async function mapWithConcurrency<T, R>(entries: T[], limit: number, call: (entry: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await call(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
	return results;
}

/** Submits a paid job, unless an earlier try of this same node run already did. */
async function submitOnce(
	ctx: IExecuteFunctions,
	ledger: Ledger,
	request: ApiRequest,
	itemIndex: number,
	stop: () => Error | undefined,
	giveUpAt?: number,
): Promise<IDataObject> {
	const previous = ledger.previous(itemIndex);
	if (previous?.state === 'created') return previous.job;
	if (previous?.state === 'uncertain') throw notRepeatedError(ctx, previous, itemIndex);
	const outcome = await legnextRequest<IDataObject>(ctx, request, { kind: 'submit', itemIndex, stop, giveUpAt }).then(
		(job) => ({ job }),
		(error: Error) => ({ error }),
	);
	if ('error' in outcome) {
		if (jobMayExist(outcome.error)) {
			const { message, description } = outcome.error as Error & { description?: string };
			ledger.record(itemIndex, { state: 'uncertain', message, description });
		}
		throw outcome.error;
	}
	ledger.record(itemIndex, { state: 'created', job: outcome.job });
	return outcome.job;
}

/** A 4xx answer is a refusal; anything else (5xx, lost answer) may hide a created job. */
function jobMayExist(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	if (error.context?.neverSent === true) return false;
	const status = Number(error.httpCode);
	return !(status >= 400 && status < 500);
}

/** A retry after an answer that may hide a job: say what Legnext answered, and why not again. */
function notRepeatedError(ctx: IExecuteFunctions, first: { message: string; description?: string }, itemIndex: number): NodeOperationError {
	const said = first.description;
	return markUncertain(new NodeOperationError(ctx.getNode(), `Not sent again: the first try may already have created this job (item ${itemIndex})`, {
		description: `The first try ended with "${first.message}"${said ? ` (${said})` : ''}. Legnext may have created the job anyway, so a retry (n8n's Retry On Fail, or its Retry of the execution) does not send it again (that could pay twice): check your Legnext dashboard, then run the workflow again.`,
		itemIndex,
	}));
}
