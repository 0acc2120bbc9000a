'use strict';
/**
 * Helpers shared by the benchmark rows: the n8n engine harness running the built package (dist/),
 * the node's clock, the Legnext simulator in this process or in a child process, and job-time
 * arithmetic. Plain CommonJS; run with `npm run build` first.
 */
const path = require('path');
const { fork } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const API_KEY = 'bench-key-0123456789abcdef';
const CLOCK_FILE = require.resolve(path.join(ROOT, 'dist', 'nodes', 'shared', 'clock.js'));
const NODE_FILE = path.join(ROOT, 'dist', 'nodes', 'Legnext', 'Legnext.node.js');

/** The clock the node's compiled code uses (same module instance as the engine loads: one require cache). */
function nodeClock() {
	return require(CLOCK_FILE).clock;
}

/** Compress the node's waits like the simulator's jobs: job seconds per real second. */
function setTimeScale(scale) {
	nodeClock().timeScale = scale;
}

/**
 * After the engine loaded the package: the node module must come from this package's dist/ and
 * there must be exactly one clock module, the one whose timeScale we set.
 */
function assertSharedClock() {
	const clocks = Object.keys(require.cache).filter((file) => /[\\/]dist[\\/]nodes[\\/]shared[\\/]clock\.js$/.test(file));
	if (clocks.length !== 1 || clocks[0] !== CLOCK_FILE || require.cache[CLOCK_FILE].exports.clock !== nodeClock()) {
		throw new Error(`The node's clock is not the benchmark's: loaded clock modules ${JSON.stringify(clocks)}`);
	}
	if (!require.cache[NODE_FILE]) throw new Error(`The engine did not load ${NODE_FILE} through this process's require cache`);
}

/** n8n's engine (n8n-core WorkflowExecute) with the package and a Legnext credential pointing at `baseUrl`. */
async function startEngine(baseUrl) {
	const { createEngine } = require('../test/harness/engine/harness');
	const engine = await createEngine({ packageDir: ROOT, credentials: { legnextApi: { apiKey: API_KEY, baseUrl } } });
	assertSharedClock();
	return { engine, legnext: engine.nodeTypeName('Legnext') };
}

/** Start → Items (`items`) → Legnext (`parameters`). With `trivial`, a node that only emits items replaces Legnext. */
function legnextWorkflow(legnextType, parameters, items, { trivial = false } = {}) {
	const last = trivial
		? { id: 'n-last', name: 'Legnext', type: 'test.items', typeVersion: 1, position: [400, 0], parameters: { items } }
		: {
				id: 'n-last',
				name: 'Legnext',
				type: legnextType,
				typeVersion: 2,
				position: [400, 0],
				parameters,
				credentials: { legnextApi: { id: 'cred-1', name: 'Legnext account' } },
			};
	return {
		nodes: [
			{ id: 'n-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'n-items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items } },
			last,
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] },
		},
	};
}

/** `bench-T<seconds>` in a request body (prompt or image URL) sets how long that job takes; `bench-Q<seconds>` how much of it is queued. */
const MARKER = /bench-T(\d+)/;
const QUEUE_MARKER = /bench-Q(\d+)/;

function markedSeconds(body) {
	const match = MARKER.exec(JSON.stringify(body ?? ''));
	return match ? Number(match[1]) : undefined;
}

/**
 * Simulator `durations`: a job whose body carries `bench-T<s>` takes exactly s job seconds, of which
 * `bench-Q<q>` seconds `pending` (else a short pending phase), the rest processing; other jobs take
 * `fallback[taskType]` or the defaults.
 */
function markedDurations(fallback = {}) {
	return (taskType, job) => {
		const seconds = markedSeconds(job.body);
		if (seconds === undefined) return fallback[taskType];
		const queued = QUEUE_MARKER.exec(JSON.stringify(job.body ?? ''));
		const pending = queued ? Number(queued[1]) : Math.min(3, seconds / 2);
		return { pending, processing: seconds - pending };
	};
}

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

/**
 * Converts the simulator's request times (real ms, `request.at`) to its job time (ms): the
 * simulator's clock is linear in Date.now(), so one (real, job) pair read in the same
 * millisecond fixes it (no advance() is used by the benchmark).
 */
function jobTimeOf(simulator, timeScale) {
	let real;
	let job;
	do {
		real = Date.now();
		job = simulator.now();
	} while (Date.now() !== real);
	return (realMs) => job + (realMs - real) * timeScale;
}

/**
 * The simulator in a child process (bench/sim-child.js), so its memory and CPU are not the node's.
 * @returns {Promise<{url: string, pid: number, stats(): Promise<any>, reset(): Promise<void>, close(): Promise<void>}>}
 */
async function startChildSimulator(options) {
	const child = fork(path.join(__dirname, 'sim-child.js'), [JSON.stringify({ apiKeys: [API_KEY], ...options })], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const replies = [];
	const waiting = [];
	child.on('message', (message) => {
		const waiter = waiting.shift();
		if (waiter) waiter(message);
		else replies.push(message);
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const next = () =>
		replies.length > 0
			? Promise.resolve(replies.shift())
			: new Promise((resolve, reject) => {
					waiting.push(resolve);
					void exited.then(() => reject(new Error('The simulator child process exited')));
				});
	const ready = await next();
	const ask = async (type) => {
		child.send({ type });
		return await next();
	};
	return {
		url: ready.url,
		pid: child.pid,
		stats: () => ask('stats'),
		reset: async () => void (await ask('reset')),
		async close() {
			if (child.exitCode === null) child.send({ type: 'close' });
			await exited;
		},
	};
}

/** Garbage collection on demand without a command-line flag (for memory baselines). */
function gcFunction() {
	require('v8').setFlagsFromString('--expose-gc');
	return require('vm').runInNewContext('gc');
}

const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

module.exports = {
	ROOT,
	API_KEY,
	nodeClock,
	setTimeScale,
	assertSharedClock,
	startEngine,
	legnextWorkflow,
	markedSeconds,
	markedDurations,
	textToImage,
	imageToVideo,
	assertRun,
	nodeExecutionMs,
	jobTimeOf,
	startChildSimulator,
	gcFunction,
	mean,
	median,
};
