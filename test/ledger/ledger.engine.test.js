// The ledger invariant, over randomized runs in n8n's engine against the Legnext simulator: whatever
// the operation, the workflow's shape, the settings and the faults, every job created at the
// simulator is named in an output item paired with its item or in the execution's error (with its
// item), no item gets two jobs in one run of its node (Retry On Fail included), every prompt is sent
// as written, Max Points per Run is never exceeded, and no secret reaches an output, an error or a
// log line.
//
// Drawn: the operation (Text to Image, Image to Video from an image URL or from an earlier job,
// Upscale, Variation, and version 1's Imagine and Upscale), the shape (the node alone; inside Loop
// Over Items, batches of 1–3, so it runs — and pauses — once per batch; Text to Image → Upscale of its
// output), every node's settings, and the simulator's faults. The "earlier jobs" an operation needs
// are created (and finished) before the run and are not part of its ledger. Loop Over Items is the
// harness's `test.loop` (test/harness/engine/builtin-nodes.js: n8n-nodes-base's SplitInBatches v3
// reimplemented, its state in the node's context, saved with a waiting execution): n8n-nodes-base is
// not a devDependency, and the engine runs any node type the harness registers.
//
// LEDGER_SEED=<n> replays one seed (the scenarios, not their timing); LEDGER_RUNS=<n> sets the count.
const fc = require('fast-check');
const { LoggerProxy } = require('n8n-workflow');
const { startWorld, API_KEY } = require('../harness/setup');

const logLines = [];
let loggedInAll = 0;
let jobsChecked = 0;
/** What the runs went through, for the summary: pauses, and downloads that failed after a pause. */
const seen = { pauses: 0, loopRunsPausedTwice: 0, failedDownloadsAfterPause: 0 };
const SEED = process.env.LEDGER_SEED === undefined ? 20261203 : Number(process.env.LEDGER_SEED);
const RUNS = Number(process.env.LEDGER_RUNS ?? 150);
/** The simulator's account runs 3 jobs at once: a concurrency above it meets 429s. */
const ACCOUNT_CAP = 3;
const CREDENTIAL = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };

/* ---------------------------------------------------------------------------------------------
 * What an item of each operation must send. An item's input JSON: `p` its prompt (a text, or an
 * object: a prompt mapped to an object), `parent` an earlier job (finished, unknown to Legnext, or
 * '': none), `no` an image number, `url` an image URL of its own. Each item's job is told apart by
 * its key (keyOf: the text, the parent job and image, or the first frame's URL), unique in the run.
 * `expect` gives the key and the prompt field the item must send, or undefined when the item is
 * invalid and must send nothing.
 * ------------------------------------------------------------------------------------------- */

/** The prompt as the user wrote it, trimmed ('' when empty); null for a prompt mapped to an object. */
const writtenText = (json) => (typeof json.p === 'string' ? json.p.trim() : null);
const parentKey = (json, imageNo = json.no) => (json.parent ? `job:${json.parent}:${imageNo}` : undefined);

const OPERATIONS = {
	textToImage: {
		version: 2,
		price: 80,
		download: 'grid',
		parameters: (s) => ({
			resource: 'image',
			operation: 'textToImage',
			prompt: '={{ $json.p }}',
			...(s.aspectRatio ? { promptOptions: { aspectRatio: '16:9' } } : {}),
		}),
		expect: (json, s) => {
			const text = writtenText(json);
			return text ? { key: `text:${text}${s.aspectRatio ? ' --ar 16:9' : ''}` } : undefined;
		},
	},
	imageToVideoFromUrl: {
		version: 2,
		price: 480,
		download: 'videos',
		parameters: () => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: '={{ $json.url }}', prompt: '={{ $json.p }}', resolution: '480p' }),
		expect: (json) => {
			const text = writtenText(json);
			return text === null ? undefined : { key: `url:${json.url}`, prompt: { field: 'prompt', value: `${json.url} ${text}`.trim() } };
		},
	},
	imageToVideoFromJob: {
		version: 2,
		price: 480,
		parents: true,
		download: 'videos',
		parameters: () => ({
			resource: 'video',
			operation: 'imageToVideo',
			imageSource: 'job',
			jobId: '={{ $json.parent }}',
			imageNo: '={{ $json.no }}',
			prompt: '={{ $json.p }}',
			resolution: '480p',
		}),
		expect: (json) => {
			const text = writtenText(json);
			return text === null || !json.parent ? undefined : { key: parentKey(json), prompt: { field: 'prompt', value: text || undefined } };
		},
	},
	upscale: {
		version: 2,
		price: 120,
		parents: true,
		download: 'images',
		parameters: (s) => ({ resource: 'image', operation: 'upscale', jobId: '={{ $json.parent }}', imageNo: '={{ $json.no }}', type: s.type }),
		expect: (json) => (json.parent ? { key: parentKey(json) } : undefined),
	},
	variation: {
		version: 2,
		price: 120,
		parents: true,
		download: 'grid',
		parameters: (s) => ({
			resource: 'image',
			operation: 'variation',
			jobId: '={{ $json.parent }}',
			imageNo: '={{ $json.no }}',
			type: s.type,
			remixPrompt: '={{ $json.p }}',
		}),
		expect: (json) => {
			const text = writtenText(json);
			return text === null || !json.parent ? undefined : { key: parentKey(json), prompt: { field: 'remixPrompt', value: text || undefined } };
		},
	},
	// Version 1 (0.1.0's node): no wait, no budget, the job output as submitted.
	v1Imagine: {
		version: 1,
		parameters: () => ({ text: '={{ $json.p }}' }),
		expect: (json) => {
			const text = writtenText(json);
			return text ? { key: `text:${text}` } : undefined;
		},
	},
	v1Upscale: {
		version: 1,
		parents: true,
		parameters: (s) => ({ operation: 'upscale', jobId: '={{ $json.parent }}', imageNo: '={{ $json.no }}', type: s.type }),
		expect: (json) => (json.parent ? { key: parentKey(json) } : undefined),
	},
};

/** The key of a job from the body Legnext received (see OPERATIONS). */
function keyOf(body) {
	if (typeof body.jobId === 'string') return `job:${body.jobId}:${body.imageNo}`;
	if (typeof body.text === 'string') return `text:${body.text}`;
	if (typeof body.prompt === 'string') return `url:${body.prompt.split(' ')[0]}`;
	return `unknown:${JSON.stringify(body)}`;
}

/* ---------------------------------------------------------------------------------------------
 * The scenarios.
 * ------------------------------------------------------------------------------------------- */

const nodeSettingsArb = fc.record({
	waitMode: fc.constantFrom('none', 'poll', 'callback', 'callback'),
	download: fc.constantFrom(true, true, false),
	continueOnFail: fc.boolean(),
	retryOnFail: fc.boolean(),
	concurrency: fc.integer({ min: 1, max: 6 }),
	/** Max Points per Run, in multiples of the operation's price (0 = none). */
	maxPoints: fc.constantFrom(0, 0, 0, 1, 2, 3, 5),
	timeLimitMinutes: fc.constantFrom(2, 5),
	aspectRatio: fc.boolean(),
	/** A custom callback URL of a trigger's shape: the node adds the trigger's token, a secret. */
	callbackUrl: fc.boolean(),
	/** Upscale / Variation type. */
	type: fc.constantFrom(0, 1),
	/** The image the Upscale after Text to Image takes. */
	imageNo: fc.integer({ min: 0, max: 3 }),
});

const itemArb = fc.record({
	// '' is an empty prompt, null a prompt mapped to an object: invalid where a prompt is needed.
	word: fc.oneof({ arbitrary: fc.constantFrom('cat', 'a lighthouse', 'fox --turbo', 'an owl'), weight: 6 }, { arbitrary: fc.constantFrom('', null), weight: 1 }),
	pad: fc.constantFrom('', ' ', '  \n'),
	/** The earlier job an item names: finished, unknown to Legnext (404), or none (invalid). */
	parent: fc.oneof({ arbitrary: fc.constant('earlier'), weight: 8 }, { arbitrary: fc.constantFrom('unknown', 'none'), weight: 2 }),
	no: fc.integer({ min: 0, max: 3 }),
});

/**
 * Each fault in about one run of four (a failed download in one of two), so that most runs also create
 * jobs for the ledger to follow.
 */
const sometimes = (faults) =>
	fc
		.record(
			Object.fromEntries(
				Object.entries(faults).map(([name, arb]) => [name, fc.oneof({ arbitrary: fc.constant(undefined), weight: name === 'downloadFails' ? 1 : 3 }, { arbitrary: arb, weight: 1 })]),
			),
		)
		.map((drawn) => Object.fromEntries(Object.entries(drawn).filter(([, fault]) => fault !== undefined)));

const faultArb = sometimes({
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
		// A failed download (last: it takes the `status` fault when another one drew it too).
		downloadFails: fc
			.record({ code: fc.constantFrom(403, 404, 500), count: fc.integer({ min: 1, max: 3 }) })
			.map(({ code, count }) => ({ status: { code, count, on: 'files' } })),
});

const scenarioArb = fc
	.record({
		shape: fc.constantFrom('alone', 'alone', 'loop', 'loop', 'chain'),
		operation: fc.constantFrom(...Object.keys(OPERATIONS)),
		batchSize: fc.integer({ min: 1, max: 3 }),
		items: fc.array(itemArb, { minLength: 1, maxLength: 6 }),
		node: nodeSettingsArb,
		upscale: nodeSettingsArb,
		faults: faultArb,
	})
	// What the shape does not use is dropped, so a failing scenario prints only what it ran.
	.map(({ shape, operation, batchSize, upscale, ...rest }) => ({
		shape,
		operation: shape === 'chain' ? 'textToImage' : operation,
		...(shape === 'loop' ? { batchSize } : {}),
		...rest,
		...(shape === 'chain' ? { upscale } : {}),
	}));

/* ---------------------------------------------------------------------------------------------
 * The world, and the workflow a scenario runs.
 * ------------------------------------------------------------------------------------------- */

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

/** A job ID of Legnext's shape that Legnext does not know. */
const unknownJobId = (index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/** Finished earlier jobs for the items that name one, made before the run (advanced to their end). */
async function createEarlierJob(index) {
	const response = await fetch(`${world.simulator.url}/api/v1/diffusion`, {
		method: 'POST',
		headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
		body: JSON.stringify({ text: `an earlier job ${index}` }),
	});
	const job = await response.json();
	if (!job.job_id) throw new Error(`the earlier job was not created: ${JSON.stringify(job)}`);
	world.simulator.advance(600);
	if (world.simulator.view(job.job_id)?.status !== 'completed') throw new Error(`the earlier job ${job.job_id} did not finish`);
	return job.job_id;
}

/** The input items of a scenario, their earlier jobs created. */
async function inputsOf({ operation, items }) {
	const inputs = [];
	for (const [index, { word, pad, parent, no }] of items.entries()) {
		const p = word === null ? { text: 'an object', itemIndex: index } : `${pad}${word}${word ? ` ${index}` : ''}${pad}`;
		const json = { p, no, url: `https://example.com/frame-${index}.png`, parent: '' };
		if (OPERATIONS[operation].parents && parent === 'earlier') json.parent = await createEarlierJob(index);
		if (parent === 'unknown') json.parent = unknownJobId(index);
		inputs.push(json);
	}
	return inputs;
}

function legnextNode(name, x, operation, settings, parameters = OPERATIONS[operation].parameters(settings)) {
	const op = OPERATIONS[operation];
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

/** Start → Items → the shape: Legnext alone; Loop ⇄ Legnext; Legnext (Text to Image) → Upscale. */
function workflowOf(scenario, inputs) {
	const nodes = [
		{ id: 'n-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'n-items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: inputs } },
	];
	const connections = { Start: to('Items') };
	const legnext = legnextNode('Legnext', 600, scenario.operation, scenario.node);
	if (scenario.shape === 'loop') {
		nodes.push({ id: 'n-loop', name: 'Loop', type: 'test.loop', typeVersion: 1, position: [400, 0], parameters: { batchSize: scenario.batchSize } });
		nodes.push(legnext);
		Object.assign(connections, { Items: to('Loop'), Loop: { main: [[], [{ node: 'Legnext', type: 'main', index: 0 }]] }, Legnext: to('Loop') });
	} else {
		nodes.push(legnext);
		connections.Items = to('Legnext');
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
 * One scenario, and its check.
 * ------------------------------------------------------------------------------------------- */

const MAYBE = /may (have been|already have) created/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A loop pauses once per batch at most: more is a pause that never ends. */
const MAX_PAUSES = 8;

async function runScenario(scenario) {
	world.simulator.reset();
	logLines.length = 0;
	const inputs = await inputsOf(scenario);
	const earlier = new Set(world.simulator.jobs.keys());
	world.simulator.inject(Object.assign({}, ...Object.values(scenario.faults)));
	let run = await world.engine.runWorkflow(workflowOf(scenario, inputs), { timeoutMs: 60_000 });
	let pauses = 0;
	while (run.status === 'waiting' && pauses++ < MAX_PAUSES) run = await world.engine.waitForResume(run, { timeoutMs: 60_000 });
	await world.simulator.whenCallbacksSettled?.();
	seen.pauses += pauses;
	if (scenario.shape === 'loop' && pauses >= 2) seen.loopRunsPausedTwice++;
	if (pauses && world.simulator.requests.some((request) => !request.path.startsWith('/api/') && (request.status >= 400 || request.dropped))) seen.failedDownloadsAfterPause++;
	try {
		// The execution ended: no pause left waiting, nothing crashed.
		expect(run.status).toMatch(/^(success|error)$/);
		checkLedger(slotsOf(scenario, inputs, run), run, { earlier, unknown: new Set(inputs.map((_, index) => unknownJobId(index))) });
	} catch (error) {
		const { error: said } = storedText(run);
		const outputs = ['Legnext', 'Upscale'].flatMap((node) =>
			(run.runData[node] ?? []).map((_, runIndex) => `${node}#${runIndex}: ${JSON.stringify(outputOf(run, node, runIndex).map((item) => [item.pairedItem, item.json]))}`),
		);
		const jobs = [...world.simulator.jobs.entries()]
			.filter(([jobId]) => !earlier.has(jobId))
			.map(([jobId, job]) => `${jobId} ${job.taskType} ${JSON.stringify({ ...job.body, callback: undefined })} ${job.status ?? ''}`);
		error.message += `\n--- run ${run.status} after ${pauses} pause(s)\nerror: ${said}\noutputs:\n${outputs.join('\n')}\njobs:\n${jobs.join('\n')}`;
		throw error;
	}
}

function checkLedger(slots, run, { earlier, unknown }) {
	const { error, all } = storedText(run);
	const jobs = [...world.simulator.jobs.entries()].filter(([jobId]) => !earlier.has(jobId)).map(([jobId, job]) => ({ jobId, job }));
	const byKey = new Map(slots.filter((slot) => slot.key).map((slot) => [slot.key, slot]));
	const perSlot = new Map();
	jobsChecked += jobs.length;
	for (const { jobId, job } of jobs) {
		// Each job is one valid item's: its text, or its parent job and image, or its image URL.
		const key = keyOf(job.body);
		const slot = byKey.get(key);
		expect({ jobId, key, ofAnItem: Boolean(slot) }).toEqual({ jobId, key, ofAnItem: true });
		perSlot.set(slot, [...(perSlot.get(slot) ?? []), { jobId, job }]);
		// Prompts as written: the item's prompt, trimmed (a Text to Image's is its key).
		if (slot.prompt) expect({ jobId, [slot.prompt.field]: job.body[slot.prompt.field] }).toEqual({ jobId, [slot.prompt.field]: slot.prompt.value });
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
		const run = `${slot.node}#${slot.run} (max ${slot.maxPoints})`;
		frozen.set(run, (frozen.get(run) ?? 0) + made.reduce((sum, { job }) => sum + job.plan.frozen, 0));
	}
	for (const [where, points] of frozen) expect({ where, withinMax: points <= Number(where.match(/max (\d+)/)[1]), points }).toEqual({ where, withinMax: true, points });
	// No secret: the API key, the resume URL's signature, a trigger token, the final check's signature.
	const secrets = [API_KEY];
	for (const request of world.simulator.requests) {
		const callback = request.body?.callback;
		if (typeof callback !== 'string') continue;
		const url = new URL(callback);
		for (const name of ['signature', 'token', 'referenceToken']) if (url.searchParams.get(name)) secrets.push(url.searchParams.get(name));
	}
	const shown = all + logLines.join('\n');
	for (const secret of secrets) expect(shown.includes(secret) ? `secret ${secret.slice(0, 6)}… shown` : 'none').toBe('none');
	expect(shown).not.toMatch(/legnextFinalCheck=[0-9a-f]{16}/);
}

test(`the ledger holds over ${RUNS} generated runs (seed ${SEED})`, async () => {
	console.log(`ledger: seed ${SEED}, ${RUNS} runs; replay one with LEDGER_SEED=${SEED}`);
	const started = Date.now();
	const drawn = new Map();
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (scenario) => {
			const kind = `${scenario.shape} ${scenario.operation}${OPERATIONS[scenario.operation].version === 2 ? ` ${scenario.node.waitMode}` : ''}`;
			const before = jobsChecked;
			await runScenario(scenario);
			const [runs, jobs] = drawn.get(kind) ?? [0, 0];
			drawn.set(kind, [runs + 1, jobs + jobsChecked - before]);
		}),
		{ seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: true },
	);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log(`ledger: ${RUNS} runs in ${seconds} s, ${loggedInAll} log lines and ${jobsChecked} jobs checked; ${seen.pauses} pauses, ${seen.loopRunsPausedTwice} loops that paused twice or more, ${seen.failedDownloadsAfterPause} runs with a failed download after a pause; drawn:\n${[...drawn].sort().map(([kind, [runs, jobs]]) => `  ${kind}: ${runs} runs, ${jobs} jobs`).join('\n')}`);
}, 300_000);
