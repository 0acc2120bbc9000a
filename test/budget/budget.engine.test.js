// A budget that is never overrun, in n8n's engine: the balance counts credits plus bonus points, each
// job counts at the larger of Legnext's published price for its shape and what the account was
// charged for the same shape; a batch the balance cannot pay is refused before its first paid job,
// Max Points per Run caps a run, and each job's points are on its output item.
const { startWorld, legnextWorkflow, apiRequests } = require('../harness/world');

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', waitMode: 'none', ...extra });
const FOUR = [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }];

/**
 * A simulator account holding `total` in bonus points and no credits; its diffusion jobs freeze 80
 * each (the pricing page). (Until issue 20 this set `points` only and left the default 3,000 credits,
 * which the node did not count.)
 */
async function worldWith(total, options = {}) {
	return await startWorld({ balance: { points: total, credits: 0 }, ...options });
}

const submits = (world) => apiRequests(world.simulator).filter((r) => r.method === 'POST');

describe('a batch the balance cannot pay', () => {
	let world;
	beforeAll(async () => {
		world = await worldWith(200);
	});
	afterAll(async () => await world.close());

	test('refused before its first paid job, at the published price (80 a diffusion); the error shows the numbers and the balance', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/the Legnext balance cannot pay for this batch: 4 jobs × 80 points = 320 points, the balance has 200 \(credits 0 \+ bonus points 200\) \(item 0\)/);
		expect(run.error.description).toMatch(/Nothing of this batch was sent/);
		expect(submits(world)).toHaveLength(0);
	});

	test('with Continue On Fail every item is an error item, nothing is sent', async () => {
		world.simulator.reset();
		const kept = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR, node: { onError: 'continueRegularOutput' } }));
		expect(kept.output('Legnext').map((item) => Object.keys(item.json).sort())).toEqual(FOUR.map(() => ['details', 'error']));
		expect(submits(world)).toHaveLength(0);
	});

	test('a batch it can pay goes through, each item showing the points its job froze', async () => {
		world.simulator.reset();
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR.slice(0, 2) }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext').map((item) => item.json.usage)).toEqual([
			{ type: 'point', frozen: 80, consume: 0 },
			{ type: 'point', frozen: 80, consume: 0 },
		]);
	});
});

describe('the balance is credits plus bonus points', () => {
	test('an account of 100,000 credits and 0 points runs a batch of 24', async () => {
		const world = await startWorld({ balance: { credits: 100_000, points: 0 }, concurrencyLimit: 0 });
		try {
			const items = Array.from({ length: 24 }, (_, n) => ({ p: `fox ${n}` }));
			const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ options: { concurrency: 6 } }), { items }));
			expect(run.status).toBe('success');
			expect(run.output('Legnext')).toHaveLength(24);
			expect(run.output('Legnext').every((item) => item.json.status === 'pending')).toBe(true);
			expect(submits(world)).toHaveLength(24);
			const balance = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'account', operation: 'getBalance' }));
			expect(balance.output('Legnext')[0].json).toMatchObject({ availableCredits: 100_000 - 24 * 80, availablePoints: 0, availableTotal: 100_000 - 24 * 80 });
		} finally {
			await world.close();
		}
	});
});

describe('each request counts at its own shape\'s price, never less than the account was charged', () => {
	const imageToVideo = (videoType) => ({
		resource: 'video',
		operation: 'imageToVideo',
		imageSource: 'url',
		imageUrl: '={{ $json.url }}',
		prompt: '={{ $json.p }}',
		resolution: videoType === 1 ? '720p' : '480p',
		waitMode: 'none',
	});

	test('after a 480p video, a batch of 720p videos is capped on the 720p price (1536), not the 480p one', async () => {
		const world = await startWorld({ concurrencyLimit: 0 });
		try {
			const one = await world.engine.runWorkflow(legnextWorkflow(world, imageToVideo(0), { items: [{ url: 'https://example.com/a.png', p: 'waves' }] }));
			expect(one.status).toBe('success');
			expect(one.output('Legnext')[0].json.usage.frozen).toBe(480);
			world.simulator.reset();
			const items = Array.from({ length: 5 }, (_, n) => ({ url: 'https://example.com/a.png', p: `waves ${n}` }));
			const parameters = { ...imageToVideo(1), options: { maxPointsPerRun: 3200 } };
			const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items }));
			expect(run.status).toBe('success');
			const output = run.output('Legnext');
			expect(output.map((item) => item.json.usage?.frozen ?? 'not sent')).toEqual([1536, 1536, 'not sent', 'not sent', 'not sent']);
			expect(output[2].json.error).toMatch(/Max Points per Run \(3200\) is reached: 2 jobs sent hold 3072 points, this item costs 1536 \(item 2\)/);
			expect(output[2].json.details).toMatch(/Its job counts 1536 points/);
			expect(submits(world)).toHaveLength(2);
		} finally {
			await world.close();
		}
	});

	test('an account charged more than the page for a shape (the seed\'s --draft job froze 80, the page says 40): the first goes alone, the rest count 80', async () => {
		const world = await worldWith(200, { prices: (shape) => (shape.taskType === 'diffusion' && shape.draft ? 80 : undefined) });
		try {
			const drafts = FOUR.map(({ p }) => ({ p: `${p} --v 7 --draft` }));
			const parameters = textToImage({ options: { concurrency: 4 } });
			const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: drafts, node: { onError: 'continueRegularOutput' } }));
			const output = run.output('Legnext');
			// 4 × 40 = 160 fits 200, so the first is sent; it froze 80, and 4 × 80 does not fit.
			expect(output[0].json.usage).toMatchObject({ frozen: 80 });
			expect(output.slice(1).map((item) => item.json.error)).toEqual(
				[1, 2, 3].map((n) => expect.stringMatching(new RegExp(`4 jobs × 80 points = 320 points, the balance has 200 .*\\(item ${n}\\)`))),
			);
			expect(output[1].json.details).toMatch(/1 job was sent before the node learned what Legnext charges your account for it/);
			expect(submits(world)).toHaveLength(1);

			world.simulator.reset();
			const again = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: drafts }));
			expect(again.status).toBe('error');
			expect(again.error.message).toMatch(/4 jobs × 80 points = 320 points.*\(item 0\)/);
			expect(submits(world)).toHaveLength(0);
		} finally {
			await world.close();
		}
	});
});

describe('Max Points per Run', () => {
	let world;
	beforeAll(async () => {
		world = await worldWith(100_000);
	});
	afterAll(async () => await world.close());

	test('items past the cap are not sent and come out as error items, without failing the node', async () => {
		// A diffusion counts 80 (the pricing page); a cap of 160 allows two jobs.
		const parameters = textToImage({ options: { maxPointsPerRun: 160 } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: FOUR }));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status ?? 'not sent')).toEqual(['pending', 'pending', 'not sent', 'not sent']);
		expect(output[2].json.error).toMatch(/Max Points per Run \(160\) is reached: 2 jobs sent hold 160 points, this item costs 80 \(item 2\)/);
		expect(output.map((item) => item.pairedItem)).toEqual(FOUR.map((_, item) => ({ item })));
		expect(submits(world)).toHaveLength(2);
	});

	test('an item Legnext refused (a 4xx: no job) frees its share of the cap', async () => {
		world.simulator.reset();
		world.simulator.inject({ refuseSubmit: { nth: 1, code: 403, message: 'Prompt blocked' } });
		const parameters = textToImage({ options: { maxPointsPerRun: 160, concurrency: 1 } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: FOUR.slice(0, 3), node: { onError: 'continueRegularOutput' } }));
		const output = run.output('Legnext');
		expect(output[0].json.error).toMatch(/sensitive content or no permission/);
		expect(output.slice(1).map((item) => item.json.status)).toEqual(['pending', 'pending']);
		expect(world.simulator.createdJobs()).toBe(2);
	});
});
