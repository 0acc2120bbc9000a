import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { legnextRequest, type ApiRequest } from '../../shared/api';
import type { LegnextJob } from '../../shared/job';

/**
 * A budget that is never overrun. A workflow over 200 rows can spend a month's points in minutes,
 * and a 402 in the middle of a batch leaves part of it paid and part not. So, before a batch of
 * more than one job, the node reads Legnext's balance and refuses the batch it cannot pay whole,
 * before its first paid job.
 *
 * Every item has a price before it is sent: what Legnext froze for the last job of the same shape
 * (endpoint, speed flag, video resolution) this n8n process sent — the account's own price — or,
 * where none is known yet, the published price of its shape (`priceOf`). A job of another shape
 * never lends its price (a 480p video's price let 720p videos through), and an item refused before
 * its job was created frees its share without switching the cap off.
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

/** Text of the request's prompt, where its Midjourney flags are. */
function promptOf(request: ApiRequest): string {
	const body = request.body ?? {};
	return [body.text, body.prompt, body.remixPrompt].filter((part) => typeof part === 'string').join(' ');
}

const hasFlag = (prompt: string, name: string) => new RegExp(`(^|\\s)--${name}(\\s|$)`, 'i').test(prompt);

/** What makes two requests cost alike: the endpoint, the speed, the video resolution. */
function shapeOf(request: ApiRequest): string {
	const prompt = promptOf(request);
	const speed = hasFlag(prompt, 'turbo') ? 'turbo' : 'fast';
	const draft = hasFlag(prompt, 'draft') ? ':draft' : '';
	const resolution = request.body?.videoType === undefined ? '' : `:video${String(request.body.videoType)}`;
	return `${request.path}:${speed}${draft}${resolution}`;
}

/**
 * Legnext's published price of a request (points), the highest of its row where the request does
 * not say which (upscale subtle or creative): the pricing page's table (docs: legnext-api.md,
 * "Balance and prices"). The ONE place the node estimates a price; a job's own `usage.frozen`
 * replaces it for its shape once known.
 */
export function priceOf(request: ApiRequest): number {
	const endpoint = request.path.replace(/^\/api\/v1\//, '');
	const turbo = hasFlag(promptOf(request), 'turbo') ? 2 : 1;
	if (/video|extend/.test(endpoint)) return (Number(request.body?.videoType) === 1 ? 1536 : 480) * turbo;
	if (/describe|shorten/.test(endpoint)) return 20;
	if (/blend/.test(endpoint)) return 80;
	if (/upscale/.test(endpoint)) return 160 * turbo;
	if (/diffusion|reroll|outpaint|pan|enhance|remove-background/.test(endpoint)) return 80 * turbo;
	// Variation, remix, inpaint, edit, retexture, upload paint, and anything not listed.
	return 120 * turbo;
}

function frozenOf(job: LegnextJob): number | undefined {
	const frozen = Number(job.meta?.usage?.frozen);
	return Number.isFinite(frozen) && frozen > 0 ? frozen : undefined;
}

export class Budget {
	/** Points the run's sent items hold: each counted at its price when admitted, then at what Legnext froze. */
	private spent = 0;
	private sent = 0;
	private balance: number | undefined;
	private readonly charged = new Map<number, number>();

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly requests: Map<number, ApiRequest>,
		private readonly maxPoints: number,
	) {}

	/** The budget of a run that sends these requests (by item); reads the balance when there is more than one. */
	static async open(ctx: IExecuteFunctions, requests: Map<number, ApiRequest>, maxPoints: number): Promise<Budget> {
		const budget = new Budget(ctx, requests, maxPoints);
		if (requests.size > 1) budget.balance = await readBalance(ctx);
		return budget;
	}

	private price(request: ApiRequest): number {
		return knownPrices.get(shapeOf(request)) ?? priceOf(request);
	}

	/** Before an item is sent: undefined to send it, or why not. A job already paid for is only counted. */
	admit(itemIndex: number, alreadyPaid = false): BudgetRefusal | undefined {
		const request = this.requests.get(itemIndex);
		if (!request) return undefined;
		const price = this.price(request);
		if (!alreadyPaid && this.maxPoints > 0 && this.spent + price > this.maxPoints) {
			return { error: this.capError(itemIndex, price), expected: true };
		}
		if (!alreadyPaid && this.balance !== undefined) {
			const batch = this.batchWithinCap();
			if (batch.points > this.balance) return { error: this.balanceError(itemIndex, batch), expected: false };
		}
		this.spent += price;
		this.sent++;
		this.charged.set(itemIndex, price);
		return undefined;
	}

	/**
	 * After an item's submit: its job tells the price of its shape. Without a job, `refused` (Legnext
	 * answered 4xx: nothing created) frees the item's share; an answer that may hide a job keeps it.
	 */
	settle(itemIndex: number, job: LegnextJob | undefined, refused: boolean): void {
		const charged = this.charged.get(itemIndex) ?? 0;
		const request = this.requests.get(itemIndex);
		const frozen = job ? frozenOf(job) : undefined;
		if (frozen !== undefined && request) {
			knownPrices.set(shapeOf(request), frozen);
			this.spent += frozen - charged;
			this.charged.set(itemIndex, frozen);
		} else if (!job && refused) {
			this.spent -= charged;
			this.sent--;
			this.charged.delete(itemIndex);
		}
	}

	/** What this run sends in all, at today's prices: every job, or as many as Max Points per Run allows. */
	private batchWithinCap(): { jobs: number; points: number; prices: number[] } {
		const prices: number[] = [];
		let points = 0;
		for (const request of this.requests.values()) {
			const price = this.price(request);
			if (this.maxPoints > 0 && points + price > this.maxPoints) break;
			prices.push(price);
			points += price;
		}
		return { jobs: prices.length, points, prices };
	}

	private balanceError(itemIndex: number, batch: { jobs: number; points: number; prices: number[] }): NodeOperationError {
		const sentNote = this.sent ? `Only ${this.sent} job${this.sent > 1 ? 's were' : ' was'} sent.` : 'Nothing of this batch was sent.';
		const uniform = batch.prices.every((price) => price === batch.prices[0]);
		const cost = uniform ? `${batch.jobs} jobs × ${batch.prices[0]} points = ${batch.points} points` : `${batch.jobs} jobs = ${batch.points} points`;
		return new NodeOperationError(
			this.ctx.getNode(),
			`Not sent: the Legnext balance cannot pay for this batch: ${cost}, the balance has ${this.balance} (item ${itemIndex})`,
			{
				description: `${sentNote} Top up your Legnext balance, send fewer items, or set Options → Max Points per Run.`,
				itemIndex,
			},
		);
	}

	private capError(itemIndex: number, price: number): NodeOperationError {
		return new NodeOperationError(
			this.ctx.getNode(),
			`Not sent: Max Points per Run (${this.maxPoints}) is reached: ${this.sent} job${this.sent === 1 ? ' sent holds' : 's sent hold'} ${this.spent} points, this item costs ${price} (item ${itemIndex})`,
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
