import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { legnextRequest } from '../../shared/api';
import { clock } from '../../shared/clock';

/**
 * The account's concurrency as Legnext reports it: `GET /api/account/active_tasks`
 * (`ActiveTasksResponse` in legnext-ai/sdks' `openapi-complete.yaml`: `concurrent_limit`,
 * `total_active`, `tasks`). No recorded answer shows whether it comes bare or wrapped in
 * `{code, message, data}` like the balance, so both are read. Jobs of other executions and other
 * workflows on the same key count too: that is the point of asking.
 *
 * "unknown" when Legnext has no such endpoint (404), refuses the key for it (401, 403), or answers
 * something without a limit: the caller then falls back to a fixed number and says so.
 */
export interface AccountSlots {
	/** Jobs the account may run at once. */
	limit: number;
	/** Jobs running (or queued) on the account now, from every workflow. */
	active: number;
}

export type SlotReading = AccountSlots | { unknown: string };

export async function readAccountSlots(ctx: IExecuteFunctions): Promise<SlotReading> {
	let answer: IDataObject;
	try {
		answer = await legnextRequest<IDataObject>(ctx, { method: 'GET', path: '/api/account/active_tasks' }, { kind: 'read' });
	} catch (error) {
		const status = error instanceof NodeApiError ? Number(error.httpCode) : NaN;
		if (status === 404) return { unknown: 'this Legnext has no GET /api/account/active_tasks (404)' };
		if (status === 401 || status === 403) return { unknown: `Legnext refused the key for GET /api/account/active_tasks (${status})` };
		return { unknown: `GET /api/account/active_tasks failed: ${(error as Error).message}` };
	}
	const data = (typeof answer.data === 'object' && answer.data !== null ? answer.data : answer) as IDataObject;
	const limit = Number(data.concurrent_limit);
	const active = Number(data.total_active ?? (Array.isArray(data.tasks) ? data.tasks.length : NaN));
	if (!Number.isInteger(limit) || limit < 1 || !Number.isFinite(active) || active < 0) {
		return { unknown: 'GET /api/account/active_tasks gave no concurrent_limit and total_active' };
	}
	return { limit, active: Math.floor(active) };
}

/**
 * Concurrency → Auto: items are sent only into slots the account has free, however many executions
 * (a Sheets batch and a form, n8n's queue-mode workers) share the key. Each item reads the account
 * right before it is sent; one item at a time reads and sends, so two items of this run never take
 * the same free slot. With none free, it reads again when a job of this run ends, or every
 * RECHECK_MS (jobs of other executions end too). Another execution may still take a slot between
 * the read and the send: Legnext's 429 is then waited out as for Fixed. A run that finds the account
 * busy lets other executions take the slots their own jobs free: it takes a free slot only once it
 * has seen it stay free for a pause, and then every slot free at that moment, one read per item.
 */
export interface SlotGate {
	/**
	 * Waits until the account has a free slot (true), or until `giveUpAt` (job time) passes with none
	 * free (false: the item's Time Limit, as Fixed gives up on 429s). Either way the caller calls `sent()`.
	 */
	acquire(giveUpAt?: number): Promise<boolean>;
	/** The item was sent (or refused): the next item may read the account. */
	sent(): void;
	/** A job of this run ended: its slot is free. */
	release(): void;
	/** Ends a refused send's retries (submit's `stop`): the item reads the account again instead. */
	backToGate(): Error;
	isBackToGate(error: unknown): boolean;
}

/** A refused send that returns to the gate; never shown: the item is sent again or ends otherwise. */
class BackToGate extends Error {}

/** Job time between reads while the account is full. */
export const RECHECK_MS = 2_000;
/** The node's fixed default, used when the account cannot be read. */
export const FALLBACK_CONCURRENCY = 6;

export async function openSlotGate(ctx: IExecuteFunctions): Promise<{ gate?: SlotGate; limit: number }> {
	const first = await readAccountSlots(ctx);
	if ('unknown' in first) {
		ctx.addExecutionHints({
			message: `Concurrency → Auto could not read the account's limit (${first.unknown}): this run sends ${FALLBACK_CONCURRENCY} items at a time, as Fixed ${FALLBACK_CONCURRENCY}.`,
			location: 'outputPane',
		});
		return { limit: FALLBACK_CONCURRENCY };
	}
	let reading: SlotReading = first;
	let refused = false;
	let cautious = first.active > 0;
	// Slots seen free across a pause with nobody taking any: the run's next items take them without
	// pausing again (a batch on a roomy account waits one pause, not one per item).
	let unclaimed = 0;
	let turn: Promise<void> = Promise.resolve();
	let endTurn = () => {};
	let jobEnded = () => {};
	let nextEnd = new Promise<void>((resolve) => (jobEnded = resolve));
	const signal = ctx.getExecutionCancelSignal();
	const gate: SlotGate = {
		async acquire(giveUpAt) {
			const pastTimeLimit = () => giveUpAt !== undefined && clock.now() >= giveUpAt;
			const before = turn;
			let mine = () => {};
			turn = new Promise<void>((resolve) => (mine = resolve));
			await before;
			endTurn = mine;
			// The first item uses the reading made to open the gate; each later one reads afresh.
			// After a refusal, wait a random part of RECHECK_MS: executions refused together must not read together again.
			if (refused) await clock.sleep(Math.random() * RECHECK_MS, signal);
			refused = false;
			// Slots this run's own jobs freed are taken at once; any other free slot (a newcomer's first
			// item on a busy account, or right after taking such a slot) only once the run sees nobody
			// else taking one.
			let ownJobEnded = !cautious;
			let freeBefore: number | undefined;
			for (let fresh = reading === first; ; fresh = false) {
				if (!fresh) reading = await readAccountSlots(ctx);
				if ('unknown' in reading) return true;
				const free = reading.limit - reading.active;
				if (free > 0) {
					cautious = !ownJobEnded;
					if (ownJobEnded) return true;
					if (unclaimed > 0) {
						unclaimed--;
						return true;
					}
					if (freeBefore !== undefined && free >= freeBefore) {
						unclaimed = free - 1;
						return true;
					}
					// Slots another execution's job freed: its own items come first. Wait ½ to 1½ RECHECK_MS
					// (random: two such runs must not read together) and read again; take one only if nobody
					// took any meanwhile.
					freeBefore = free;
					if (pastTimeLimit()) return false;
					await clock.sleep((0.5 + Math.random()) * RECHECK_MS, signal);
					continue;
				}
				freeBefore = undefined;
				unclaimed = 0;
				if (signal?.aborted) return true;
				if (pastTimeLimit()) return false;
				ownJobEnded = await Promise.race([nextEnd.then(() => true), clock.sleep(RECHECK_MS, signal).then(() => false)]);
			}
		},
		sent() {
			reading = { unknown: 'read again' };
			endTurn();
		},
		release() {
			jobEnded();
			nextEnd = new Promise<void>((resolve) => (jobEnded = resolve));
		},
		backToGate() {
			refused = true;
			unclaimed = 0;
			return new BackToGate('Legnext refused the send: read the account again');
		},
		isBackToGate: (error) => error instanceof BackToGate,
	};
	return { gate, limit: first.limit };
}
