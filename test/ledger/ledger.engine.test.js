// The ledger invariant, over randomized runs in n8n's engine against the Legnext simulator: whatever
// the settings and the faults, every job created at the simulator is named in the node's output
// items or in the execution's error (with its item), no item gets two jobs in one run (Retry On Fail
// included), every prompt is sent as written, Max Points per Run is never exceeded, and no secret
// reaches an output, an error or a log line.
//
// LEDGER_SEED=<n> replays one seed (the scenarios, not their timing); LEDGER_RUNS=<n> sets the count.
const fc = require('fast-check');
const { LoggerProxy } = require('n8n-workflow');
const { startWorld, legnextWorkflow, API_KEY } = require('../harness/setup');

const logLines = [];
let loggedInAll = 0;
const SEED = process.env.LEDGER_SEED === undefined ? 20261203 : Number(process.env.LEDGER_SEED);
const RUNS = Number(process.env.LEDGER_RUNS ?? 200);
/** The simulator's account runs 3 jobs at once: a concurrency above it meets 429s. */
const ACCOUNT_CAP = 3;

const settingsArb = fc.record({
	waitMode: fc.constantFrom('none', 'poll', 'callback'),
	download: fc.constantFrom('none', 'grid'),
	continueOnFail: fc.boolean(),
	retryOnFail: fc.boolean(),
	concurrency: fc.integer({ min: 1, max: 6 }),
	maxPoints: fc.constantFrom(0, 0, 80, 160, 240, 400),
	timeLimitMinutes: fc.constantFrom(2, 5),
	aspectRatio: fc.boolean(),
	/** A custom callback URL of a trigger's shape: the node adds the trigger's token, a secret. */
	callbackUrl: fc.boolean(),
	prompts: fc.array(
		fc.record({
			// '' is an empty prompt, null a prompt mapped to an object: invalid items, never sent.
			word: fc.constantFrom('cat', 'a lighthouse', 'fox --turbo', '', null),
			pad: fc.constantFrom('', ' ', '  \n'),
		}),
		{ minLength: 1, maxLength: 5 },
	),
});

const faultArb = fc.record(
	{
		http500: fc.integer({ min: 1, max: 2 }).map((count) => ({ http500: count, http500On: 'submit' })),
		tooMany: fc.integer({ min: 1, max: 3 }).map((count) => ({ status: { code: 429, count, on: 'submit', retryAfter: 1 } })),
		lostAnswer: fc.constant({ dropConnection: 1, dropConnectionOn: 'submit' }),
		read4xx: fc.constantFrom(401, 404).map((code) => ({ status: { code, count: 1, on: 'job' } })),
		failedJobs: fc.integer({ min: 1, max: 2 }).map((failJobs) => ({ failJobs })),
		expiredLinks: fc.constant({ expireFiles: true }),
		unreachable: fc.oneof(
			fc.integer({ min: 30, max: 600 }).map((forSeconds) => ({ unreachable: { on: 'job', forSeconds } })),
			fc.integer({ min: 1, max: 3 }).map((count) => ({ unreachable: { on: 'all', count } })),
		),
		readsDown: fc.integer({ min: 1, max: 3 }).map((count) => ({ unavailable: { on: 'job', count, retryAfter: 1 } })),
		refused: fc.integer({ min: 1, max: 3 }).map((nth) => ({ refuseSubmit: { nth, code: 403, message: 'Sensitive content' } })),
		callbacks: fc.constantFrom('normal', 'missing', 'twice', 'late').map((callbacks) => ({ callbacks, lateBy: 30 })),
	},
	{ requiredKeys: [] },
);

const scenarioArb = fc.record({ settings: settingsArb, faults: faultArb });

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: ACCOUNT_CAP });
	// n8n's log lines (the engine's and any the node writes), recorded to look for secrets in them.
	const record = (message, meta) => (loggedInAll++, logLines.push(`${message} ${meta === undefined ? '' : safeJson(meta)}`));
	LoggerProxy.init({ error: record, warn: record, info: record, debug: record, verbose: record });
});
afterAll(async () => await world.close());

function safeJson(value) {
	try {
		return JSON.stringify(value);
	} catch {
		return String(value);
	}
}

const MAYBE = /may (have been|already have) created/;
const promptOf = ({ word, pad }, itemIndex) => (word === null ? { text: 'an object', itemIndex } : `${pad}${word}${word ? ` ${itemIndex}` : ''}${pad}`);

function workflowOf(settings) {
	const parameters = {
		resource: 'image',
		operation: 'textToImage',
		prompt: '={{ $json.p }}',
		waitMode: settings.waitMode,
		timeLimitMinutes: settings.timeLimitMinutes,
		options: { concurrency: settings.concurrency, ...(settings.maxPoints ? { maxPointsPerRun: settings.maxPoints } : {}) },
		...(settings.waitMode === 'none' ? {} : { download: settings.download }),
		...(settings.aspectRatio ? { promptOptions: { aspectRatio: '16:9' } } : {}),
		...(settings.callbackUrl ? { callback: 'url', callbackUrl: `${world.engine.webhookBaseUrl}webhook/legnext/another-workflow` } : {}),
	};
	const node = {
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(settings.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } : {}),
	};
	const items = settings.prompts.map((prompt, itemIndex) => ({ p: promptOf(prompt, itemIndex) }));
	return legnextWorkflow(world, parameters, { items, node });
}

/** What the engine stores: every item of every run of the node, and the execution's error. */
function storedText(run) {
	const items = (run.runData.Legnext ?? []).flatMap((task) => (task.data?.main ?? []).flat().filter(Boolean));
	const error = run.error ? `${run.error.message ?? ''} ${run.error.description ?? ''}` : '';
	return { items, error, all: JSON.stringify(run.runData) + error };
}


async function runScenario({ settings, faults }) {
	world.simulator.reset();
	logLines.length = 0;
	world.simulator.inject(Object.assign({}, ...Object.values(faults)));
	let run = await world.engine.runWorkflow(workflowOf(settings), { timeoutMs: 60_000 });
	if (run.status === 'waiting') run = await world.engine.waitForResume(run, { timeoutMs: 60_000 });
	await world.simulator.whenCallbacksSettled?.();
	try {
		checkLedger(settings, run);
	} catch (error) {
		const { items, error: said } = storedText(run);
		const jobs = [...world.simulator.jobs.entries()].map(([jobId, job]) => `${jobId} ${JSON.stringify(job.body.text)} ${job.status ?? ''}`);
		error.message += `\n--- run ${run.status}\nerror: ${said}\nitems: ${JSON.stringify(items.map((item) => [item.pairedItem, item.json]))}\njobs: ${jobs.join('\n')}`;
		throw error;
	}
}

function checkLedger(settings, run) {
	const { items, error, all } = storedText(run);
	const jobs = [...world.simulator.jobs.entries()].map(([jobId, job]) => ({ jobId, job }));
	const expected = settings.prompts.map((prompt, itemIndex) => {
		const written = promptOf(prompt, itemIndex);
		const trimmed = typeof written === 'string' ? written.trim() : '';
		return trimmed && settings.aspectRatio ? `${trimmed} --ar 16:9` : trimmed;
	});
	const perItem = new Map();
	for (const { jobId, job } of jobs) {
		// Prompts as written: each job's text is one item's prompt (+ its Prompt Options flags), trimmed.
		const itemIndex = expected.indexOf(job.body.text);
		expect({ jobId, text: job.body.text, known: itemIndex >= 0 }).toEqual({ jobId, text: job.body.text, known: true });
		perItem.set(itemIndex, [...(perItem.get(itemIndex) ?? []), jobId]);
		// Named in the output item paired with its item, or in the error together with its item.
		const inItem = items.some((item) => item.pairedItem?.item === itemIndex && JSON.stringify(item.json).includes(jobId));
		const inError = error.includes(jobId) && error.includes(`item ${itemIndex}`);
		// A job whose submit answer was lost has no ID the node could know: its item must say a job may exist.
		const lost = world.simulator.requests.some((request) => request.jobId === jobId && request.method === 'POST' && (request.dropped || request.status >= 500));
		const itemSaysMaybe = items.some((item) => item.pairedItem?.item === itemIndex && MAYBE.test(JSON.stringify(item.json)));
		const errorSaysMaybe = new RegExp(`item ${itemIndex}\\b`).test(error) && MAYBE.test(error);
		const named = inItem || inError || (lost && (itemSaysMaybe || errorSaysMaybe));
		expect({ jobId, itemIndex, lost, named }).toEqual({ jobId, itemIndex, lost, named: true });
	}
	// And the other way round: every job the run names exists at Legnext.
	const created = new Set(jobs.map(({ jobId }) => jobId));
	const named = new Set((JSON.stringify(items.map((item) => item.json)) + error).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []);
	expect([...named].filter((jobId) => !created.has(jobId))).toEqual([]);
	// At most one job per item per run, across Retry On Fail.
	for (const [itemIndex, ids] of perItem) expect({ itemIndex, jobs: ids.length }).toEqual({ itemIndex, jobs: 1 });
	// Max Points per Run: what the created jobs froze.
	if (settings.maxPoints) {
		const frozen = jobs.reduce((sum, { job }) => sum + job.plan.frozen, 0);
		expect(frozen).toBeLessThanOrEqual(settings.maxPoints);
	}
	// No secret: the API key, the resume URL's signature, a trigger token, the final check's signature.
	const secrets = [API_KEY];
	for (const request of world.simulator.requests) {
		const callback = request.body?.callback;
		if (typeof callback !== 'string') continue;
		const url = new URL(callback);
		for (const name of ['signature', 'token']) if (url.searchParams.get(name)) secrets.push(url.searchParams.get(name));
	}
	const shown = all + logLines.join('\n');
	for (const secret of secrets) expect(shown.includes(secret) ? `secret ${secret.slice(0, 6)}… shown` : 'none').toBe('none');
	expect(shown).not.toMatch(/legnextFinalCheck=[0-9a-f]{16}/);
}

test(`the ledger holds over ${RUNS} generated runs (seed ${SEED})`, async () => {
	console.log(`ledger: seed ${SEED}, ${RUNS} runs; replay one with LEDGER_SEED=${SEED}`);
	const started = Date.now();
	await fc.assert(fc.asyncProperty(scenarioArb, runScenario), {
		seed: SEED,
		numRuns: RUNS,
		endOnFailure: true,
		verbose: true,
	});
	console.log(`ledger: ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${loggedInAll} log lines checked`);
}, 300_000);
