'use strict';
/**
 * The benchmark's rows. Each runs in a fresh Node process (`node bench/rows.js <row>`, forked by
 * bench/run.js) so no row's heap, JIT warm-up or garbage weighs on another's figures; the result
 * goes back over IPC (or to stdout when run by hand).
 *
 * All figures are in job seconds: the simulator and the node's clock run `timeScale` job seconds
 * per real second, and real milliseconds are multiplied back by it.
 */
const { startSimulator } = require('../test/simulator/server');
const {
	API_KEY,
	setTimeScale,
	startEngine,
	legnextWorkflow,
	markedSeconds,
	markedDurations,
	jobTimeOf,
	startChildSimulator,
	gcFunction,
	mean,
	median,
} = require('./lib');

const IMAGE_SECONDS = [30, 45, 60, 75, 90];
const VIDEO_SECONDS = [180, 210, 240, 270, 300];
const FIXED_INTERVALS = [3, 5];

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: 'a lighthouse on a cliff at dawn', ...extra });
const imageToVideo = (extra = {}) => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/still.png', ...extra });

function assertRun(run, what) {
	if (run.status !== 'success') {
		throw new Error(`${what}: the execution ended "${run.status}": ${run.error?.message ?? 'no error message'}`);
	}
}

/** Real ms the Legnext node itself ran (n8n's ITaskData.executionTime). */
function nodeExecutionMs(run) {
	const task = run.nodeRuns('Legnext').at(-1);
	return Number(task?.executionTime);
}

// ---------------------------------------------------------------------------------------------
// Row 1: status checks per job and detection delay (job done → node knows)

/** What a node polling every `interval` s from submit would do on a T s job (computed, not run). */
function fixedPolling(seconds, interval) {
	const checks = Math.ceil(seconds / interval);
	return { checks, delay: checks * interval - seconds };
}

/**
 * Each job of each duration runs once per API response time in `latencies` (job seconds the
 * simulator waits before answering, on top of loopback): a job of exactly T s ends at one point
 * between two checks, and where depends on how long each check took, so a single response time
 * would give one arbitrary phase per duration. Every latency has its own simulator and engine and
 * all run side by side.
 */
async function polling({ timeScale = 25, latencies = [0, 0.1, 0.2, 0.3, 0.4] } = {}) {
	setTimeScale(timeScale);
	const worlds = [];
	try {
		for (const latency of latencies) {
			const simulator = await startSimulator({ apiKeys: [API_KEY], timeScale, concurrencyLimit: 0, durations: markedDurations() });
			worlds.push({ latency, simulator, ...(await startEngine(simulator.url)) });
		}
		const items = (durations) => durations.map((T) => ({ T }));
		const runWorld = async ({ latency, simulator, engine, legnext }) => {
			// Warm-up (modules, compiled code, pooled connections), so the first real submit is not slowed.
			assertRun(await engine.runWorkflow(legnextWorkflow(legnext, textToImage({ prompt: 'warm-up bench-T2' }), [{}, {}])), 'warm-up');
			simulator.reset();
			simulator.inject({ slowResponses: (latency * 1000) / timeScale });
			const toJobMs = jobTimeOf(simulator, timeScale);
			// Every job in its own slot: they run side by side, each on its own schedule.
			const images = legnextWorkflow(
				legnext,
				textToImage({ prompt: '={{ "a lighthouse on a cliff at dawn bench-T" + $json.T }}', options: { concurrency: IMAGE_SECONDS.length } }),
				items(IMAGE_SECONDS),
			);
			const videos = legnextWorkflow(
				legnext,
				imageToVideo({ imageUrl: '={{ "https://example.com/bench-T" + $json.T + ".png" }}', options: { concurrency: VIDEO_SECONDS.length } }),
				items(VIDEO_SECONDS),
			);
			const runs = await Promise.all([engine.runWorkflow(images), engine.runWorkflow(videos)]);
			runs.forEach((run, n) => assertRun(run, n === 0 ? 'Text to Image' : 'Image to Video'));
			const completed = runs.flatMap((run) => run.output('Legnext')).filter((item) => item.json.status === 'completed').length;
			return [...simulator.jobs.values()].map((job) => {
				const gets = simulator.requests
					.filter((request) => request.method === 'GET' && request.jobId === job.id && request.path.startsWith('/api/v1/job/'))
					.sort((a, b) => a.at - b.at);
				const answered = gets.filter((request) => request.status === 200);
				// The node stops checking once it has seen the job completed: its last answered check is that one.
				const seen = answered.at(-1);
				return {
					kind: job.taskType === 'diffusion' ? 'image' : 'video',
					seconds: markedSeconds(job.body),
					latency,
					measuredSeconds: (job.endsAt - job.createdAt) / 1000,
					completed: completed === IMAGE_SECONDS.length + VIDEO_SECONDS.length,
					checks: gets.length,
					failedChecks: gets.length - answered.length,
					checksBeforeEnd: answered.filter((request) => toJobMs(request.at) < job.endsAt).length,
					firstCheckAfter: gets.length ? (toJobMs(gets[0].at) - job.createdAt) / 1000 : NaN,
					// Mean time between two checks after the first (the node asks for 5 s in the typical window).
					checkGap: gets.length > 1 ? (toJobMs(gets.at(-1).at) - toJobMs(gets[0].at)) / (gets.length - 1) / 1000 : NaN,
					delay: seen ? Math.max(0, toJobMs(seen.at) - job.endsAt) / 1000 : NaN,
				};
			});
		};
		const started = Date.now();
		const jobs = (await Promise.all(worlds.map(runWorld))).flat();
		const realMs = Date.now() - started;
		const expected = latencies.length * (IMAGE_SECONDS.length + VIDEO_SECONDS.length);
		const wrong = jobs.filter((job) => !job.completed || Math.abs(job.measuredSeconds - job.seconds) > 1e-6 || !Number.isFinite(job.delay));
		if (jobs.length !== expected || wrong.length > 0) {
			throw new Error(`Row 1: expected ${expected} completed jobs of exactly their duration, got ${jobs.length} (${wrong.length} wrong)`);
		}

		const summarize = (kind, durations) => {
			const mine = jobs.filter((job) => job.kind === kind);
			const perDuration = durations.map((T) => {
				const same = mine.filter((job) => job.seconds === T);
				return {
					seconds: T,
					checks: mean(same.map((job) => job.checks)),
					delayMean: mean(same.map((job) => job.delay)),
					delayMax: Math.max(...same.map((job) => job.delay)),
					fixed: Object.fromEntries(FIXED_INTERVALS.map((i) => [`${i}s`, fixedPolling(T, i)])),
				};
			});
			const fixed = Object.fromEntries(
				FIXED_INTERVALS.map((i) => {
					const computed = durations.map((T) => fixedPolling(T, i));
					return [`${i}s`, { checks: mean(computed.map((c) => c.checks)), delayMean: mean(computed.map((c) => c.delay)), delayMax: Math.max(...computed.map((c) => c.delay)) }];
				}),
			);
			return {
				jobs: mine.length,
				checks: mean(mine.map((job) => job.checks)),
				delayMean: mean(mine.map((job) => job.delay)),
				delayMax: Math.max(...mine.map((job) => job.delay)),
				checkGap: mean(mine.map((job) => job.checkGap).filter(Number.isFinite)),
				perDuration,
				fixed,
			};
		};
		return {
			timeScale,
			latencies,
			realMs,
			jobs: jobs.length,
			allCompleted: jobs.every((job) => job.completed),
			failedChecks: jobs.reduce((sum, job) => sum + job.failedChecks, 0),
			images: summarize('image', IMAGE_SECONDS),
			videos: summarize('video', VIDEO_SECONDS),
			perJob: jobs,
		};
	} finally {
		for (const world of worlds) {
			await world.engine.close();
			await world.simulator.close();
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Row 2: wall time for 24 items at concurrency 6 (and one at a time)

/**
 * 24 Text to Image items of 60 s jobs against Legnext's cap of 6 running jobs, at concurrency 6 and
 * one at a time. The one-at-a-time reference runs at a higher time scale to keep the benchmark
 * short (it takes 6× as long).
 */
async function throughput({ timeScale = 25, serialTimeScale = 100, items: count = 24, jobSeconds = 60, cap = 6 } = {}) {
	const items = Array.from({ length: count }, (_, n) => ({ n }));
	let world;
	const one = async (concurrency, scale) => {
		setTimeScale(scale);
		const simulator = await startSimulator({
			apiKeys: [API_KEY],
			timeScale: scale,
			concurrencyLimit: cap,
			durations: { diffusion: { pending: 3, processing: jobSeconds - 3 } },
		});
		try {
			if (!world) world = await startEngine(simulator.url);
			else await world.engine.setCredentials('legnextApi', { apiKey: API_KEY, baseUrl: simulator.url });
			const { engine, legnext } = world;
			const workflow = (n) =>
				legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n + " of a red fox in the snow" }}', options: { concurrency } }), items.slice(0, n));
			// Warm-up (modules, compiled code, pooled connections).
			assertRun(await engine.runWorkflow(workflow(2)), 'warm-up');
			simulator.reset();
			const toJobMs = jobTimeOf(simulator, scale);
			const run = await engine.runWorkflow(workflow(count));
			assertRun(run, `${count} items at concurrency ${concurrency}`);
			const output = run.output('Legnext');
			const completedItems = new Set(output.filter((item) => item.json.status === 'completed').map((item) => item.pairedItem.item));
			const jobIds = output.map((item) => item.json.jobId).filter(Boolean);
			// A duplicate is a second job for the same item (the same prompt).
			const jobsPerPrompt = new Map();
			for (const job of simulator.jobs.values()) jobsPerPrompt.set(job.body.text, (jobsPerPrompt.get(job.body.text) ?? 0) + 1);
			const api = simulator.requests.filter((request) => request.path.startsWith('/api/'));
			const submits = api.filter((request) => request.method === 'POST');
			const lastCheck = api.filter((request) => request.method === 'GET').at(-1);
			return {
				concurrency,
				timeScale: scale,
				// The Legnext node's execution time in n8n (ITaskData.executionTime), in job seconds.
				wallSeconds: (nodeExecutionMs(run) * scale) / 1000,
				// Legnext's view: first submit received → last status check received.
				spanSeconds: (toJobMs(lastCheck.at) - toJobMs(submits[0].at)) / 1000,
				completedItems: completedItems.size,
				lost: count - completedItems.size,
				createdJobs: simulator.createdJobs(),
				duplicates: simulator.createdJobs() - count,
				duplicateJobIds: jobIds.length - new Set(jobIds).size,
				promptsWithTwoJobs: [...jobsPerPrompt.values()].filter((n) => n > 1).length,
				refused429: api.filter((request) => request.status === 429).length,
				checks: api.filter((request) => request.method === 'GET').length,
			};
		} finally {
			await simulator.close();
		}
	};
	try {
		const parallel = await one(cap, timeScale);
		const serial = await one(1, serialTimeScale);
		const ideal = Math.ceil(count / cap) * jobSeconds;
		return { items: count, jobSeconds, cap, ideal, parallel, serial };
	} finally {
		await world?.engine.close();
	}
}

// ---------------------------------------------------------------------------------------------
// Row 3: peak memory growth while downloading 4 videos of 64 MB

async function memory({ timeScale = 400, videoBytes = 64 * 1024 * 1024, sampleMs = 10 } = {}) {
	const gc = gcFunction();
	setTimeScale(timeScale);
	const simulator = await startChildSimulator({ timeScale, concurrencyLimit: 0, videoBytes, smallVideoBytes: 256 * 1024 });
	const { engine, legnext } = await startEngine(simulator.url);
	try {
		// Warm-up: the same path with 256 KiB videos (modules loaded, code compiled, sockets pooled).
		const warm = await engine.runWorkflow(
			legnextWorkflow(legnext, imageToVideo({ imageUrl: 'https://example.com/bench-small.png', download: 'videos' }), [{}]),
		);
		assertRun(warm, 'memory warm-up');

		const read = () => {
			const usage = process.memoryUsage();
			return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
		};
		gc();
		gc();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const baseline = read();
		const peak = { ...baseline };
		let samples = 0;
		const sample = () => {
			const now = read();
			samples++;
			for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key]);
		};
		const timer = setInterval(sample, sampleMs);
		const started = Date.now();
		const run = await engine.runWorkflow(legnextWorkflow(legnext, imageToVideo({ download: 'videos' }), [{}]));
		const realMs = Date.now() - started;
		sample();
		clearInterval(timer);
		assertRun(run, 'Image to Video with Download Files = Videos');
		const files = run.output('Legnext').map((item) => Number(item.binary?.data?.bytes));
		if (files.length !== 4 || files.some((bytes) => bytes !== videoBytes)) {
			throw new Error(`Expected 4 videos of ${videoBytes} bytes, got ${JSON.stringify(files)}`);
		}
		gc();
		const after = read();
		const MB = 1024 * 1024;
		const growth = (key) => (peak[key] - baseline[key]) / MB;
		return {
			timeScale,
			fileMB: videoBytes / MB,
			totalMB: (files.length * videoBytes) / MB,
			files: files.length,
			samples,
			sampleMs,
			realMs,
			downloadMBps: (files.length * videoBytes) / MB / (realMs / 1000),
			baselineMB: Object.fromEntries(Object.entries(baseline).map(([key, value]) => [key, value / MB])),
			growthMB: { rss: growth('rss'), heapUsed: growth('heapUsed'), external: growth('external'), arrayBuffers: growth('arrayBuffers') },
			retainedAfterGcMB: { rss: (after.rss - baseline.rss) / MB, heapUsed: (after.heapUsed - baseline.heapUsed) / MB },
		};
	} finally {
		await engine.close();
		await simulator.close();
	}
}

// ---------------------------------------------------------------------------------------------
// Row 4: the node's own CPU time per item

async function cpu({ timeScale = 400, items: count = 24, jobSeconds = 30, repeats = 5 } = {}) {
	const gc = gcFunction();
	setTimeScale(timeScale);
	// No cap on running jobs here: Don't Wait would otherwise meet 429s and measure retries.
	const simulator = await startChildSimulator({
		timeScale,
		concurrencyLimit: 0,
		markedDurations: { diffusion: { pending: 1, processing: jobSeconds - 1 } },
	});
	const { engine, legnext } = await startEngine(simulator.url);
	const items = Array.from({ length: count }, (_, n) => ({ n }));
	const workflows = {
		poll: legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n }}' }), items),
		dontWait: legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n }}', waitMode: 'none' }), items),
		// Engine only: the same workflow with a node that just emits the items in Legnext's place.
		engineOnly: legnextWorkflow(legnext, {}, items, { trivial: true }),
	};
	const measure = async (name) => {
		await simulator.reset();
		gc();
		const before = process.cpuUsage();
		const started = Date.now();
		const run = await engine.runWorkflow(workflows[name]);
		const used = process.cpuUsage(before);
		const realMs = Date.now() - started;
		assertRun(run, `CPU run "${name}"`);
		if (run.output('Legnext').length !== count) throw new Error(`CPU run "${name}": ${run.output('Legnext').length} items out`);
		const stats = name === 'engineOnly' ? undefined : await simulator.stats();
		return { cpuMs: (used.user + used.system) / 1000, userMs: used.user / 1000, systemMs: used.system / 1000, realMs, requests: stats?.requests.api };
	};
	try {
		// Warm-up: every path once (module loading, JIT, connection pool).
		for (const name of Object.keys(workflows)) await measure(name);
		const results = { poll: [], dontWait: [], engineOnly: [] };
		for (let rep = 0; rep < repeats; rep++) {
			for (const name of Object.keys(workflows)) results[name].push(await measure(name));
		}
		const perItem = (name) => median(results[name].map((r) => r.cpuMs)) / count;
		const engineOnly = perItem('engineOnly');
		return {
			timeScale,
			items: count,
			jobSeconds,
			repeats,
			msPerItem: {
				poll: perItem('poll'),
				dontWait: perItem('dontWait'),
				engineOnly,
				pollNodeOnly: perItem('poll') - engineOnly,
				dontWaitNodeOnly: perItem('dontWait') - engineOnly,
			},
			requestsPerItem: {
				poll: median(results.poll.map((r) => r.requests)) / count,
				dontWait: median(results.dontWait.map((r) => r.requests)) / count,
			},
			runs: results,
		};
	} finally {
		await engine.close();
		await simulator.close();
	}
}

const ROWS = { polling, throughput, memory, cpu };

async function main() {
	const name = process.argv[2];
	const options = JSON.parse(process.argv[3] || '{}');
	if (!ROWS[name]) throw new Error(`Unknown row "${name}"; one of ${Object.keys(ROWS).join(', ')}`);
	const result = await ROWS[name](options);
	if (process.send) process.send({ type: 'result', result });
	else console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error) => {
			if (process.send) process.send({ type: 'error', message: error?.stack ?? String(error) });
			else console.error(error);
			process.exit(1);
		},
	);
}

module.exports = ROWS;
