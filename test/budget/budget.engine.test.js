// A budget that is never overrun, in n8n's engine: a batch the balance cannot pay is refused before
// its first paid job (at Legnext's published price until a job tells the account's own), Max Points
// per Run caps a run, and each job's points are on its output item.
const { startWorld, legnextWorkflow, apiRequests } = require('../harness/setup');

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', waitMode: 'none', ...extra });
const FOUR = [{ p: 'a' }, { p: 'b' }, { p: 'c' }, { p: 'd' }];

/** A simulator account with `points`; its diffusion jobs freeze 80 points each. */
async function worldWith(points) {
	return await startWorld({ balance: { points } });
}

const submits = (world) => apiRequests(world.simulator).filter((r) => r.method === 'POST');

describe('a batch the balance cannot pay', () => {
	let world;
	beforeAll(async () => {
		world = await worldWith(200);
	});
	afterAll(async () => await world.close());

	test('first run (price not yet known): refused before its first paid job, at the published price', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR }));
		expect(run.status).toBe('error');
		expect(submits(world)).toHaveLength(0);
		expect(run.error.message).toMatch(/the Legnext balance cannot pay for this batch: 4 jobs × 80 points = 320 points, the balance has 200 \(item 0\)/);
		expect(run.error.description).toMatch(/Nothing of this batch was sent/);
	});

	test('next run (price known): refused before its first paid job; with Continue On Fail every item is an error item', async () => {
		world.simulator.reset();
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/4 jobs × 80 points = 320 points, the balance has 200 \(item 0\)/);
		expect(run.error.description).toMatch(/Nothing of this batch was sent/);
		expect(submits(world)).toHaveLength(0);

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

describe('Max Points per Run', () => {
	let world;
	beforeAll(async () => {
		world = await worldWith(100_000);
	});
	afterAll(async () => await world.close());

	test('items past the cap are not sent and come out as error items, without failing the node', async () => {
		// A diffusion costs 80 (Legnext's published price, then its own): a cap of 160 allows two jobs.
		const parameters = textToImage({ options: { maxPointsPerRun: 160 } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: FOUR }));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status ?? 'not sent')).toEqual(['pending', 'pending', 'not sent', 'not sent']);
		expect(output[2].json.error).toMatch(/Max Points per Run \(160\) is reached: 2 jobs sent hold 160 points, this item costs 80 \(item 2\)/);
		expect(output.map((item) => item.pairedItem)).toEqual(FOUR.map((_, item) => ({ item })));
		expect(submits(world)).toHaveLength(2);
	});
});
