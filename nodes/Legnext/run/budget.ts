import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { legnextRequest, type ApiRequest } from '../../shared/api';
import { balanceOf, type Balance } from '../../shared/balance';
import type { LegnextJob } from '../../shared/job';
import { priceShape, type PriceShape } from './prices';

/**
 * A budget that is never overrun. A workflow over 200 rows can spend a month's points in minutes,
 * and a 402 in the middle of a batch leaves part of it paid and part not. So, before a batch of
 * more than one job, the node reads Legnext's balance — credits plus bonus points, what a job can
 * spend — and refuses the batch it cannot pay whole, before its first paid job.
 *
 * Each request is counted at the larger of two prices, so that it is never counted for less than it
 * costs: Legnext's published price for the request's shape (its task, `--turbo`, `--draft`, the
 * video resolution, the upscale type: shared/prices.ts; a follow-up that sets no speed runs at its
 * parent's, so it counts at the `--turbo` price), and what the account was last charged
 * (`usage.frozen`) for a job of the same shape in this n8n process. A job of another shape never
 * lends its price (a 480p video's price let 720p videos through). The first job of a shape not
 * charged yet goes alone when others of its shape follow: its price is checked before they are
 * sent. An item refused before its job was created frees its share; one whose job may exist keeps it.
 *
 * "Max Points per Run" caps what one run may spend: items past it are not sent, and come out as
 * error items that say so (they are what the user asked for, so they do not fail the node).
 */

/** Shape key → what Legnext last froze for a job of that shape (the account's own price). */
const chargedPrices = new Map<string, number>();
const MAX_SHAPES = 1_000;

export interface BudgetRefusal {
	error: Error;
	/** A cap the user set, rather than a balance that cannot pay. */
	expected: boolean;
}

/**
 * Legnext's published price of a request (points): the pricing page's row for its shape
 * (shared/prices.ts, from the task-type table); a task the table does not know counts as the dearest
 * image follow-ups, 120 (240 with `--turbo`).
 */
export function priceOf(request: ApiRequest): number {
	const shape = priceShape(request.path, request.body);
	return shape.published ?? (shape.key.includes(':turbo:') ? 240 : 120);
}

function frozenOf(job: LegnextJob): number | undefined {
	const frozen = Number(job.meta?.usage?.frozen);
	return Number.isFinite(frozen) && frozen > 0 ? frozen : undefined;
}

function remember(key: string, price: number): void {
	chargedPrices.delete(key);
	chargedPrices.set(key, price);
	while (chargedPrices.size > MAX_SHAPES) chargedPrices.delete(chargedPrices.keys().next().value as string);
}

/** `4 jobs × 80 points` or, when prices differ, `3 jobs (2 × 1536 + 1 × 480 points)`. */
function describeJobs(prices: number[]): string {
	const jobs = `${prices.length} job${prices.length === 1 ? '' : 's'}`;
	const kinds = [...new Set(prices)].sort((a, b) => b - a);
	if (kinds.length <= 1) return `${jobs} × ${kinds[0] ?? 0} points`;
	return `${jobs} (${kinds.map((price) => `${prices.filter((p) => p === price).length} × ${price}`).join(' + ')} points)`;
}

const sum = (prices: number[]) => prices.reduce((total, price) => total + price, 0);

/** Items alike for the budget (same shape key and prices): their price moves together. */
interface PriceGroup {
	shape: PriceShape;
	/** How many of its items are neither counted nor refused: the plan's items not sent yet. */
	pending: number;
}

export class Budget {
	private balance: Balance | undefined;
	/** Item → what it is counted for: its price when admitted, what Legnext froze once it is known. */
	private readonly counted = new Map<number, number>();
	/** Items that will not be sent: past Max Points per Run, or not sent after all. */
	private readonly refused = new Set<number>();
	/** Items whose job an earlier try created: within Max Points per Run, but already out of the balance. */
	private readonly paidBefore = new Set<number>();
	/** The run's prices when the balance was found short: every item from then on is refused. */
	private unpayable: number[] | undefined;
	/** Shape key → the item sent alone to learn the account's price, and the promise the others of its shape wait on. */
	private readonly scouts = new Map<string, { itemIndex: number; learned: Promise<void>; done: () => void }>();
	/**
	 * Running totals, so that each item costs the same whatever the batch's size (the plan summed over
	 * every item for each item: 4–5 s of CPU for 8,000 items). `plannedPrices()` still lists the plan
	 * item by item, for the error message and where Max Points per Run skips items.
	 */
	private countedTotal = 0;
	private paidBeforeTotal = 0;
	private readonly groups = new Map<number, PriceGroup>();
	private readonly groupList: PriceGroup[] = [];
	private readonly order: number[];
	/** The balance error's numbers, fixed once the batch is found unpayable. */
	private unpayableText: string | undefined;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly shapes: Map<number, PriceShape>,
		private readonly maxPoints: number,
	) {
		this.order = [...shapes.keys()].sort((a, b) => a - b);
		const byKey = new Map<string, PriceGroup>();
		for (const [itemIndex, shape] of shapes) {
			const key = `${shape.key}|${shape.published}|${shape.dearest}`;
			let group = byKey.get(key);
			if (!group) {
				byKey.set(key, (group = { shape, pending: 0 }));
				this.groupList.push(group);
			}
			group.pending++;
			this.groups.set(itemIndex, group);
		}
	}

	private isPending(itemIndex: number): boolean {
		return !this.counted.has(itemIndex) && !this.refused.has(itemIndex);
	}

	/** Every change to `counted`, `refused` and `paidBefore` goes through here, to keep the totals. */
	private update(itemIndex: number, change: () => void): void {
		const wasPending = this.isPending(itemIndex);
		const before = this.counted.get(itemIndex) ?? 0;
		const wasPaidBefore = this.paidBefore.has(itemIndex);
		change();
		const after = this.counted.get(itemIndex) ?? 0;
		this.countedTotal += after - before;
		this.paidBeforeTotal += (this.paidBefore.has(itemIndex) ? after : 0) - (wasPaidBefore ? before : 0);
		const group = this.groups.get(itemIndex);
		if (group) group.pending += Number(this.isPending(itemIndex)) - Number(wasPending);
	}

	private count(itemIndex: number, price: number, paidBefore = false): void {
		this.update(itemIndex, () => {
			this.counted.set(itemIndex, price);
			if (paidBefore) this.paidBefore.add(itemIndex);
		});
	}

	/**
	 * The budget of a run that sends these requests (by item index); reads the balance when there is
	 * more than one.
	 */
	static async open(ctx: IExecuteFunctions, requests: Map<number, ApiRequest>, maxPoints: number): Promise<Budget> {
		const shapes = new Map([...requests].map(([itemIndex, request]) => [itemIndex, priceShape(request.path, request.body)]));
		const budget = new Budget(ctx, shapes, maxPoints);
		if (requests.size > 1) budget.balance = await readBalance(ctx);
		if (requests.size > 1 || maxPoints > 0) {
			for (const [itemIndex, shape] of shapes) {
				if (chargedPrices.has(shape.key) || budget.scouts.has(shape.key)) continue;
				let done = () => {};
				const learned = new Promise<void>((resolve) => (done = resolve));
				budget.scouts.set(shape.key, { itemIndex, learned, done });
			}
		}
		return budget;
	}

	/**
	 * What an item is counted for until Legnext says what it froze: the larger of the published price
	 * (for a follow-up at its parent's unknown speed, the dearest one) and what the account was charged
	 * for its shape.
	 */
	private priceOf(itemIndex: number): number | undefined {
		const shape = this.shapes.get(itemIndex);
		return shape ? this.priceOfShape(shape) : undefined;
	}

	private priceOfShape(shape: PriceShape): number | undefined {
		const charged = chargedPrices.get(shape.key);
		if (shape.published === undefined && charged === undefined) return undefined;
		return Math.max(shape.published ?? 0, shape.dearest ?? 0, charged ?? 0);
	}

	/**
	 * Before an item is sent: undefined to send it, or why not. A job an earlier try of this node run
	 * already created (`alreadyPaid`: a retry) is only counted.
	 */
	async admit(itemIndex: number, alreadyPaid = false): Promise<BudgetRefusal | undefined> {
		if (alreadyPaid) {
			this.count(itemIndex, this.priceOf(itemIndex) ?? 0, true);
			return undefined;
		}
		const shape = this.shapes.get(itemIndex);
		const scout = shape ? this.scouts.get(shape.key) : undefined;
		if (scout && scout.itemIndex !== itemIndex) await scout.learned;
		const price = this.priceOf(itemIndex);
		if (price !== undefined && this.maxPoints > 0 && this.countedTotal + price > this.maxPoints) {
			return this.refuse(itemIndex, { error: this.capError(itemIndex, price), expected: true });
		}
		if (this.balance !== undefined) {
			// Once the batch cannot be paid whole, none of the rest is sent.
			this.unpayable ??= this.plannedExceeds(this.balance.total) ? this.plannedPrices() : undefined;
			if (this.unpayable) return this.refuse(itemIndex, { error: this.balanceError(itemIndex, this.unpayable), expected: false });
		}
		this.count(itemIndex, price ?? 0);
		return undefined;
	}

	private refuse(itemIndex: number, refusal: BudgetRefusal): BudgetRefusal {
		if (refusal.expected) this.update(itemIndex, () => this.refused.add(itemIndex));
		this.releaseScout(itemIndex);
		return refusal;
	}

	/** An admitted item that cost nothing after all: not sent (the run stopped), or refused by Legnext. */
	private release(itemIndex: number): void {
		this.update(itemIndex, () => {
			this.counted.delete(itemIndex);
			this.refused.add(itemIndex);
		});
		this.releaseScout(itemIndex);
	}

	/** The items waiting on this one's price go on (with the published price, if it told nothing). */
	private releaseScout(itemIndex: number): void {
		const shape = this.shapes.get(itemIndex);
		const scout = shape ? this.scouts.get(shape.key) : undefined;
		if (shape && scout?.itemIndex === itemIndex) {
			this.scouts.delete(shape.key);
			scout.done();
		}
	}

	/**
	 * After an item's submit: its job tells what the account is charged for its shape. Without a job,
	 * `refused` (Legnext answered 4xx, or the item was not sent: nothing created) frees the item's
	 * share; an answer that may hide a job keeps it counted.
	 */
	settle(itemIndex: number, job: LegnextJob | undefined, refused: boolean): void {
		if (!job && refused) {
			this.release(itemIndex);
			return;
		}
		const shape = this.shapes.get(itemIndex);
		const frozen = job ? frozenOf(job) : undefined;
		if (shape && frozen !== undefined) {
			remember(shape.key, frozen);
			if (this.counted.has(itemIndex)) this.count(itemIndex, frozen, this.paidBefore.has(itemIndex));
		}
		this.releaseScout(itemIndex);
	}

	/**
	 * What the whole run costs from here: the jobs sent, and every item not yet sent or refused at its
	 * price, as far as Max Points per Run lets them go. Not the jobs an earlier try created: they count
	 * toward Max Points per Run, but the balance read at the start has already gone down by them.
	 */
	private plannedPrices(): number[] {
		const prices = [...this.counted].filter(([itemIndex]) => !this.paidBefore.has(itemIndex)).map(([, price]) => price);
		let total = this.countedTotal;
		for (const itemIndex of this.order) {
			if (!this.isPending(itemIndex)) continue;
			const price = this.priceOf(itemIndex) ?? 0;
			if (this.maxPoints > 0 && total + price > this.maxPoints) continue;
			total += price;
			prices.push(price);
		}
		return prices;
	}

	/**
	 * Whether the plan (`plannedPrices()`) sums to more than `limit`, at a cost that does not grow
	 * with the batch: items of one group share a price, so the items not sent yet add up group by group.
	 * Only where Max Points per Run skips some of them, and the cap is more than `limit`, does it walk
	 * the plan item by item, and stops as soon as it is over or nothing more fits under the cap.
	 */
	private plannedExceeds(limit: number): boolean {
		const sent = this.countedTotal - this.paidBeforeTotal;
		let pending = 0;
		let cheapest = Infinity;
		for (const group of this.groupList) {
			if (group.pending === 0) continue;
			const price = this.priceOfShape(group.shape) ?? 0;
			pending += group.pending * price;
			cheapest = Math.min(cheapest, price);
		}
		if (this.maxPoints <= 0 || this.countedTotal + pending <= this.maxPoints) return sent + pending > limit;
		// Max Points per Run skips items: the plan holds at most what fits under it.
		if (sent + Math.max(0, this.maxPoints - this.countedTotal) <= limit) return false;
		let total = this.countedTotal;
		let planned = sent;
		for (const itemIndex of this.order) {
			// No item left fits under the cap: the rest of the plan is skipped.
			if (total + cheapest > this.maxPoints) break;
			if (!this.isPending(itemIndex)) continue;
			const price = this.priceOf(itemIndex) ?? 0;
			if (total + price > this.maxPoints) continue;
			total += price;
			planned += price;
			if (planned > limit) return true;
		}
		return planned > limit;
	}

	private balanceError(itemIndex: number, planned: number[]): NodeOperationError {
		const sent = this.counted.size;
		const balance = this.balance as Balance;
		// The same numbers for every item refused: worked out once (a refusal per item of a large batch).
		this.unpayableText ??= `${describeJobs(planned)} = ${sum(planned)} points, the balance has ${balance.total} (credits ${balance.credits} + bonus points ${balance.points})`;
		const sentNote = sent
			? `${sent} job${sent > 1 ? 's were' : ' was'} sent before the node learned what Legnext charges your account for ${sent > 1 ? 'them' : 'it'}; the others were not.`
			: 'Nothing of this batch was sent.';
		return new NodeOperationError(
			this.ctx.getNode(),
			`Not sent: the Legnext balance cannot pay for this batch: ${this.unpayableText} (item ${itemIndex})`,
			{
				description: `${sentNote} Each job counts at Legnext's published price for its kind (turbo, draft, resolution), or at what your account was charged for the same kind if that is more. Top up your Legnext balance, send fewer items, or set Options → Max Points per Run.`,
				itemIndex,
			},
		);
	}

	private capError(itemIndex: number, price: number): NodeOperationError {
		const sent = this.counted.size;
		const jobs = `${sent} job${sent === 1 ? ' sent holds' : 's sent hold'}`;
		return new NodeOperationError(
			this.ctx.getNode(),
			`Not sent: Max Points per Run (${this.maxPoints}) is reached: ${jobs} ${this.countedTotal} points, this item costs ${price} (item ${itemIndex})`,
			{
				description: `Nothing was paid for this item. Its job counts ${price} points: Legnext's published price for its kind, or what your account was charged for the same kind if more. Raise Options → Max Points per Run, or run the item in a later run.`,
				itemIndex,
			},
		);
	}
}

async function readBalance(ctx: IExecuteFunctions): Promise<Balance | undefined> {
	const answer = await legnextRequest<IDataObject>(ctx, { method: 'GET', path: '/api/account/balance' }, { kind: 'read' }).catch(
		// Without a balance the node still sends: Legnext's own 402 refuses what it cannot pay.
		() => undefined,
	);
	return balanceOf(answer);
}
