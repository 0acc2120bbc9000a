// Options → Concurrency Mode → Auto (issue 30): the node reads the account's limit and running jobs
// (GET /api/account/active_tasks) and sends only into free slots, so jobs of other executions on the
// same key count; without that endpoint it falls back to 6 and says so once. In n8n's engine.
const { API_KEY, startWorld, legnextWorkflow, submitRequests, apiRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	// The other execution's jobs last 200 s (1 s real): they still run while this run sends.
	world = await startWorld({ concurrencyLimit: 3, durations: (taskType, { body }) => (String(body.text ?? '').startsWith('elsewhere') ? 200 : undefined) });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (options) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ "a fox " + $json.n }}', download: 'none', options });
const items = (count) => Array.from({ length: count }, (_, n) => ({ n }));

/** Jobs another execution sent on the same key (of `on`, this file's first world by default), straight to the API. */
async function otherExecutionJobs(count, on = world) {
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	for (let n = 0; n < count; n++) {
		const answer = await fetch(`${on.simulator.url}/api/v1/diffusion`, { method: 'POST', headers, body: JSON.stringify({ text: `elsewhere ${n}` }) });
		expect(answer.status).toBe(200);
	}
}

/** The most jobs of the account that ran at once, from their own timelines (job time). */
function mostAtOnce() {
	const jobs = [...world.simulator.jobs.values()];
	return Math.max(...jobs.map((job) => jobs.filter((other) => other.admittedAt <= job.admittedAt && job.admittedAt < other.endsAt).length));
}

describe('Concurrency Mode → Auto', () => {
	test('with 2 of 3 slots taken by another execution, 5 items go one free slot at a time: no 429, one submit per job', async () => {
		await otherExecutionJobs(2);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ concurrencyMode: 'auto' }), { items: items(5) }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext').map((item) => item.json.status)).toEqual(Array(5).fill('completed'));
		const submits = submitRequests(world.simulator).filter((request) => request.path === '/api/v1/diffusion' && request.body.text.startsWith('a fox'));
		expect(submits.map((request) => request.status)).toEqual(Array(5).fill(200));
		expect(mostAtOnce()).toBeLessThanOrEqual(3);
		expect(apiRequests(world.simulator).filter((request) => request.path === '/api/account/active_tasks').length).toBeGreaterThanOrEqual(5);
		expect(run.runExecutionData.resultData.runData.Legnext[0].hints ?? []).toEqual([]);
	});

	test('a new node (no Concurrency option set) runs Auto: it reads the account and is never refused', async () => {
		await otherExecutionJobs(2);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(undefined), { items: items(5) }));
		expect(run.status).toBe('success');
		const statuses = submitRequests(world.simulator).filter((request) => request.body?.text?.startsWith('a fox')).map((request) => request.status);
		expect(statuses).toEqual(Array(5).fill(200));
		expect(mostAtOnce()).toBeLessThanOrEqual(3);
		expect(apiRequests(world.simulator).some((request) => request.path === '/api/account/active_tasks')).toBe(true);
	});

	test.each([
		['Fixed', { concurrencyMode: 'fixed' }],
		['only Concurrency 6 set (that number chosen: Fixed)', { concurrency: 6 }],
	])('%s on the same account is refused with 429s and waits them out', async (_, options) => {
		await otherExecutionJobs(2);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(options), { items: items(5) }));
		expect(run.status).toBe('success');
		const statuses = submitRequests(world.simulator).filter((request) => request.body?.text?.startsWith('a fox')).map((request) => request.status);
		expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
		expect(apiRequests(world.simulator).some((request) => request.path === '/api/account/active_tasks')).toBe(false);
	});

	test('a Legnext without GET /api/account/active_tasks (404): 6 at a time, and one execution hint says so', async () => {
		world.simulator.inject({ activeTasks: 'missing' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ concurrencyMode: 'auto' }), { items: items(4) }));
		expect(run.status).toBe('success');
		const hints = run.runExecutionData.resultData.runData.Legnext[0].hints;
		expect(hints).toHaveLength(1);
		expect(hints[0].message).toMatch(/could not read the account's limit \(this Legnext has no GET \/api\/account\/active_tasks \(404\)\): this run sends 6 items at a time/);
		expect(apiRequests(world.simulator).filter((request) => request.path === '/api/account/active_tasks')).toHaveLength(1);
	});

	test('the wrapped answer ({code, message, data}) is read as well', async () => {
		world.simulator.inject({ activeTasksShape: 'wrapped' });
		await otherExecutionJobs(3);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ concurrencyMode: 'auto' }), { items: items(2) }));
		expect(run.status).toBe('success');
		expect(submitRequests(world.simulator).filter((request) => request.status === 429)).toHaveLength(0);
		expect(mostAtOnce()).toBeLessThanOrEqual(3);
	});
});

describe('Concurrency Mode → Auto and the Time Limit', () => {
	test('an account full until past the item\'s Time Limit: not sent, nothing paid, the error says why and what to do', async () => {
		// 3 of 3 slots taken for 200 job s by another execution; the item may wait 1 min.
		await otherExecutionJobs(3);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, { ...textToImage(undefined), timeLimitMinutes: 1 }, { items: items(1) }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Not sent: Legnext had no free slot for this job within 1 min, the time limit \(item 0\)/);
		expect(run.error.description).toMatch(/active_tasks.*Nothing was created or paid for this item.*other workflows on the same key count/);
		expect(submitRequests(world.simulator).filter((request) => request.body?.text?.startsWith('a fox'))).toHaveLength(0);
		expect(apiRequests(world.simulator).filter((request) => request.path === '/api/account/active_tasks').length).toBeGreaterThan(1);
	});
});

describe('Concurrency Mode → Auto with Pause Until Callback', () => {
	test('more items than the account\'s limit: the run says the worker is held while its jobs are waited for in place', async () => {
		const parameters = { ...textToImage({ concurrencyMode: 'auto' }), waitMode: 'callback' };
		const run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: items(4) }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext').map((item) => item.json.status)).toEqual(Array(4).fill('completed'));
		const hints = run.runExecutionData.resultData.runData.Legnext.flatMap((task) => task.hints ?? []);
		expect(hints.map((hint) => hint.message)).toEqual([expect.stringMatching(/runs 3 jobs at a time and this run sends 4, so the node waits for its jobs in place \(it holds this n8n worker\)/)]);
	});
});

describe('Concurrency Mode → Auto on a roomy account', () => {
	// 24 slots, 2 taken by another execution's long jobs: the run starts on a busy account.
	let roomy;
	beforeAll(async () => {
		roomy = await startWorld({ concurrencyLimit: 24, durations: (taskType, { body }) => (String(body.text ?? '').startsWith('elsewhere') ? 200 : undefined) });
	});
	afterAll(async () => await roomy.close());

	test.each([
		['Don\'t Wait', 'none'],
		['Poll Until Done', 'poll'],
	])('%s: 10 items wait one pause for the free slots, not one pause per item (one account read each, no 429)', async (_, waitMode) => {
		await otherExecutionJobs(2, roomy);
		const run = await roomy.engine.runWorkflow(legnextWorkflow(roomy, { ...textToImage({ concurrencyMode: 'auto' }), waitMode }, { items: items(10) }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')).toHaveLength(10);
		const statuses = submitRequests(roomy.simulator).filter((request) => request.body?.text?.startsWith('a fox')).map((request) => request.status);
		expect(statuses).toEqual(Array(10).fill(200));
		// The gate's opening read, one read after the pause for the first item, then one read per later item
		// (a pause per item read twice per item: 20 and more).
		const reads = apiRequests(roomy.simulator).filter((request) => request.path === '/api/account/active_tasks').length;
		expect(reads).toBeLessThanOrEqual(12);
		roomy.simulator.reset();
	});
});
