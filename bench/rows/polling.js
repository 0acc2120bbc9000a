'use strict';
const os = require('os');
/**
 * Row 1 of the benchmark: status checks per job and detection delay (job done → a check sees it), for
 * the Legnext node in n8n's engine and for its rivals, a client polling every 3 s and one polling every
 * 5 s (bench/fixed-poller.js), all run against the Legnext simulator over HTTP on the same jobs.
 */
const { startSimulator } = require('../../test/harness/simulator/server');
const { API_KEY, setTimeScale, startEngine, legnextWorkflow, textToImage, imageToVideo, assertRun, markedSeconds, markedDurations, jobTimeOf, mean } =
	require('../lib');
const { fixedPoll } = require('../fixed-poller');

/**
 * Job lengths per band, none a multiple of 3 or 5 (so the rivals' checks do not line up with the end).
 * `Q`: seconds the job is `pending` (queued) before it runs. `flags` go in the prompt.
 */
const BANDS = [
	{ key: 'short', label: '8–25 s images (--draft, --turbo)', kind: 'image', jobs: [[8, '--v 7 --draft'], [11, '--v 7 --draft'], [14, '--turbo'], [19, '--turbo'], [23, '--turbo']].map(([T, flags]) => ({ T, Q: 2, flags })) },
	{ key: 'images', label: '30–90 s images', kind: 'image', jobs: [31, 44, 58, 71, 88].map((T) => ({ T, Q: 3, flags: '' })) },
	{ key: 'videos', label: '3–5 min videos (480p)', kind: 'video', videoType: 0, jobs: [181, 208, 236, 263, 298].map((T) => ({ T, Q: 5 })) },
	// Jobs that wait in Legnext's queue for all but their last minute (a busy hour); no prompt flag asks for it.
	{ key: 'queued', label: '10 min images (queued 9 min)', kind: 'image', jobs: [577, 593, 601, 614, 628].map((T) => ({ T, Q: T - 60, flags: '' })) },
	{ key: 'long', label: '10 min videos (720p, running 10 min)', kind: 'video', videoType: 1, jobs: [577, 593, 601, 614, 628].map((T) => ({ T, Q: 5 })) },
];
const INTERVALS = [3, 5];
const PROMPT = 'a lighthouse on a cliff at dawn';

const imageText = ({ T, Q, flags }) => `${PROMPT} bench-T${T} bench-Q${Q}${flags ? ` ${flags}` : ''}`;
const imageUrl = ({ T, Q }) => `https://example.com/bench-T${T}/bench-Q${Q}.png`;

/** The band a simulator job belongs to: its kind and its length (bands of one kind have distinct lengths). */
function bandOf(job) {
	const kind = job.taskType === 'diffusion' ? 'image' : 'video';
	const seconds = markedSeconds(job.body);
	return BANDS.find((band) => band.kind === kind && band.jobs.some((j) => j.T === seconds && (kind === 'image' || band.videoType === (job.body.videoType ?? 0))));
}

/** Per job: its GET /api/v1/job requests as the simulator received them, in job seconds. */
function measure(simulator, toJobMs, poller, latency) {
	return [...simulator.jobs.values()].map((job) => {
		const gets = simulator.requests
			.filter((request) => request.method === 'GET' && request.jobId === job.id && request.path.startsWith('/api/v1/job/'))
			.sort((a, b) => a.at - b.at);
		const answered = gets.filter((request) => request.status === 200);
		// Every poller stops once it has seen the job end: its last answered check is that one.
		const seen = answered.at(-1);
		return {
			poller,
			band: bandOf(job)?.key,
			seconds: markedSeconds(job.body),
			latency,
			measuredSeconds: (job.endsAt - job.createdAt) / 1000,
			checks: gets.length,
			failedChecks: gets.length - answered.length,
			firstCheckAfter: gets.length ? (toJobMs(gets[0].at) - job.createdAt) / 1000 : NaN,
			// A check can arrive just before the end and still see it done (the simulator answers after its response time).
			delay: seen ? Math.max(0, toJobMs(seen.at) - job.endsAt) / 1000 : NaN,
		};
	});
}

async function world(latency, timeScale) {
	const simulator = await startSimulator({ apiKeys: [API_KEY], timeScale, concurrencyLimit: 0, durations: markedDurations() });
	return { latency, simulator };
}

/** The Legnext node: one workflow per band, every job in its own slot, all side by side. */
async function runNode({ latency, simulator }, timeScale) {
	const { engine, legnext } = await startEngine(simulator.url);
	try {
		// Warm-up (modules, compiled code, pooled connections), so the first real submit is not slowed.
		assertRun(await engine.runWorkflow(legnextWorkflow(legnext, textToImage({ prompt: 'warm-up bench-T2' }), [{}, {}])), 'warm-up');
		simulator.reset();
		simulator.inject({ slowResponses: (latency * 1000) / timeScale });
		const toJobMs = jobTimeOf(simulator, timeScale);
		const workflows = BANDS.map((band) => {
			const options = { concurrency: band.jobs.length };
			const parameters =
				band.kind === 'image'
					? textToImage({ prompt: `={{ "${PROMPT} bench-T" + $json.T + " bench-Q" + $json.Q + ($json.flags ? " " + $json.flags : "") }}`, options })
					: imageToVideo({ imageUrl: '={{ "https://example.com/bench-T" + $json.T + "/bench-Q" + $json.Q + ".png" }}', resolution: band.videoType ? '720p' : '480p', options });
			return legnextWorkflow(legnext, parameters, band.jobs);
		});
		const runs = await Promise.all(workflows.map((workflow) => engine.runWorkflow(workflow)));
		runs.forEach((run, n) => assertRun(run, BANDS[n].label));
		return measure(simulator, toJobMs, 'node', latency);
	} finally {
		await engine.close();
	}
}

/** A rival: every job of every band polled every `interval` s by bench/fixed-poller.js. */
async function runFixed({ latency, simulator }, interval, timeScale) {
	simulator.inject({ slowResponses: (latency * 1000) / timeScale });
	const toJobMs = jobTimeOf(simulator, timeScale);
	const polls = BANDS.flatMap((band) =>
		band.jobs.map((job) =>
			fixedPoll({
				baseUrl: simulator.url,
				apiKey: API_KEY,
				timeScale,
				intervalSeconds: interval,
				...(band.kind === 'image'
					? { path: '/api/v1/diffusion', body: { text: imageText(job) } }
					: { path: '/api/v1/video-diffusion', body: { prompt: `${imageUrl(job)} `, videoType: band.videoType } }),
			}),
		),
	);
	await Promise.all(polls);
	return measure(simulator, toJobMs, `${interval}s`, latency);
}

/**
 * Each job runs once per API response time in `latencies` (job seconds the simulator waits before
 * answering, on top of loopback): where a job's end falls between two checks depends on the checks'
 * round trips. The node runs first, then both rivals side by side, so that no poller's load slows
 * another's checks.
 */
async function polling({ timeScale = 10, latencies = [0, 0.25] } = {}) {
	setTimeScale(timeScale);
	const started = Date.now();
	const loadAtStart = os.loadavg()[0];
	const worlds = [];
	try {
		const nodeWorlds = await Promise.all(latencies.map((latency) => world(latency, timeScale)));
		worlds.push(...nodeWorlds);
		const nodeJobs = (await Promise.all(nodeWorlds.map((w) => runNode(w, timeScale)))).flat();
		const rivalWorlds = await Promise.all(INTERVALS.flatMap((interval) => latencies.map(async (latency) => ({ interval, ...(await world(latency, timeScale)) }))));
		worlds.push(...rivalWorlds);
		const rivalJobs = (await Promise.all(rivalWorlds.map((w) => runFixed(w, w.interval, timeScale)))).flat();
		const jobs = [...nodeJobs, ...rivalJobs];

		const perPoller = BANDS.reduce((sum, band) => sum + band.jobs.length, 0) * latencies.length;
		const wrong = jobs.filter((job) => !job.band || Math.abs(job.measuredSeconds - job.seconds) > 1e-6 || !Number.isFinite(job.delay));
		if (jobs.length !== perPoller * (1 + INTERVALS.length) || wrong.length > 0) {
			throw new Error(`Row 1: expected ${perPoller} completed jobs of exactly their length per poller, got ${jobs.length} (${wrong.length} wrong: ${JSON.stringify(wrong.slice(0, 3))})`);
		}
		const pollers = ['node', ...INTERVALS.map((i) => `${i}s`)];
		const summary = (list) => ({
			jobs: list.length,
			checks: mean(list.map((job) => job.checks)),
			delayMean: mean(list.map((job) => job.delay)),
			delayMax: Math.max(...list.map((job) => job.delay)),
			firstCheckAfter: mean(list.map((job) => job.firstCheckAfter)),
		});
		const bands = BANDS.map((band) => {
			const mine = jobs.filter((job) => job.band === band.key);
			const byPoller = Object.fromEntries(pollers.map((p) => [p, summary(mine.filter((job) => job.poller === p))]));
			const perLength = band.jobs.map(({ T }) => ({
				seconds: T,
				...Object.fromEntries(pollers.map((p) => [p, summary(mine.filter((job) => job.poller === p && job.seconds === T))])),
			}));
			return {
				key: band.key,
				label: band.label,
				lengths: band.jobs.map((job) => job.T),
				queued: band.jobs.map((job) => job.Q),
				...byPoller,
				checksRatioTo5s: byPoller.node.checks / byPoller['5s'].checks,
				perLength,
			};
		});
		return {
			timeScale,
			latencies,
			realMs: Date.now() - started,
			// Other work on the machine stretches every check's round trip, by timeScale in job time.
			loadAverage: [loadAtStart, os.loadavg()[0]],
			jobs: jobs.length,
			failedChecks: jobs.reduce((sum, job) => sum + job.failedChecks, 0),
			bands,
			perJob: jobs,
		};
	} finally {
		for (const w of worlds) await w.simulator.close();
	}
}

module.exports = { polling, BANDS };
