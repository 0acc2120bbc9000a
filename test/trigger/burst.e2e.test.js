// A burst of callbacks into a real n8n 2.41 (issue 29, point 10): jobs ending together, each callback
// delivered twice, by a sender that gives up after 2 s (many do, on 2 cores), three runs. Every callback
// the Legnext Trigger took (claimed: duplicates of it are answered "duplicate") ends in exactly one
// execution, whatever became of its sender; no job starts two. Deliveries n8n itself dropped before the
// node ran (it reads a request's body only after it found an expression isolate for the trigger, and a
// sender that gave up leaves no body to read: "Request body stream was aborted") are counted apart —
// bench/callback-burst.js measures them beside n8n's own Webhook node.
const fs = require('fs');
const path = require('path');
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-burst-key-5d2c9e71';
const CREDENTIAL = { id: 'LgxE2eBurstCred1', name: 'Legnext e2e burst', type: 'legnextApi' };
const WF = 'LgxE2eBurstTrig1';
const JOBS = 40;
const RUNS = 3;

jest.setTimeout(10 * 60 * 1000);

let world;
beforeAll(async () => {
	world = await support.startWorld({
		// Real time: every job 1 + 3 s, all created together, so their callbacks come within a second.
		simulator: { apiKeys: [API_KEY], timeScale: 1, concurrencyLimit: 0, durations: () => ({ pending: 1, processing: 3 }), callbackTimeoutMs: 2000 },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => [support.chainWorkflow(WF, 'e2e: a burst into the Legnext Trigger', [support.triggerNode('Legnext Trigger', CREDENTIAL, {}, '5d2c9e71-0000-4000-8000-00000000e2b1')])],
		activate: [WF],
		env: { N8N_LOG_LEVEL: 'debug' },
	});
}, support.INSTALL_AND_START_MS);
afterAll(async () => {
	if (world) await world.close();
}, 60000);

/** Job IDs the trigger took, from its debug line in n8n's log. */
function takenJobs() {
	const log = fs.readFileSync(path.join(world.n8n.userFolder, 'n8n-host.log'), 'utf8');
	return new Set([...log.matchAll(/took the callback for job ([0-9a-f-]{36})/g)].map((match) => match[1]));
}

async function settledExecutions(before) {
	let last = -1;
	let list = [];
	for (let stable = 0; stable < 3; ) {
		await support.delay(2000);
		list = (await world.n8n.listExecutions(WF, { limit: 250 }).catch(() => list)).filter((e) => !before.has(String(e.id)));
		const running = list.filter((e) => !support.FINISHED.includes(e.status)).length;
		stable = list.length === last && running === 0 ? stable + 1 : 0;
		last = list.length;
	}
	return list;
}

test(`${RUNS} bursts of ${JOBS} jobs, each callback twice, senders giving up after 2 s: every callback the trigger took ends in one execution`, async () => {
	const { simulator: sim, n8n } = world;
	const url = support.triggerUrl(n8n.baseUrl, WF);
	const callback = `${url}?token=${support.triggerToken(API_KEY, url)}`;
	const totals = { jobs: 0, taken: 0, withExecution: 0, gaveUp: 0 };
	for (let run = 0; run < RUNS; run++) {
		sim.reset();
		sim.inject({ callbacks: 'twice' });
		const before = new Set((await n8n.listExecutions(WF, { limit: 250 })).map((e) => String(e.id)));
		const jobIds = [];
		for (let n = 0; n < JOBS; n++) {
			const response = await fetch(`${sim.url}/api/v1/diffusion`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify({ text: `burst ${run}-${n}`, callback }),
			});
			jobIds.push((await response.json()).job_id);
		}
		await support.waitFor(() => sim.callbacks.filter((c) => c.kind !== 'progress' && c.finishedAt !== undefined).length >= 2 * JOBS, 60000, 'every delivery');
		const executions = await settledExecutions(before);
		const started = [];
		for (const summary of executions) {
			const execution = await n8n.getExecution(summary.id);
			started.push(support.nodeOutput(execution, 'Legnext Trigger')?.[0]?.json?.jobId);
		}
		const taken = [...takenJobs()].filter((id) => jobIds.includes(id));
		const gaveUp = sim.callbacks.filter((c) => c.kind !== 'progress' && c.status === undefined).length;
		console.log(`burst ${run}: ${JOBS} jobs, ${gaveUp} of ${2 * JOBS} deliveries given up by their sender, ${taken.length} jobs taken by the trigger, ${new Set(started).size} with an execution`);
		// Exactly one execution per job that started one, and one for every job the trigger took.
		expect(started.filter((id) => id === undefined)).toEqual([]);
		expect(started.length).toBe(new Set(started).size);
		expect(taken.filter((id) => !started.includes(id))).toEqual([]);
		Object.assign(totals, { jobs: totals.jobs + JOBS, taken: totals.taken + taken.length, withExecution: totals.withExecution + started.length, gaveUp: totals.gaveUp + gaveUp });
	}
	console.log(`bursts: ${JSON.stringify(totals)}`);
	expect(totals.taken).toBeGreaterThan(0);
});
