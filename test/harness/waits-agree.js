// The differential property of the two waits (issue 29): the same randomly drawn workflow, run once with
// Poll Until Done and once with Pause Until Callback against the same Legnext (the simulator, reset and
// given the same faults), gives the same jobs, statuses, files and error items per input item, and never
// more than one job per item. Only the differences the README names are allowed:
//   1. after a pause a job's files come on its one item (Poll gives one item per file by default);
//   2. after a resume a failed (or cut) job is an error item even without Continue On Fail (Poll fails the
//      node: the run's error names the item), and n8n's Retry On Fail runs the node no more (Poll's retry
//      reads a job cut by its Time Limit once more, and may find it ended);
//   3. when n8n ends the wait itself the waiting items flow on as they are (not drawn: the node's own
//      checks always end the wait here).
// Used by waits-agree.engine.test.js (and its second half), each drawing its own share of the runs.
const fc = require('fast-check');
const { startWorld, legnextWorkflow, submitRequests, API_KEY } = require('./world');

const SEED = process.env.WAITS_SEED === undefined ? 20261207 : Number(process.env.WAITS_SEED);
/** WAITS_RUNS sets the count of each file; test:fast sets fewer. */
const runsOr = (fallback) => Number(process.env.WAITS_RUNS ?? process.env.RANDOM_RUNS ?? fallback);

/**
 * A job with "slow" in its request takes 15 minutes of job time, one with "quick" 5 seconds, the others
 * the simulator's own (1–4 minutes). The Time Limits drawn (10 and 60 minutes) are far from all of them:
 * only slow jobs are cut, whatever the schedule of reads.
 */
const durations = (taskType, job) => {
	const body = JSON.stringify(job.body ?? {});
	if (body.includes('slow')) return { pending: 5, processing: 895 };
	if (body.includes('quick')) return { pending: 1, processing: 4 };
	return undefined;
};

const OPERATIONS = {
	textToImage: { parameters: { resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}{{ $json.seed ? " --seed " + Math.floor(Math.random() * 1e6) : "" }}' }, makes: 'images' },
	upscale: { parameters: { resource: 'image', operation: 'upscale', jobId: '={{ $json.parent }}', imageNo: '={{ $json.pick }}', type: 0 }, makes: 'images', parent: true },
	imageToVideo: {
		parameters: { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: '={{ $json.url }}', prompt: '={{ $json.p }}' },
		makes: 'videos',
	},
	/** From a binary file of the item: Legnext fetches n8n's signed URL of it. */
	imageToVideoFromFile: {
		parameters: { resource: 'video', operation: 'imageToVideo', imageSource: 'binary', binaryPropertyName: 'data', prompt: '={{ $json.p }}' },
		makes: 'videos',
		binary: true,
	},
};

const itemArb = fc.record({
	word: fc.constantFrom('cat', 'a lighthouse', 'fox', 'an owl'),
	/** What its job does at Legnext. */
	fate: fc.constantFrom('ok', 'ok', 'quick', 'slow', 'fail', 'cancel', 'refuse'),
	pick: fc.integer({ min: 0, max: 3 }),
	/** Per-item output settings, as expressions of the item. */
	dl: fc.constantFrom('none', 'grid', 'chosen', 'all'),
	simplify: fc.boolean(),
	limit: fc.constantFrom(10, 60),
	/** The prompt changes on every evaluation (a random --seed). */
	seed: fc.boolean(),
});

const scenarioArb = fc.record({
	operation: fc.constantFrom('textToImage', 'textToImage', 'upscale', 'imageToVideo', 'imageToVideoFromFile'),
	items: fc.array(itemArb, { minLength: 1, maxLength: 4 }),
	continueOnFail: fc.boolean(),
	retryOnFail: fc.boolean(),
	/** Sometimes fewer than the items: Pause Until Callback then polls in place. */
	concurrency: fc.constantFrom(6, 6, 6, 2),
	/** Items' Time Limit per item (an expression) or the node's. */
	limitPerItem: fc.boolean(),
	callbacks: fc.constantFrom('normal', 'twice', 'late', 'missing'),
	/** Every answer of Legnext comes 18 s late (job time): quick jobs end and call back before execute() is done. */
	slowAnswers: fc.constantFrom(0, 0, 0, 30),
	/** After a failed execution, n8n's Retry of it, with the cause fixed. */
	retryExecution: fc.boolean(),
});

let world;
function useWorld() {
	beforeAll(async () => {
		// Time 600 × faster than Legnext's (a minute's job in 0.1 s), so that hundreds of runs fit in CI, with
		// half a second or more between a job's end and a Time Limit it must not meet, also on a loaded machine.
		world = await startWorld({ concurrencyLimit: 6, durations, timeScale: 600 });
	});
	afterAll(async () => await world.close());
}

async function earlierJob(index) {
	const response = await fetch(`${world.simulator.url}/api/v1/diffusion`, {
		method: 'POST',
		headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
		body: JSON.stringify({ text: `an earlier job ${index}` }),
	});
	const job = await response.json();
	world.simulator.advance(600);
	return job.job_id;
}

const DOWNLOADS = { images: { none: 'none', grid: 'grid', chosen: 'chosenImages', all: 'all' }, videos: { none: 'none', grid: 'videos', chosen: 'videos', all: 'all' } };

async function inputsOf(scenario) {
	const op = OPERATIONS[scenario.operation];
	const inputs = [];
	for (const [index, item] of scenario.items.entries()) {
		// The fate is written into what Legnext receives (prompt or URL), so the simulator's faults find it.
		const p = `${item.word} item${index} ${item.fate}`;
		const json = {
			p,
			seed: item.seed,
			pick: item.pick,
			url: `https://example.com/frame-${index}-${item.fate}.png`,
			dl: DOWNLOADS[op.makes][item.dl],
			simplify: item.simplify,
			limit: item.limit,
		};
		if (op.parent) json.parent = await earlierJob(index);
		if (op.binary) json.files = [{ property: 'data', bytes: 1000 + index }];
		inputs.push(json);
	}
	return inputs;
}

function faultsOf(scenario) {
	const has = (body, word) => JSON.stringify(body ?? {}).includes(word);
	return {
		failJobsWhen: (body) => has(body, ' fail') || has(body, '-fail'),
		cancelJobsWhen: (body) => has(body, ' cancel') || has(body, '-cancel'),
		refuseSubmit: { when: (body) => has(body, 'refuse'), count: 1, code: 400, message: 'Invalid parameter' },
		callbacks: scenario.callbacks,
		lateBy: 30,
		...(scenario.slowAnswers ? { slowResponses: scenario.slowAnswers } : {}),
	};
}

function parametersOf(scenario, waitMode) {
	const op = OPERATIONS[scenario.operation];
	const limit = scenario.items[0].limit;
	return {
		...op.parameters,
		waitMode,
		download: '={{ $json.dl }}',
		imageNumbers: '={{ [$json.pick] }}',
		timeLimitMinutes: scenario.limitPerItem ? '={{ $json.limit }}' : limit,
		options: { concurrency: scenario.concurrency, simplify: '={{ $json.simplify }}' },
	};
}

/** Items → Files → Legnext when the operation reads a binary file of each item (the harness's test.files). */
function withFiles(scenario, workflow) {
	if (!OPERATIONS[scenario.operation].binary) return workflow;
	workflow.nodes.push({ id: 'n-files', name: 'Files', type: 'test.files', typeVersion: 1, position: [300, 0], parameters: { files: '={{ $json.files }}' } });
	workflow.connections.Items = { main: [[{ node: 'Files', type: 'main', index: 0 }]] };
	workflow.connections.Files = { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] };
	return workflow;
}

/** One wait's run of the scenario, from a fresh simulator: its outcome per input item, and what Legnext was sent. */
async function runIn(scenario, waitMode) {
	world.simulator.reset();
	const items = await inputsOf(scenario);
	world.simulator.inject(faultsOf(scenario));
	const node = {
		...(scenario.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(scenario.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } : {}),
	};
	const workflow = withFiles(scenario, legnextWorkflow(world, parametersOf(scenario, waitMode), { items, node }));
	let run = await world.engine.runWorkflow(workflow, { timeoutMs: 60_000 });
	const paused = run.status === 'waiting';
	if (paused) run = await world.engine.waitForResume(run, { timeoutMs: 60_000 });
	let retried = false;
	if (run.status === 'error' && scenario.retryExecution) {
		// The user fixed the cause (Legnext accepts every item now) and retries the execution.
		world.simulator.inject({ refuseSubmit: { when: () => false } });
		retried = true;
		run = await world.engine.retryExecution(run.executionId, { timeoutMs: 60_000 });
		if (run.status === 'waiting') run = await world.engine.waitForResume(run, { timeoutMs: 60_000 });
	}
	const jobsPerItem = items.map((_, index) => [...world.simulator.jobs.values()].filter((job) => JSON.stringify(job.body).includes(`item${index}`)).length);
	return { status: run.status, perItem: perItem(run, items.length), error: run.error, jobsPerItem, submits: submitRequests(world.simulator).length, retried, paused };
}

/** What a user sees of each input item: its job's status or the kind of its error, its files, its JSON's shape. */
function perItem(run, count) {
	const out = run.status === 'error' ? [] : run.output('Legnext');
	return Array.from({ length: count }, (_, index) => {
		const mine = out.filter((item) => item.pairedItem?.item === index);
		const errors = mine.filter((item) => item.json.error !== undefined).map((item) => errorKind(String(item.json.error)));
		const statuses = [...new Set(mine.filter((item) => item.json.error === undefined).map((item) => item.json.status))];
		const files = mine.flatMap((item) => Object.values(item.binary ?? {}).map((file) => fileKind(file.fileName))).sort();
		// Difference 1: one item per file names its file (`file`); a pause's one item per job does not.
		const shape = [...new Set(mine.filter((item) => item.json.error === undefined).map((item) => Object.keys(item.json).filter((key) => key !== 'reference' && key !== 'file').sort().join(',')))];
		return { errors, statuses, files, shape };
	});
}

function errorKind(message) {
	if (/the time limit/.test(message)) return 'timeLimit';
	if (/cancel/i.test(message)) return 'canceled';
	if (/could not finish|failed/i.test(message)) return 'failed';
	if (/rejected|Invalid parameter|refused|Not sent/i.test(message)) return 'notSent';
	// A node error also names the run's other jobs (Poll fails the node; a resume cannot).
	return `other: ${message.replace(/; \d+ other jobs? .*$/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<job>')}`;
}

/** A file by what it is, the job's ID left out (`diffusion_<job>_2.png`). */
const fileKind = (name) => String(name).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<job>');

/** The item index a failed run's error names, from n8n's error or its "(item N)". */
function erroredItem(error) {
	if (!error) return undefined;
	if (Number.isInteger(error.context?.itemIndex)) return error.context.itemIndex;
	const named = /\(item (\d+)\)/.exec(`${error.message} ${error.description ?? ''}`);
	return named ? Number(named[1]) : undefined;
}

/** The property: the two waits agree, each item has at most one job, and no item's job is lost. */
function expectAgreement(scenario, poll, pause) {
	const where = `poll ${JSON.stringify(poll.perItem)} / pause ${JSON.stringify(pause.perItem)}`;
	for (const run of [poll, pause]) {
		for (const [index, jobs] of run.jobsPerItem.entries()) {
			if (jobs > 1) throw new Error(`item ${index} has ${jobs} jobs (${where})`);
		}
	}
	// A run that failed before any wait (a refused item without Continue On Fail) fails the same way in both.
	if (poll.status === 'error' && pause.status === 'error') {
		expect(erroredItem(pause.error)).toBe(erroredItem(poll.error));
		return;
	}
	if (poll.status === 'error') {
		// Difference 2: Poll fails the node at a failed or cut job; after a resume that job is an error item.
		const index = erroredItem(poll.error);
		expect({ index, kind: errorKind(`${poll.error.message}`) }).toEqual({ index, kind: pause.perItem[index]?.errors[0] });
		return;
	}
	expect(pause.status).toBe(poll.status);
	// Difference 2, with Retry On Fail: n8n runs a node again when its first output item is an error. Poll's
	// node gives that output after its jobs ended, so a job that failed or was cut by its Time Limit makes n8n
	// run it again: that try reads the cut job once more (it may have ended since) and sends again an item
	// Legnext refused. A pause's output comes from the resume, and n8n runs a resumed node no more.
	// (Poll's first try gave item 0 what the pause gives it; only its last try's output is kept.) So too with
	// n8n's Retry of an execution: Poll's failed, a pause's (its error items after the resume) succeeded.
	// Without Continue On Fail any item's failed or cut job fails Poll's node, which n8n then runs again.
	const jobError = (item) => ['failed', 'canceled', 'timeLimit'].includes(item?.errors[0]);
	const failsPollsNode = scenario.continueOnFail ? jobError(pause.perItem[0]) : pause.perItem.some(jobError);
	const pollRetried = (scenario.retryOnFail && failsPollsNode) || (poll.retried && !pause.retried);
	const differsByRetry = (index) =>
		pollRetried &&
		((pause.perItem[index].errors[0] === 'notSent' && poll.jobsPerItem[index] > 0) || (pause.perItem[index].errors[0] === 'timeLimit' && poll.perItem[index].errors.length === 0));
	for (const [index, polled] of poll.perItem.entries()) {
		const paused = pause.perItem[index];
		const say = `item ${index}: ${where}`;
		if (differsByRetry(index)) continue;
		expect({ say, jobs: pause.jobsPerItem[index] }).toEqual({ say, jobs: poll.jobsPerItem[index] });
		expect({ say, errors: paused.errors }).toEqual({ say, errors: polled.errors });
		expect({ say, statuses: paused.statuses }).toEqual({ say, statuses: polled.statuses });
		// Difference 1: the same files, on one item after a pause.
		expect({ say, files: paused.files }).toEqual({ say, files: polled.files });
		expect({ say, shape: paused.shape }).toEqual({ say, shape: polled.shape });
	}
}

async function checkRuns(runs, seedOffset = 0) {
	const seen = { scenarios: 0, paused: 0, pollErrors: 0, errorItems: 0, retries: 0 };
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (scenario) => {
			const poll = await runIn(scenario, 'poll');
			const pause = await runIn(scenario, 'callback');
			seen.scenarios++;
			if (pause.paused) seen.paused++;
			if (poll.status === 'error') seen.pollErrors++;
			if (pause.retried || poll.retried) seen.retries++;
			seen.errorItems += pause.perItem.filter((item) => item.errors.length).length;
			expectAgreement(scenario, poll, pause);
		}),
		{ numRuns: runs, seed: SEED + seedOffset, endOnFailure: true },
	);
	console.log(`waits agree over ${runs} runs (WAITS_SEED=${SEED}, offset ${seedOffset}): ${JSON.stringify(seen)}`);
	return seen;
}

module.exports = { useWorld, checkRuns, runsOr };
