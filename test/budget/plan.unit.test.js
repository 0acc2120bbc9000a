// The budget's plan at a cost per item that does not grow with the batch (issue 33). The plan was
// once summed over every item for each item admitted (4–5 s of CPU for 8,000 items); it now keeps
// running totals. This test drives the built Budget and, beside it, the earlier item-by-item plan
// (kept below as the reference) through the same random runs — items of mixed shapes and prices,
// Max Points per Run or none, balances that can or cannot pay, retries' jobs already paid, jobs
// settling at another price than published, refusals — and asserts every decision is the same: which
// items are sent, which refused, and the numbers each error shows.
const fc = require('fast-check');
const { Budget } = require('../../dist/nodes/Legnext/run/budget');

/** Requests of every kind of price: plain, turbo, draft, video rows, a follow-up that inherits its speed, an unknown task. */
const REQUESTS = [
	{ path: '/api/v1/diffusion', body: { text: 'a fox' } },
	{ path: '/api/v1/diffusion', body: { text: 'a fox --turbo' } },
	{ path: '/api/v1/diffusion', body: { text: 'a fox --draft' } },
	{ path: '/api/v1/video-diffusion', body: { prompt: 'waves', videoType: 1 } },
	{ path: '/api/v1/video-diffusion', body: { prompt: 'waves', videoType: 0 } },
	{ path: '/api/v1/variation', body: { jobId: 'parent', imageNo: 0 } },
	{ path: '/api/v1/describe', body: { imgUrl: 'https://example.com/a.png' } },
	{ path: '/api/v1/not-a-task', body: {} },
];

const ctx = { getNode: () => ({ id: '1', name: 'Legnext', type: 'n8n-nodes-legnext.legnext', typeVersion: 2, position: [0, 0], parameters: {} }) };

/** The plan as it was before issue 33, item by item, on its own copy of the run's state. */
class ReferencePlan {
	constructor(budget, maxPoints, balance) {
		Object.assign(this, { budget, maxPoints, balance, counted: new Map(), refused: new Set(), paidBefore: new Set(), unpayable: undefined });
	}
	price(itemIndex) {
		return this.budget.priceOf(itemIndex);
	}
	planned() {
		const prices = [...this.counted].filter(([i]) => !this.paidBefore.has(i)).map(([, p]) => p);
		let total = sum([...this.counted.values()]);
		for (const i of [...this.budget.shapes.keys()].sort((a, b) => a - b)) {
			if (this.counted.has(i) || this.refused.has(i)) continue;
			const price = this.price(i) ?? 0;
			if (this.maxPoints > 0 && total + price > this.maxPoints) continue;
			total += price;
			prices.push(price);
		}
		return prices;
	}
	/** 'send', or the refusal: `cap <jobs sent> <points held>` / `balance <planned prices>`. */
	admit(i, alreadyPaid) {
		if (alreadyPaid) {
			this.counted.set(i, this.price(i) ?? 0);
			this.paidBefore.add(i);
			return 'send';
		}
		const price = this.price(i);
		const spent = sum([...this.counted.values()]);
		if (price !== undefined && this.maxPoints > 0 && spent + price > this.maxPoints) {
			this.refused.add(i);
			return `cap ${this.counted.size} ${spent} ${price}`;
		}
		if (this.balance !== undefined) {
			this.unpayable ??= sum(this.planned()) > this.balance.total ? this.planned() : undefined;
			if (this.unpayable) return `balance ${sum(this.unpayable)}`;
		}
		this.counted.set(i, price ?? 0);
		return 'send';
	}
	settle(i, frozen, refused) {
		if (frozen === undefined && refused) {
			this.counted.delete(i);
			this.refused.add(i);
		} else if (frozen !== undefined && this.counted.has(i)) this.counted.set(i, frozen);
	}
}

const sum = (prices) => prices.reduce((total, price) => total + price, 0);

/** The Budget's answer in the reference's words, read from its error message. */
function decision(refusal) {
	if (!refusal) return 'send';
	const message = refusal.error.message;
	const cap = message.match(/is reached: (\d+) jobs? sent holds? (\d+) points, this item costs (\d+)/);
	if (cap) return `cap ${cap[1]} ${cap[2]} ${cap[3]}`;
	const balance = message.match(/= (\d+) points, the balance has/);
	if (balance) return `balance ${balance[1]}`;
	return message;
}

/** Whatever the balance, the running plan is over it exactly when the item-by-item plan is. */
function expectSamePlan(budget, reference) {
	const planned = sum(reference.planned());
	for (const limit of [0, planned - 1, planned, planned + 1, planned + 100, reference.maxPoints]) {
		expect([limit, budget.plannedExceeds(limit)]).toEqual([limit, planned > limit]);
	}
	expect(budget.countedTotal).toBe(sum([...reference.counted.values()]));
}

const run = fc.record({
	shapes: fc.array(fc.nat(REQUESTS.length - 1), { minLength: 1, maxLength: 40 }),
	maxPoints: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6000 })),
	balance: fc.option(fc.integer({ min: 0, max: 12000 }), { nil: undefined }),
	// Per item, in the order sent: already paid by an earlier try, and how its submit ends.
	steps: fc.array(
		fc.record({
			alreadyPaid: fc.boolean(),
			ends: fc.constantFrom('job', 'job', 'job', 'refused', 'mayExist', 'later'),
			frozen: fc.constantFrom(undefined, 20, 80, 100, 160, 480, 1536),
		}),
		{ minLength: 40, maxLength: 40 },
	),
	order: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
});

test('the running plan decides as the item-by-item plan did, for every item of 400 random runs', async () => {
	await fc.assert(
		fc.asyncProperty(run, async ({ shapes, maxPoints, balance, steps, order }) => {
			const requests = shapes.map((n) => REQUESTS[n]);
			const { priceShape } = require('../../dist/nodes/Legnext/run/prices');
			const budget = new Budget(ctx, new Map(requests.map((r, i) => [i, priceShape(r.path, r.body)])), maxPoints);
			if (balance !== undefined) budget.balance = { credits: balance, points: 0, total: balance };
			const reference = new ReferencePlan(budget, maxPoints, budget.balance);
			// Items are admitted in a shuffled order (a few run at once; a shape's scout goes first).
			const indexes = requests.map((_, i) => i).sort((a, b) => (order[a] % 7) - (order[b] % 7) || a - b);
			const later = [];
			for (const i of indexes) {
				const step = steps[i];
				const expected = reference.admit(i, step.alreadyPaid);
				expect(decision(await budget.admit(i, step.alreadyPaid))).toBe(expected);
				expectSamePlan(budget, reference);
				// The error lists the same jobs at the same prices.
				expect(budget.unpayable).toEqual(reference.unpayable);
				if (expected !== 'send') continue;
				const settle = () => {
					const frozen = step.ends === 'job' || step.ends === 'later' ? step.frozen : undefined;
					const job = frozen === undefined && step.ends !== 'job' && step.ends !== 'later' ? undefined : { meta: { usage: { frozen } } };
					reference.settle(i, job ? frozen : undefined, step.ends === 'refused');
					budget.settle(i, job, step.ends === 'refused');
				};
				if (step.ends === 'later') later.push(settle);
				else settle();
				// Jobs settle while later items are admitted.
				if (later.length && order[i] % 3 === 0) later.shift()();
			}
			later.forEach((settle) => settle());
			expectSamePlan(budget, reference);
		}),
		{ numRuns: 400 },
	);
});

test('an item costs the budget the same few price look-ups in a batch of 100 as in one of 10,000', async () => {
	const { priceShape } = require('../../dist/nodes/Legnext/run/prices');
	// Item by item, each item looked up the price of every item not yet sent: 10,000 × 10,000.
	const lookUpsPerItem = async (count, maxPoints) => {
		const shapes = [priceShape('/api/v1/diffusion', { text: 'a fox' }), priceShape('/api/v1/diffusion', { text: 'a fox --turbo' })];
		const budget = new Budget(ctx, new Map(Array.from({ length: count }, (_, i) => [i, shapes[i % 2]])), maxPoints);
		budget.balance = { credits: count * 4000, points: 0, total: count * 4000 };
		let lookUps = 0;
		const priceOfShape = budget.priceOfShape.bind(budget);
		budget.priceOfShape = (shape) => (lookUps++, priceOfShape(shape));
		for (let i = 0; i < count; i++) {
			if (await budget.admit(i)) throw new Error(`item ${i} refused`);
			budget.settle(i, { meta: { usage: { frozen: i % 2 ? 160 : 80 } } }, false);
		}
		return lookUps / count;
	};
	for (const maxPoints of [0, 10_000 * 4000]) {
		// One for the item, one per shape for the plan.
		expect(await lookUpsPerItem(100, maxPoints)).toBeLessThanOrEqual(3);
		expect(await lookUpsPerItem(10_000, maxPoints)).toBeLessThanOrEqual(3);
	}
});
