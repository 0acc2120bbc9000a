// A paid submit is sent once per item, whatever Legnext answers and however n8n retries: the submit's
// own retries (429, 500, an answer lost) and Retry On Fail, in both versions of the node. Across n8n's Retry of an execution and
// mid-batch refusals: seams.engine.test.js; over generated runs: generated-*.engine.test.js.
const { startWorld, legnextWorkflow, submitRequests, apiRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: 'a red fox in the snow', ...extra });

describe('a submit is sent again only when Legnext made no job', () => {
	test('500 on a submit is not retried (it may have created a job)', async () => {
		world.simulator.inject({ http500: 1, http500On: 'submit' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.error.message).toMatch(/temporary problem/);
		expect(submitRequests(world.simulator)).toHaveLength(1);
	});

	test('429 on submit: wait and send again, one job in the end', async () => {
		world.simulator.inject({ status: { code: 429, count: 2, retryAfter: 1, on: 'submit' } });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none' })));
		expect(run.status).toBe('success');
		expect(submitRequests(world.simulator)).toHaveLength(3);
		expect(world.simulator.createdJobs()).toBe(1);
	});

	test('an answer lost after the job was created: not sent again, and Retry On Fail does not pay twice', async () => {
		world.simulator.inject({ dropConnection: 1, dropConnectionOn: 'submit' });
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ waitMode: 'none' }), { node: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } }),
		);
		expect(run.status).toBe('error');
		expect(world.simulator.createdJobs()).toBe(1);
		expect(submitRequests(world.simulator)).toHaveLength(1);
	});
});

describe('Retry On Fail', () => {
	test('Retry On Fail with a first error item re-runs the node without submitting twice', async () => {
		const items = [{ p: '' }, { p: 'a' }, { p: 'b' }];
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ $json.p }}', waitMode: 'none' }), {
				items,
				node: { onError: 'continueRegularOutput', retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
			}),
		);
		expect(run.output('Legnext')).toHaveLength(3);
		expect(world.simulator.createdJobs()).toBe(2);
	});
});

describe('Retry On Fail in version 1 (a workflow as 0.1.0 saved it, with a 0.1.0 credential)', () => {
	let v1;
	beforeAll(async () => {
		v1 = await startWorld({}, { keyOnly: true });
	});
	afterAll(async () => await v1.close());

	test('Retry On Fail does not submit (and pay for) the same job again', async () => {
		// 0.1.0 output Legnext's `error: {code: 0, …}`, which n8n reads as a failed run: with Retry On
		// Fail it ran the node three times and created three jobs.
		// Now the item carries no `error` (n8n does not retry at all), and the submission ledger
		// would return the first job to a retry anyway.
		const run = await v1.engine.runWorkflow(
			legnextWorkflow(v1, { text: 'a red fox' }, { node: { typeVersion: 1, retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } }),
		);
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json).not.toHaveProperty('error');
		expect(apiRequests(v1.simulator).filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(v1.simulator.createdJobs()).toBe(1);
	});
});
