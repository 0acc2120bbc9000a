import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { legnextRequest } from '../../shared/api';
import type { LegnextJob } from '../../shared/job';

/**
 * A budget that is never overrun. A workflow over 200 rows can spend a month's points in minutes,
 * and a 402 in the middle of a batch leaves part of it paid and part not. So, before a batch of
 * more than one job, the node reads Legnext's balance and refuses the batch it cannot pay whole:
 * before its first paid job when it knows the price, else right after the first, whose `usage.frozen`
 * tells it. The price of a task is what Legnext froze for the last job this n8n process sent to the
 * same endpoint: the account's own price, not a table that could be out of date.
 *
 * "Max Points per Run" caps what one run may spend: items past it are not sent, and come out as
 * error items that say so (they are what the user asked for, so they do not fail the node).
 */

const knownPrices = new Map<string, number>();

export interface BudgetRefusal {
	error: Error;
	/** A cap the user set, rather than a balance that cannot pay. */
	expected: boolean;
}

function priceOf(job: LegnextJob): number | undefined {
	const frozen = Number(job.meta?.usage?.frozen);
	return Number.isFinite(frozen) && frozen > 0 ? frozen : undefined;
}

export class Budget {
	private spent = 0;
	private sent = 0;
	private balance: number | undefined;
	private price: number | undefined;
	private firstPrice: Promise<void> | undefined;
	private priceLearned: () => void = () => {};

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly path: string,
		private readonly jobs: number,
		private readonly maxPoints: number,
	) {
		this.price = knownPrices.get(path);
	}

	/** The budget of a run that sends `jobs` jobs to `path`; reads the balance when there is more than one. */
	static async open(ctx: IExecuteFunctions, path: string, jobs: number, maxPoints: number): Promise<Budget> {
		const budget = new Budget(ctx, path, jobs, maxPoints);
		if (jobs > 1) budget.balance = await readBalance(ctx);
		if (budget.price === undefined && jobs > 1) {
			budget.firstPrice = new Promise((resolve) => (budget.priceLearned = resolve));
		}
		return budget;
	}

	/** Before an item is sent: undefined to send it, or why not. The first item of an unknown price goes alone. */
	async admit(itemIndex: number, first: boolean): Promise<BudgetRefusal | undefined> {
		if (!first && this.firstPrice) await this.firstPrice;
		const price = this.price;
		if (price !== undefined && this.maxPoints > 0 && this.spent + price > this.maxPoints) {
			return { error: this.capError(itemIndex, price), expected: true };
		}
		if (price !== undefined && this.balance !== undefined) {
			const batch = this.batchWithinCap(price);
			if (batch * price > this.balance) return { error: this.balanceError(itemIndex, price, batch), expected: false };
		}
		this.spent += price ?? 0;
		this.sent++;
		return undefined;
	}

	/** After an item's submit: its job tells the price (or the submit failed and frees its share). */
	settle(job: LegnextJob | undefined, first: boolean): void {
		const price = job ? priceOf(job) : undefined;
		if (price !== undefined) {
			if (this.price === undefined) this.spent += price;
			this.price ??= price;
			knownPrices.set(this.path, price);
		}
		if (first) this.priceLearned();
	}

	/** How many jobs this run sends in all: every job, or as many as Max Points per Run allows. */
	private batchWithinCap(price: number): number {
		return this.maxPoints > 0 ? Math.min(this.jobs, Math.floor(this.maxPoints / price)) : this.jobs;
	}

	private balanceError(itemIndex: number, price: number, batch: number): NodeOperationError {
		const sentNote = this.sent
			? `Only ${this.sent} job${this.sent > 1 ? 's were' : ' was'} sent: the first, whose price told the node what the batch costs.`
			: 'Nothing of this batch was sent.';
		return new NodeOperationError(
			this.ctx.getNode(),
			`Not sent: the Legnext balance cannot pay for this batch: ${batch} jobs × ${price} points = ${batch * price} points, the balance has ${this.balance} (item ${itemIndex})`,
			{
				description: `${sentNote} Top up your Legnext balance, send fewer items, or set Options → Max Points per Run.`,
				itemIndex,
			},
		);
	}

	private capError(itemIndex: number, price: number): NodeOperationError {
		return new NodeOperationError(
			this.ctx.getNode(),
			`Not sent: Max Points per Run (${this.maxPoints}) is reached: ${this.sent} job${this.sent === 1 ? '' : 's'} × ${price} points sent (item ${itemIndex})`,
			{ description: 'Nothing was paid for this item. Raise Options → Max Points per Run, or run the item in a later run.', itemIndex },
		);
	}
}

async function readBalance(ctx: IExecuteFunctions): Promise<number | undefined> {
	const answer = await legnextRequest<IDataObject>(ctx, { method: 'GET', path: '/api/account/balance' }, { kind: 'read' }).catch(
		// Without a balance the node still sends: Legnext's own 402 refuses what it cannot pay.
		() => undefined,
	);
	const data = (answer?.data ?? answer) as IDataObject | undefined;
	const points = Number(data?.available_points);
	return Number.isFinite(points) ? points : undefined;
}
