// The ledger's shared machinery (used by test/pays-once/generated-*.engine.test.js): the world, the
// drawn settings, items and faults, the workflow a scenario runs, the ledger's slots and its check. An
// operation is registered by the test file that draws it (addOperations); each entry says what an item
// of it must send:
//   version, price (Max Points per Run is drawn in multiples of it), download (Download Files when on),
//   parents: 'image' | 'video' (items name an earlier job of that kind, made before the run),
//   binary: 'one' | 'many' (items carry image files, numbered data_0… for 'many'),
//   parameters(settings), expect(json, settings) → {key, prompt?: {field, value, afterFirstWord?}} or
//   undefined when the item is invalid and must send nothing.
// An item's input JSON: `p` its prompt (a text, or an object: a prompt mapped to an object), `parent`
// an earlier job (finished, unknown to Legnext, or '': none), `no` an image or video number, `url` an
// image URL of its own, `urls` 1–6 image URLs, `files` its image files ({property, bytes}). Each job
// is told apart by its key (keyOf), unique in the run; a file n8n hands out as a signed URL is known
// by its size, unique in the run (`bytes:<n>`).
const fc = require('fast-check');
const { LoggerProxy } = require('n8n-workflow');
const { startWorld, API_KEY } = require('../world');

const SEED = process.env.LEDGER_SEED === undefined ? 20261203 : Number(process.env.LEDGER_SEED);
/** LEDGER_RUNS sets every file's count; each file has its own default. */
const runsOr = (fallback) => Number(process.env.LEDGER_RUNS ?? fallback);
/** The simulator's account runs 3 jobs at once: a concurrency above it meets 429s. */
const ACCOUNT_CAP = 3;
const CREDENTIAL = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };
const OPERATIONS = {};
const addOperations = (operations) => Object.assign(OPERATIONS, operations);
const state = { world: undefined, logLines: [], loggedInAll: 0, jobsChecked: 0, seen: { pauses: 0, loopRunsPausedTwice: 0, failedDownloadsAfterPause: 0, retries: 0, retriesAfterJobs: 0 } };

/** The prompt as the user wrote it, trimmed ('' when empty); null for a prompt mapped to an object. */
const writtenText = (json) => (typeof json.p === 'string' ? json.p.trim() : null);
const parentKey = (json, number = json.no) => (json.parent ? `job:${json.parent}:${number}` : undefined);
/** A binary file's key: its size (the simulator fetched it from n8n's signed URL). */
const fileKey = (file) => `bytes:${file.bytes}`;

/** What an image URL stands for: itself, or the file n8n's signed URL served (by its size). */
function imageOf(url) {
	if (typeof url !== 'string' || !url.includes('/rest/binary-data/signed')) return url;
	const fetched = state.world.simulator.imageFetches.find((fetch) => fetch.url === url && fetch.status === 200);
	return fetched ? `bytes:${fetched.bytes}` : `unfetched:${url}`;
}

/** The key of a job from the body Legnext received. */
function keyOf(body) {
	if (typeof body.jobId === 'string') return `job:${body.jobId}:${body.videoNo !== undefined ? `v${body.videoNo}` : body.imageNo ?? '-'}`;
	if (typeof body.text === 'string') return `text:${body.text}`;
	if (typeof body.prompt === 'string') return `url:${imageOf(body.prompt.split(' ')[0])}`;
	if (Array.isArray(body.imgUrls)) return `urls:${body.imgUrls.map(imageOf).join(',')}`;
	if (typeof body.imgUrl === 'string') return `url:${imageOf(body.imgUrl)}`;
	if (typeof body.image_url === 'string') return `url:${imageOf(body.image_url)}`;
	if (typeof body.imageBase64 === 'string') return `url:bytes:${Buffer.from(body.imageBase64.split(',')[1] ?? '', 'base64').length}`;
	return `unknown:${JSON.stringify(body)}`;
}

const { nodeSettingsArb, itemArbWith, sometimes, FAULTS, faultArb, scenarioArbOf } = require('./draw');

/* ---------------------------------------------------------------------------------------------
 * The world, the inputs, and the workflow a scenario runs.
 * ------------------------------------------------------------------------------------------- */

function useWorld() {
	beforeAll(async () => {
		state.world = await startWorld({ concurrencyLimit: ACCOUNT_CAP });
		// n8n's log lines (the engine's and any the node writes), recorded to look for secrets in them.
		const record = (message, meta) => (state.loggedInAll++, state.logLines.push(`${message} ${meta === undefined ? '' : safeJson(meta)}`));
		LoggerProxy.init({ error: record, warn: record, info: record, debug: record, verbose: record });
	});
	afterAll(async () => await state.world.close());
	return () => state.world;
}

function safeJson(value) {
	try {
		return JSON.stringify(value);
	} catch {
		return String(value);
	}
}

/** A job ID of Legnext's shape that Legnext does not know. */
const unknownJobId = (index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/** A finished earlier job (an image job, or a video job), made before the run and advanced to its end. */
async function createEarlierJob(index, kind = 'image') {
	const { world } = state;
	const [path, body] = kind === 'video' ? ['video-diffusion', { prompt: `https://example.com/earlier-${index}.png waves`, videoType: 0 }] : ['diffusion', { text: `an earlier job ${index}` }];
	const response = await fetch(`${world.simulator.url}/api/v1/${path}`, {
		method: 'POST',
		headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const job = await response.json();
	if (!job.job_id) throw new Error(`the earlier job was not created: ${JSON.stringify(job)}`);
	world.simulator.advance(600);
	if (world.simulator.view(job.job_id)?.status !== 'completed') throw new Error(`the earlier job ${job.job_id} did not finish`);
	return job.job_id;
}

/** The input items of a scenario, their earlier jobs created. */
async function inputsOf({ operation, items }) {
	const op = OPERATIONS[operation];
	const inputs = [];
	for (const [index, { word, pad, parent, no, count = 2 }] of items.entries()) {
		const p = word === null ? { text: 'an object', itemIndex: index } : `${pad}${word}${word ? ` ${index}` : ''}${pad}`;
		const json = { p, no, url: `https://example.com/frame-${index}.png`, parent: '' };
		if (op.parents && parent === 'earlier') json.parent = await createEarlierJob(index, op.parents === true ? 'image' : op.parents);
		if (parent === 'unknown') json.parent = unknownJobId(index);
		json.urls = Array.from({ length: count }, (_, k) => `https://example.com/blend-${index}-${k}.png`);
		if (op.binary) json.files = Array.from({ length: op.binary === 'many' ? count : 1 }, (_, k) => ({ property: op.binary === 'many' ? `data_${k}` : 'data', bytes: 1000 + 10 * index + k }));
		inputs.push(json);
	}
	return inputs;
}

/** The Legnext node; `settings.callbackTo` ('trigger' or a URL) sends its jobs' callbacks there. */
function legnextNode(name, x, operation, settings, parameters = OPERATIONS[operation].parameters(settings)) {
	const op = OPERATIONS[operation];
	const { world } = state;
	const callback = settings.callbackTo === 'trigger' ? { callback: 'trigger' } : settings.callbackTo ? { callback: 'url', callbackUrl: settings.callbackTo } : undefined;
	const all =
		op.version === 1
			? parameters
			: {
					...parameters,
					waitMode: settings.waitMode,
					timeLimitMinutes: settings.timeLimitMinutes,
					options: {
						concurrency: settings.concurrency,
						...(settings.maxPoints ? { maxPointsPerRun: settings.maxPoints * op.price } : {}),
					},
					...(settings.waitMode === 'none' ? {} : { download: settings.download ? op.download : 'none' }),
					...(settings.callbackUrl ? { callback: 'url', callbackUrl: `${world.engine.webhookBaseUrl}webhook/legnext/another-workflow` } : {}),
					...callback,
				};
	return {
		id: `n-${name}`,
		name,
		type: world.legnext,
		typeVersion: op.version,
		position: [x, 0],
		parameters: all,
		credentials: CREDENTIAL,
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(settings.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } : {}),
	};
}

const to = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });

/** Start → Items (→ Files) → the shape: Legnext alone; Loop ⇄ Legnext; Legnext (Text to Image) → Upscale. */
function workflowOf(scenario, inputs) {
	const nodes = [
		{ id: 'n-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'n-items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: inputs } },
	];
	const connections = { Start: to('Items') };
	let last = 'Items';
	if (OPERATIONS[scenario.operation].binary) {
		nodes.push({ id: 'n-files', name: 'Files', type: 'test.files', typeVersion: 1, position: [300, 0], parameters: { files: '={{ $json.files }}' } });
		connections.Items = to('Files');
		last = 'Files';
	}
	const legnext = legnextNode('Legnext', 600, scenario.operation, scenario.node);
	if (scenario.shape === 'loop') {
		nodes.push({ id: 'n-loop', name: 'Loop', type: 'test.loop', typeVersion: 1, position: [400, 0], parameters: { batchSize: scenario.batchSize } });
		nodes.push(legnext);
		Object.assign(connections, { [last]: to('Loop'), Loop: { main: [[], [{ node: 'Legnext', type: 'main', index: 0 }]] }, Legnext: to('Loop') });
	} else {
		nodes.push(legnext);
		connections[last] = to('Legnext');
	}
	if (scenario.shape === 'chain') {
		const { upscale } = scenario;
		const parameters = { resource: 'image', operation: 'upscale', jobId: '={{ $json.jobId }}', imageNo: upscale.imageNo, type: upscale.type };
		nodes.push(legnextNode('Upscale', 800, 'upscale', upscale, parameters));
		connections.Legnext = to('Upscale');
	}
	return { nodes, connections };
}

/* ---------------------------------------------------------------------------------------------
 * The ledger's slots: every (node, run of the node, item of that run) that may send a job, with
 * the key and prompt it must send. The Loop hands the node batches in order; the Upscale after
 * Text to Image gets the Text to Image's output items.
 * ------------------------------------------------------------------------------------------- */

function slotsOf(scenario, inputs, run) {
	const op = OPERATIONS[scenario.operation];
	const maxPointsOf = (settings, price) => (op.version === 1 || !settings.maxPoints ? 0 : settings.maxPoints * price);
	const slots = inputs.map((json, index) => {
		const batch = scenario.shape === 'loop' ? scenario.batchSize : inputs.length;
		const expected = op.expect(json, scenario.node);
		return { node: 'Legnext', run: Math.floor(index / batch), item: index % batch, maxPoints: maxPointsOf(scenario.node, op.price), ...expected };
	});
	if (scenario.shape === 'chain') {
		const { upscale } = scenario;
		for (const [item, { json }] of outputOf(run, 'Legnext', lastRunOf(run, 'Legnext')).entries()) {
			const key = typeof json.jobId === 'string' && json.jobId ? `job:${json.jobId}:${upscale.imageNo}` : undefined;
			slots.push({ node: 'Upscale', run: 0, item, maxPoints: maxPointsOf(upscale, OPERATIONS.upscale.price), key });
		}
	}
	return slots;
}

const lastRunOf = (run, node) => (run.runData[node]?.length ?? 1) - 1;
const outputOf = (run, node, runIndex) => (run.runData[node]?.[runIndex]?.data?.main ?? []).flat().filter(Boolean);

/** What the engine stores: every item of every run of every node, and the execution's error. */
function storedText(run) {
	const error = run.error ? `${run.error.message ?? ''} ${run.error.description ?? ''}` : '';
	return { error, all: JSON.stringify(run.runData) + error };
}

/* ---------------------------------------------------------------------------------------------
 * One scenario, and its check. `afterRun(run, {scenario, inputs, earlier, jobs})` adds checks of
 * its own (the trigger's), inside the report of what the run did.
 * ------------------------------------------------------------------------------------------- */

const MAYBE = /may (have been|already have) created/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A loop pauses once per batch at most: more is a pause that never ends. */
const MAX_PAUSES = 8;

async function runScenario(scenario, { workflow = workflowOf, start, afterRun } = {}) {
	const { world, seen } = state;
	world.simulator.reset();
	state.logLines.length = 0;
	const inputs = await inputsOf(scenario);
	const earlier = new Set(world.simulator.jobs.keys());
	world.simulator.inject(Object.assign({}, ...Object.values(scenario.faults)));
	let run = await world.engine.runWorkflow(await workflow(scenario, inputs), { timeoutMs: 60_000, ...(start ? { startNode: start } : {}) });
	let pauses = 0;
	const untilEnded = async (started) => {
		let ended = started;
		while (ended.status === 'waiting' && pauses++ < MAX_PAUSES) ended = await world.engine.waitForResume(ended, { timeoutMs: 60_000 });
		await world.simulator.whenCallbacksSettled?.();
		return ended;
	};
	run = await untilEnded(run);
	seen.pauses += pauses;
	if (scenario.shape === 'loop' && pauses >= 2) seen.loopRunsPausedTwice++;
	if (pauses && world.simulator.requests.some((request) => !request.path.startsWith('/api/') && (request.status >= 400 || request.dropped))) seen.failedDownloadsAfterPause++;
	const jobsOfRun = () => [...world.simulator.jobs.entries()].filter(([jobId]) => !earlier.has(jobId)).map(([jobId, job]) => ({ jobId, job }));
	let extra = '';
	try {
		// The execution ended: no pause left waiting, nothing crashed.
		expect(run.status).toMatch(/^(success|error)$/);
		checkLedger(slotsOf(scenario, inputs, run), run, jobsOfRun(), new Set(inputs.map((_, index) => unknownJobId(index))));
		if (afterRun) await afterRun(run, { scenario, inputs, jobs: jobsOfRun(), report: (text) => (extra += text) });
		// n8n's Retry of the failed execution: the same ledger over the jobs of both executions, read from
		// the retry's data alone (the failed run's error is gone): every job the first one created is
		// handed back to its item and named again, and no item gets a second job.
		if (run.status === 'error' && scenario.retry && scenario.retry !== 'none') {
			if (scenario.retry === 'faultsCleared') world.simulator.inject(Object.fromEntries(Object.keys(world.simulator.faults()).map((name) => [name, undefined])));
			if (jobsOfRun().length) seen.retriesAfterJobs++;
			const failed = run;
			run = await untilEnded(await world.engine.retryExecution(failed.executionId, { timeoutMs: 60_000 }));
			seen.retries++;
			extra += `\n--- n8n's Retry of the failed execution (${scenario.retry})`;
			expect(run.status).toMatch(/^(success|error)$/);
			checkLedger(slotsOf(scenario, inputs, run), run, jobsOfRun(), new Set(inputs.map((_, index) => unknownJobId(index))));
		}
	} catch (error) {
		const { error: said } = storedText(run);
		const outputs = ['Legnext', 'Upscale'].flatMap((node) =>
			(run.runData[node] ?? []).map((_, runIndex) => `${node}#${runIndex}: ${JSON.stringify(outputOf(run, node, runIndex).map((item) => [item.pairedItem, item.json]))}`),
		);
		const jobs = jobsOfRun().map(({ jobId, job }) => `${jobId} ${job.taskType} ${JSON.stringify({ ...job.body, callback: undefined, imageBase64: undefined })} ${job.status ?? ''}`);
		error.message += `\n--- run ${run.status} after ${pauses} pause(s)\nerror: ${said}\noutputs:\n${outputs.join('\n')}\njobs:\n${jobs.join('\n')}${extra}`;
		throw error;
	}
}

function checkLedger(slots, run, jobs, unknown) {
	const { world } = state;
	const { error, all } = storedText(run);
	const byKey = new Map(slots.filter((slot) => slot.key).map((slot) => [slot.key, slot]));
	const perSlot = new Map();
	state.jobsChecked += jobs.length;
	for (const { jobId, job } of jobs) {
		// Each job is one valid item's: its text, or its parent job and image, or its image URL(s).
		const key = keyOf(job.body);
		const slot = byKey.get(key);
		expect({ jobId, key, ofAnItem: Boolean(slot) }).toEqual({ jobId, key, ofAnItem: true });
		perSlot.set(slot, [...(perSlot.get(slot) ?? []), { jobId, job }]);
		// Prompts as written: the item's prompt, trimmed (a Text to Image's is its key; after the image URL for a video).
		if (slot.prompt) {
			const { field, value, afterFirstWord } = slot.prompt;
			const body = job.body[field];
			const sent = afterFirstWord && typeof body === 'string' ? body.slice(body.includes(' ') ? body.indexOf(' ') + 1 : body.length) : body;
			expect({ jobId, [field]: sent }).toEqual({ jobId, [field]: value });
		}
		// Named in an output item of its node's run paired with its item, or in the error with its item.
		const where = `${slot.node}#${slot.run} item ${slot.item}`;
		const items = outputOf(run, slot.node, slot.run).filter((item) => item.pairedItem?.item === slot.item);
		const inItem = items.some((item) => JSON.stringify(item.json).includes(jobId));
		const inError = error.includes(jobId) && error.includes(`item ${slot.item}`);
		// A job whose submit answer was lost has no ID the node could know: its item must say a job may exist.
		const lost = world.simulator.requests.some((request) => request.jobId === jobId && request.method === 'POST' && (request.dropped || request.status >= 500));
		const itemSaysMaybe = items.some((item) => MAYBE.test(JSON.stringify(item.json)));
		const errorSaysMaybe = new RegExp(`item ${slot.item}\\b`).test(error) && MAYBE.test(error);
		const named = inItem || inError || (lost && (itemSaysMaybe || errorSaysMaybe));
		expect({ jobId, where, lost, named }).toEqual({ jobId, where, lost, named: true });
	}
	// And the other way round: every job the run names exists at Legnext (or is an item's unknown parent).
	const shownJson = ['Legnext', 'Upscale'].flatMap((node) => (run.runData[node] ?? []).flatMap((_, runIndex) => outputOf(run, node, runIndex).map((item) => item.json)));
	const named = new Set((JSON.stringify(shownJson) + error).match(UUID) ?? []);
	expect([...named].filter((jobId) => !world.simulator.jobs.has(jobId) && !unknown.has(jobId))).toEqual([]);
	// At most one job per item per run of its node, across Retry On Fail.
	for (const [slot, made] of perSlot) {
		expect({ where: `${slot.node}#${slot.run} item ${slot.item}`, jobs: made.length }).toEqual({ where: `${slot.node}#${slot.run} item ${slot.item}`, jobs: 1 });
	}
	// Max Points per Run: what the jobs of one run of a node froze.
	const frozen = new Map();
	for (const [slot, made] of perSlot) {
		if (!slot.maxPoints) continue;
		const where = `${slot.node}#${slot.run} (max ${slot.maxPoints})`;
		frozen.set(where, (frozen.get(where) ?? 0) + made.reduce((sum, { job }) => sum + job.plan.frozen, 0));
	}
	for (const [where, points] of frozen) expect({ where, withinMax: points <= Number(where.match(/max (\d+)/)[1]), points }).toEqual({ where, withinMax: true, points });
	checkNoSecret(all);
}

/** No secret: the API key, the resume URL's signature, a trigger token, the final check's signature. */
function checkNoSecret(all) {
	const secrets = [API_KEY];
	for (const request of state.world.simulator.requests) {
		const callback = request.body?.callback;
		if (typeof callback !== 'string') continue;
		const url = new URL(callback);
		for (const name of ['signature', 'token', 'referenceToken']) if (url.searchParams.get(name)) secrets.push(url.searchParams.get(name));
	}
	const shown = all + state.logLines.join('\n');
	for (const secret of secrets) expect(shown.includes(secret) ? `secret ${secret.slice(0, 6)}… shown` : 'none').toBe('none');
	expect(shown).not.toMatch(/legnextFinalCheck=[0-9a-f]{16}/);
}

/** The property over `runs` scenarios, with a summary of what was drawn and the time it took. */
async function checkAll(name, { runs, scenarioArb, kindOf, run = (scenario) => runScenario(scenario) }) {
	console.log(`${name}: seed ${SEED}, ${runs} runs; replay one with LEDGER_SEED=${SEED}`);
	const started = Date.now();
	const drawn = new Map();
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (scenario) => {
			const kind = kindOf(scenario);
			const before = state.jobsChecked;
			await run(scenario);
			const [count, jobs] = drawn.get(kind) ?? [0, 0];
			drawn.set(kind, [count + 1, jobs + state.jobsChecked - before]);
		}),
		{ seed: SEED, numRuns: runs, endOnFailure: true, verbose: true },
	);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const { seen } = state;
	console.log(
		`${name}: ${runs} runs in ${seconds} s, ${state.loggedInAll} log lines and ${state.jobsChecked} jobs checked; ${seen.pauses} pauses, ${seen.loopRunsPausedTwice} loops that paused twice or more, ${seen.failedDownloadsAfterPause} runs with a failed download after a pause, ${seen.retries} Retries of a failed execution (${seen.retriesAfterJobs} of one that had created jobs); drawn:\n${[...drawn]
			.sort()
			.map(([kind, [count, jobs]]) => `  ${kind}: ${count} runs, ${jobs} jobs`)
			.join('\n')}`,
	);
}

module.exports = {
	fc,
	SEED,
	runsOr,
	OPERATIONS,
	addOperations,
	state,
	writtenText,
	parentKey,
	fileKey,
	nodeSettingsArb,
	itemArbWith,
	sometimes,
	FAULTS,
	faultArb,
	scenarioArbOf,
	useWorld,
	inputsOf,
	legnextNode,
	workflowOf,
	outputOf,
	storedText,
	runScenario,
	checkNoSecret,
	checkAll,
	UUID,
};
