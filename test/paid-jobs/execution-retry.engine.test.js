// n8n's Retry of a failed execution (the executions list's "Retry"), in n8n's engine: n8n runs the
// failed Legnext node again from the execution's saved data, in a new execution. Every item that
// already created a job gets that job back (nothing is paid twice); items the failed run did not send
// are sent now; one job per item in all. The harness's retryExecution mirrors n8n's ExecutionService.retry.
const { startWorld, legnextWorkflow, apiRequests } = require('../harness/setup');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', ...extra });
const FOUR = [{ p: 'a lighthouse' }, { p: 'a fox' }, { p: 'a pier' }, { p: 'a kite' }];
const submits = () => apiRequests(world.simulator).filter((r) => r.method === 'POST');
const jobOfPrompt = (prompt) => [...world.simulator.jobs.values()].filter((job) => job.body?.text === prompt).map((job) => job.id);
const createdPerPrompt = () => FOUR.map(({ p }) => jobOfPrompt(p).length);

test('a download that failed: the Retry reads the same job again and brings its files, nothing sent', async () => {
	world.simulator.inject({ expireFiles: true });
	const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'grid' }), { items: FOUR.slice(0, 2) }));
	expect(first.status).toBe('error');
	expect(first.error.message).toMatch(/expired or was refused/);
	const jobs = [...world.simulator.jobs.keys()];
	expect(jobs).toHaveLength(2);
	for (const job of jobs) expect(`${first.error.message} ${first.error.description}`).toContain(job);

	// The file server answers again; the user presses Retry.
	world.simulator.inject({ expireFiles: false });
	const sent = submits().length;
	const retry = await world.engine.retryExecution(first.executionId);
	expect(retry.status).toBe('success');
	expect(retry.mode).toBe('retry');
	expect(submits()).toHaveLength(sent);
	const output = retry.output('Legnext');
	expect(output.map((item) => item.json.jobId)).toEqual(jobs);
	for (const item of output) expect(item.binary.data.mimeType).toBe('image/png');
});

test.each(['poll', 'callback'])('%s: an item refused mid-batch, then the Retry: the created job is handed back, the rest sent, one job per item', async (waitMode) => {
	world.simulator.inject({ refuseSubmit: { nth: 2, code: 402, message: 'Insufficient balance' } });
	const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode, options: { concurrency: 1 } }), { items: FOUR }));
	expect(first.status).toBe('error');
	expect(createdPerPrompt()).toEqual([1, 0, 0, 0]);
	const [job0] = jobOfPrompt('a lighthouse');
	expect(first.error.description).toContain(`item 0 → job ${job0}`);

	// The user topped up, then pressed Retry.
	let retry = await world.engine.retryExecution(first.executionId);
	// More items than the Concurrency: Pause Until Callback waits for each job in place, and pauses only while one runs.
	if (retry.status === 'waiting') retry = await world.engine.waitForResume(retry, { timeoutMs: 30_000 });
	expect(retry.status).toBe('success');
	expect(createdPerPrompt()).toEqual([1, 1, 1, 1]);
	// Four images per job, each on an item paired with its input item.
	const output = retry.output('Legnext');
	expect(output.map((item) => [item.pairedItem.item, item.json.jobId])).toEqual(FOUR.flatMap(({ p }, index) => Array(4).fill([index, jobOfPrompt(p)[0]])));
	expect(new Set(output.map((item) => item.json.status))).toEqual(new Set(['completed']));
});

test('Pause Until Callback with room for every item: the Retry reads every job in place, so no callback comes while it is still running', async () => {
	world.simulator.inject({ refuseSubmit: { when: (body) => body?.text === 'a fox', code: 402, message: 'Insufficient balance' } });
	const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback' }), { items: FOUR }));
	expect(first.status).toBe('error');
	const created = createdPerPrompt();
	expect(created[1]).toBe(0);

	world.simulator.inject({ refuseSubmit: undefined });
	const retry = await world.engine.retryExecution(first.executionId);
	// Ended at once: the jobs handed back called back to the failed execution, and the one sent now
	// was read in place rather than left to a callback that could come before the execution waited.
	expect(retry.status).toBe('success');
	expect(createdPerPrompt()).toEqual([1, 1, 1, 1]);
	expect([...new Set(retry.output('Legnext').map((item) => item.json.jobId))]).toEqual(FOUR.map(({ p }) => jobOfPrompt(p)[0]));
	expect(submits().filter((request) => request.body.callback?.includes(`/${retry.executionId}/`))).toHaveLength(1);
});

test('a job that failed stays that item’s job on a Retry: the same error, nothing paid again', async () => {
	world.simulator.inject({ failJobsWhen: (body) => body?.text === 'a fox' });
	const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR.slice(0, 2) }));
	expect(first.status).toBe('error');
	const [failed] = jobOfPrompt('a fox');
	expect(first.error.message).toContain(`Legnext could not finish job ${failed}`);

	const retry = await world.engine.retryExecution(first.executionId);
	expect(retry.status).toBe('error');
	expect(retry.error.message).toContain(`Legnext could not finish job ${failed}`);
	expect(createdPerPrompt().slice(0, 2)).toEqual([1, 1]);
});

test('a submit whose answer was lost is not sent again by the Retry either, and the error says why', async () => {
	world.simulator.inject({ http500: 1, http500On: 'submit' });
	const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage(), { items: FOUR.slice(0, 1) }));
	expect(first.status).toBe('error');
	const sentFirst = submits().length;

	const retry = await world.engine.retryExecution(first.executionId);
	expect(retry.status).toBe('error');
	expect(submits()).toHaveLength(sentFirst);
	expect(retry.error.message).toMatch(/Not sent again: the first try may already have created this job \(item 0\)/);
	expect(retry.error.description).toMatch(/Retry of the execution/);
});

test('a new run of the same workflow sends its items anew: only a Retry of the execution hands jobs back', async () => {
	const workflow = legnextWorkflow(world, textToImage({ waitMode: 'none' }), { items: FOUR.slice(0, 1) });
	await world.engine.runWorkflow(workflow);
	await world.engine.runWorkflow(workflow);
	expect(jobOfPrompt('a lighthouse')).toHaveLength(2);
});

describe('with a balance that just covers the batch', () => {
	let tight;
	beforeAll(async () => {
		// Four Text to Image jobs cost 4 × 80 = 320 points (the published price).
		tight = await startWorld({ concurrencyLimit: 6, balance: { points: 350, credits: 0 } });
	});
	afterAll(async () => await tight.close());

	test('the Retry does not count the jobs handed back against the balance again: Legnext already holds their points', async () => {
		tight.simulator.inject({ refuseSubmit: { nth: 2, code: 403, message: 'Sensitive content' } });
		const workflow = legnextWorkflow(tight, textToImage({ options: { concurrency: 1 } }), { items: FOUR });
		const first = await tight.engine.runWorkflow(workflow);
		expect(first.status).toBe('error');
		expect(tight.simulator.createdJobs()).toBe(1);

		// 270 points left: enough for the three items not paid yet (240), not for all four again (320).
		const retry = await tight.engine.retryExecution(first.executionId);
		expect(retry.status).toBe('success');
		expect(tight.simulator.createdJobs()).toBe(4);
		expect(new Set(retry.output('Legnext').map((item) => item.json.jobId)).size).toBe(4);
	});
});
