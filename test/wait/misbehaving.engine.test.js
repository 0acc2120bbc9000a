// Waits that misbehaved (issue 21): a node pausing twice in one execution, long 429s against the
// Time Limit, and a pause with nothing sent. In n8n's engine, against the simulator.
const { startWorld, legnextWorkflow, submitRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const CREDENTIAL = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };

/** Start → Items → Loop (one at a time) → Legnext → back to Loop: the Legnext node runs once per item. */
function loopWorkflow(parameters, items) {
	return {
		nodes: [
			{ id: 'l-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'l-items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items } },
			{ id: 'l-loop', name: 'Loop', type: 'test.loop', typeVersion: 1, position: [400, 0], parameters: { batchSize: 1 } },
			{ id: 'l-legnext', name: 'Legnext', type: world.legnext, typeVersion: 2, position: [600, 0], parameters, credentials: CREDENTIAL },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
			Loop: { main: [[], [{ node: 'Legnext', type: 'main', index: 0 }]] },
			Legnext: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
		},
	};
}

/** Follows an execution through its pauses to its end; the waits it went through, in real ms. */
async function runToEnd(run, timeoutMs) {
	const waits = [];
	while (run.status === 'waiting') {
		const pausedAt = Date.now();
		run = await world.engine.waitForResume(run, { timeoutMs });
		waits.push(Date.now() - pausedAt);
	}
	return { run, waits };
}

describe('the same node pausing twice in one execution (Loop Over Items)', () => {
	const pauseNode = (extra = {}) => ({ resource: 'image', operation: 'textToImage', download: 'none', prompt: '={{ $json.p }}', waitMode: 'callback', ...extra });

	test('the second pause resumes on its own callback', async () => {
		const first = await world.engine.runWorkflow(loopWorkflow(pauseNode(), [{ p: 'first' }, { p: 'second' }]));
		expect(first.status).toBe('waiting');
		// n8n's fallback comes 2 min after the time limit: a pause that ignores its callback waits that long.
		const { run, waits } = await runToEnd(first, 15_000);
		expect(run.status).toBe('success');
		expect(waits).toHaveLength(2);
		const outputs = run.nodeRuns('Legnext').map((task) => task.data.main[0][0].json);
		expect(outputs.map((json) => json.status)).toEqual(['completed', 'completed']);
		expect(outputs.map((json) => world.simulator.jobs.get(json.jobId).body.text)).toEqual(['first', 'second']);
		expect(world.simulator.createdJobs()).toBe(2);
	});

	test('with no callback at all, the second pause ends at its own final check', async () => {
		world.simulator.inject({ callbacks: 'missing' });
		const first = await world.engine.runWorkflow(loopWorkflow(pauseNode({ timeLimitMinutes: 3 }), [{ p: 'first' }, { p: 'second' }]));
		const { run, waits } = await runToEnd(first, 15_000);
		expect(run.status).toBe('success');
		expect(waits).toHaveLength(2);
		const outputs = run.nodeRuns('Legnext').map((task) => task.data.main[0][0].json);
		expect(outputs.map((json) => json.status)).toEqual(['completed', 'completed']);
		expect(outputs.every((json) => !json.error)).toBe(true);
	});
});

describe('the Time Limit bounds the waits for a free slot', () => {
	test('Legnext answering 429 for a long time: the item stops at its Time Limit, nothing paid, and says so', async () => {
		// Every submit refused with 429 for far longer than the item's 1 min (job time).
		world.simulator.inject({ status: { code: 429, count: 1_000_000, on: 'submit' } });
		const startedAt = world.simulator.now();
		const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'textToImage', download: 'none', prompt: 'a fox', timeLimitMinutes: 1 }));
		const jobSeconds = (world.simulator.now() - startedAt) / 1000;
		const submits = submitRequests(world.simulator);
		console.log(`429 for ever, Time Limit 1 min: gave up after ${jobSeconds.toFixed(0)} job s and ${submits.length} submits`);
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/no free slot for this job within 1 min, the time limit \(item 0\)/);
		expect(run.error.description).toMatch(/Nothing was created or paid/);
		expect(world.simulator.createdJobs()).toBe(0);
		// The 20-minute policy would send about 150 submits; a minute of 1–8 s waits sends a dozen or so.
		expect(submits.length).toBeLessThan(30);
	});
});

describe('Pause Until Callback with nothing sent', () => {
	test('every item invalid, with Continue On Fail: error items at once, no wait', async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'image', operation: 'textToImage', download: 'none', prompt: '={{ $json.p }}', waitMode: 'callback', timeLimitMinutes: 600 }, {
				items: [{ p: '' }, { p: '' }],
				node: { onError: 'continueRegularOutput' },
			}),
		);
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output).toHaveLength(2);
		output.forEach((item, index) => {
			expect(item.json.error).toMatch(/Prompt/);
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(submitRequests(world.simulator)).toHaveLength(0);
	});
});

describe('Pause Until Callback with more items than the account runs at once', () => {
	test('36 items, account cap 6, Concurrency 6: one submit per job, none refused, every item arrives without a pause', async () => {
		const items = Array.from({ length: 36 }, (_, n) => ({ n }));
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'image', operation: 'textToImage', download: 'none', prompt: '={{ "pic " + $json.n }}', waitMode: 'callback', options: { concurrency: 6 } }, { items }),
		);
		const submits = submitRequests(world.simulator);
		console.log(`Pause, 36 items, cap 6, Concurrency 6: ${submits.length} submits, ${submits.filter((r) => r.status === 429).length} refused with 429, ${world.simulator.createdJobs()} jobs`);
		// More items than Concurrency: every job is waited for in place (a paused execution would miss the
		// callbacks of jobs that end while execute() still waits for others), so the run ends without pausing.
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status)).toEqual(items.map(() => 'completed'));
		expect(output.map((item) => world.simulator.jobs.get(item.json.jobId).body.text)).toEqual(items.map(({ n }) => `pic ${n}`));
		expect(world.simulator.createdJobs()).toBe(36);
		expect(submits.filter((r) => r.status === 429).length).toBe(0);
		expect(submits.length).toBe(36);
	});

	test('the issue’s batch, 240 items, account cap 40, Concurrency 40: 240 submits, as Poll Until Done sends', async () => {
		const big = await startWorld({ concurrencyLimit: 40 });
		try {
			const items = Array.from({ length: 240 }, (_, n) => ({ n }));
			const counts = {};
			for (const waitMode of ['poll', 'callback']) {
				big.simulator.reset();
				let run = await big.engine.runWorkflow(
					legnextWorkflow(big, { resource: 'image', operation: 'textToImage', download: 'none', prompt: '={{ "pic " + $json.n }}', waitMode, options: { concurrency: 40 } }, { items }),
				);
				if (run.status === 'waiting') run = await big.engine.waitForResume(run, { timeoutMs: 60_000 });
				expect(run.status).toBe('success');
				expect(run.output('Legnext').filter((item) => item.json.status === 'completed')).toHaveLength(240);
				const submits = submitRequests(big.simulator);
				counts[waitMode] = { submits: submits.length, refused: submits.filter((r) => r.status === 429).length, jobs: big.simulator.createdJobs() };
			}
			console.log(`240 items, cap 40, Concurrency 40: ${JSON.stringify(counts)}`);
			expect(counts.callback).toEqual({ submits: 240, refused: 0, jobs: 240 });
			expect(counts.poll).toEqual({ submits: 240, refused: 0, jobs: 240 });
		} finally {
			await big.close();
		}
	});
});

describe('Pause Until Callback, a callback that arrives before Legnext’s API has caught up', () => {
	test('"completed" while the API still says "processing": read again, and the execution resumes now, not at the time limit', async () => {
		world.simulator.inject({ unknownStatus: 'processing', unknownStatusPolls: 2 });
		// A time limit of 60 min (18 s real): a resume within 10 s is the callback's, not the final check's.
		const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'textToImage', download: 'none', prompt: 'a fox', waitMode: 'callback', timeLimitMinutes: 60 }));
		expect(run.status).toBe('waiting');
		const done = await world.engine.waitForResume(run, { timeoutMs: 10_000 });
		expect(done.status).toBe('success');
		const [item] = done.output('Legnext');
		expect(item.json.status).toBe('completed');
		expect(world.simulator.requests.filter((r) => r.method === 'GET' && r.path.includes(item.json.jobId))).toHaveLength(3);
	});
});
