'use strict';
/**
 * Row 5 of the benchmark: Pause Until Callback at scale in n8n's engine (test/harness/engine: the resume URL,
 * n8n's waiting-webhook handler and the execution store are the harness's copies of n8n 2.41.1's),
 * against the simulator with compressed time; it calls the resume URL when each job ends.
 *
 *  a. status reads per job over the whole wait, for batches of 6 and 24 items whose jobs end spread
 *     over 30–90 s (no account cap, so every job is sent at once);
 *  b. 24 items of 60 s jobs at Legnext's cap of 6, in both wait modes: how long execute() holds the
 *     worker, and the wall time until the whole batch has finished, against the ideal ⌈24/6⌉ × 60 s.
 *     In pause mode a node cannot send more items once the execution waits, so with more items than
 *     the cap it holds the worker through 429s until the last item is sent.
 */
const { startSimulator } = require('../../test/harness/simulator/server');
const { API_KEY, setTimeScale, startEngine, legnextWorkflow, textToImage, assertRun, nodeExecutionMs, markedDurations, markedSeconds } = require('../lib');

const PROMPT = 'a lighthouse on a cliff at dawn';
/** Job lengths of a real batch of images: spread over 30–90 s, some ending close together. */
const spreadLength = (k) => 30 + ((k * 23) % 61);

const apiOf = (simulator) => simulator.requests.filter((request) => request.path.startsWith('/api/'));
const readsOf = (simulator) => apiOf(simulator).filter((request) => request.method === 'GET' && request.path.startsWith('/api/v1/job/'));

/** Runs one workflow to its end (through its resume, in pause mode); times in real ms. */
async function runToEnd(engine, workflow, waitMode, timeoutMs) {
	const started = Date.now();
	const first = await engine.runWorkflow(workflow);
	const firstEnded = Date.now();
	if (waitMode === 'callback' && first.status !== 'waiting') {
		throw new Error(`Pause Until Callback: the execution ended "${first.status}" instead of waiting: ${first.error?.message ?? ''}`);
	}
	const last = waitMode === 'callback' ? await engine.waitForResume(first, { timeoutMs }) : first;
	const ended = Date.now();
	assertRun(last, `${waitMode} run`);
	return { first, last, heldMs: nodeExecutionMs(first), untilWaitingMs: firstEnded - started, wallMs: ended - started };
}

/** a: status reads per job over the whole wait. */
async function readsPerJob(world, simulator, count, timeScale) {
	const jobs = Array.from({ length: count }, (_, k) => ({ T: spreadLength(k), k }));
	const workflow = legnextWorkflow(
		world.legnext,
		textToImage({ prompt: `={{ "${PROMPT} " + $json.k + " bench-T" + $json.T + " bench-Q3" }}`, waitMode: 'callback', options: { concurrency: 6 } }),
		jobs,
	);
	simulator.reset();
	const run = await runToEnd(world.engine, workflow, 'callback', 600_000 / timeScale + 60_000);
	const output = run.last.output('Legnext');
	const completed = output.filter((item) => item.json.status === 'completed').length;
	if (completed !== count) throw new Error(`Pause, ${count} items: ${completed} completed items`);
	const reads = readsOf(simulator);
	// Per job (by its length): how many reads, to see where reads beyond one per job go.
	const perJob = [...simulator.jobs.values()].map((job) => ({ seconds: markedSeconds(job.body), reads: reads.filter((r) => r.jobId === job.id).length }));
	return {
		perJob,
		items: count,
		lengths: jobs.map((job) => job.T),
		reads: reads.length,
		readsPerJob: reads.length / count,
		callbacks: simulator.callbacks.filter((callback) => callback.kind === 'final').length,
		wallSeconds: (run.wallMs * timeScale) / 1000,
	};
}

/** b: 24 items at the cap in one wait mode. */
async function atCap(world, simulator, waitMode, { count, jobSeconds, timeScale }) {
	const items = Array.from({ length: count }, (_, n) => ({ n }));
	const workflow = legnextWorkflow(
		world.legnext,
		textToImage({ prompt: '={{ "picture " + $json.n + " of a red fox in the snow" }}', waitMode, options: { concurrency: 6 } }),
		items,
	);
	simulator.reset();
	const run = await runToEnd(world.engine, workflow, waitMode, 1_200_000 / timeScale + 60_000);
	const output = run.last.output('Legnext');
	const completed = new Set(output.filter((item) => item.json.status === 'completed').map((item) => item.pairedItem.item)).size;
	const api = apiOf(simulator);
	const toJob = (ms) => (ms * timeScale) / 1000;
	return {
		waitMode,
		heldSeconds: toJob(run.heldMs),
		untilWaitingSeconds: toJob(run.untilWaitingMs),
		wallSeconds: toJob(run.wallMs),
		lost: count - completed,
		createdJobs: simulator.createdJobs(),
		refused429: api.filter((request) => request.status === 429).length,
		reads: readsOf(simulator).length,
	};
}

async function pause({ timeScale = 20, capTimeScale = 25, counts = [6, 24], items = 24, jobSeconds = 60, cap = 6 } = {}) {
	const result = { timeScale, capTimeScale, reads: [], atCap: {} };
	let world;
	const withSimulator = async (options, scale, body) => {
		setTimeScale(scale);
		const simulator = await startSimulator({ apiKeys: [API_KEY], timeScale: scale, ...options });
		try {
			if (!world) world = await startEngine(simulator.url);
			else await world.engine.setCredentials('legnextApi', { apiKey: API_KEY, baseUrl: simulator.url });
			// Warm-up (modules, compiled code, pooled connections), through a pause and its resume.
			await runToEnd(world.engine, legnextWorkflow(world.legnext, textToImage({ prompt: 'warm-up bench-T4', waitMode: 'callback' }), [{}, {}]), 'callback', 60_000);
			return await body(simulator);
		} finally {
			await simulator.close();
		}
	};
	try {
		await withSimulator({ concurrencyLimit: 0, durations: markedDurations() }, timeScale, async (simulator) => {
			for (const count of counts) result.reads.push(await readsPerJob(world, simulator, count, timeScale));
		});
		const durations = markedDurations({ diffusion: { pending: 3, processing: jobSeconds - 3 } });
		await withSimulator({ concurrencyLimit: cap, durations }, capTimeScale, async (simulator) => {
			for (const waitMode of ['poll', 'callback']) {
				result.atCap[waitMode] = await atCap(world, simulator, waitMode, { count: items, jobSeconds, timeScale: capTimeScale });
			}
		});
		return { ...result, items, jobSeconds, cap, ideal: Math.ceil(items / cap) * jobSeconds };
	} finally {
		await world?.engine.close();
	}
}

module.exports = { pause };
