// Under load (issue 21): bursts of callbacks, each delivered twice, to the Legnext Trigger and to a
// plain webhook (n8n's own Webhook node at its simplest) for comparison. Prints the figures; asserts
// only on counts: every job that called back reaches exactly one execution of the trigger's workflow.
const { startWorld, apiRequests } = require('../harness/world');

const CREDENTIAL = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };

/** Start → Legnext (N items, Text to Image, Don't Wait) with its callback; a receiver on its own. */
function burstWorkflow(world, id, jobs, receiver) {
	const legnext = {
		resource: 'image',
		operation: 'textToImage',
		prompt: '={{ "burst " + $json.n }}',
		waitMode: 'none',
		options: { concurrency: Math.min(jobs, 50) },
		...(receiver === 'trigger' ? { callback: 'trigger' } : { callback: 'url', callbackUrl: `${world.engine.webhookBaseUrl}webhook/${id}-hook/hook` }),
	};
	const receiverNode =
		receiver === 'trigger'
			? { id: `${id}-receiver`, name: 'Receiver', type: world.trigger, typeVersion: 1, position: [0, 200], webhookId: `${id}-hook`, parameters: {}, credentials: CREDENTIAL }
			: { id: `${id}-receiver`, name: 'Receiver', type: 'test.webhook', typeVersion: 1, position: [0, 200], webhookId: `${id}-hook`, parameters: {} };
	return {
		id,
		name: id,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: `${id}-items`, name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: Array.from({ length: jobs }, (_, n) => ({ n })) } },
			{ id: `${id}-legnext`, name: 'Legnext', type: world.legnext, typeVersion: 2, position: [400, 0], parameters: legnext, credentials: CREDENTIAL },
			receiverNode,
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] },
		},
	};
}

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);

async function until(condition, timeoutMs, what) {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Runs one burst and prints what the sender saw and what n8n ran. */
async function burst({ receiver, jobs, senderTimeoutMs = 10_000 }) {
	// Every job the same length, no cap at Legnext: the jobs end within a second of each other.
	const world = await startWorld({ concurrencyLimit: 0, durations: () => 60, callbackTimeoutMs: senderTimeoutMs });
	try {
		const id = `wf-burst-${receiver}-${jobs}`;
		const workflow = burstWorkflow(world, id, jobs, receiver);
		await world.engine.activateWorkflow(workflow);
		world.simulator.inject({ callbacks: 'twice' });
		const executions = [];
		const collecting = (async () => {
			for (;;) {
				try {
					executions.push(await world.engine.nextTriggeredRun({ timeoutMs: 8_000 }));
				} catch {
					return;
				}
			}
		})();
		const run = await world.engine.runWorkflow(workflow, { startNode: 'Start' });
		expect(run.error?.message).toBeUndefined();
		expect(run.status).toBe('success');
		expect(world.simulator.createdJobs()).toBe(jobs);
		await until(() => world.simulator.callbacks.filter((c) => c.finishedAt !== undefined).length >= 2 * jobs, 120_000, 'every delivery');
		await collecting;
		await world.engine.deactivateWorkflow(id);

		const deliveries = world.simulator.callbacks;
		const ends = [...world.simulator.jobs.values()].map((job) => job.callbackAt ?? 0);
		const answered = deliveries.filter((c) => c.status !== undefined);
		const times = answered.map((c) => c.finishedAt - c.at).sort((a, b) => a - b);
		const firstSent = Math.min(...deliveries.map((c) => c.at));
		const lastSent = Math.max(...deliveries.map((c) => c.at));
		const jobIds = executions.map((execution) => {
			const [item] = execution.output('Receiver');
			return item?.json.jobId ?? item?.json.body?.data?.job_id;
		});
		const figures = {
			receiver,
			jobs,
			deliveries: deliveries.length,
			sentWithinMs: lastSent - firstSent,
			answered: answered.length,
			answeredIn10s: times.filter((t) => t < 10_000).length,
			gaveUp: deliveries.length - answered.length,
			medianMs: quantile(times, 0.5),
			p95Ms: quantile(times, 0.95),
			executions: executions.length,
			jobsWithExecution: new Set(jobIds).size,
			failedExecutions: executions.filter((e) => e.status !== 'success').length,
			apiReads: apiRequests(world.simulator).filter((r) => r.method === 'GET').length,
		};
		void ends;
		console.log(`burst ${JSON.stringify(figures)}`);
		return { figures, jobIds, world };
	} finally {
		await world.close();
	}
}

jest.setTimeout(300_000);

describe.each([50, 150])('%i jobs ending within a second, each callback delivered twice', (jobs) => {
	test('n8n’s own Webhook (yardstick): every delivery runs', async () => {
		const { figures } = await burst({ receiver: 'webhook', jobs });
		expect(figures.executions).toBe(figures.answered);
	});

	test('Legnext Trigger: every job reaches exactly one execution, none lost', async () => {
		const { figures, jobIds } = await burst({ receiver: 'trigger', jobs });
		expect(figures.jobsWithExecution).toBe(jobs);
		expect(figures.executions).toBe(jobs);
		expect(jobIds.every(Boolean)).toBe(true);
		expect(figures.failedExecutions).toBe(0);
	});
});

test('a sender that gives up after 30 ms: every job still reaches exactly one execution', async () => {
	const { figures } = await burst({ receiver: 'trigger', jobs: 50, senderTimeoutMs: 30 });
	expect(figures.jobsWithExecution).toBe(50);
	expect(figures.executions).toBe(50);
});
