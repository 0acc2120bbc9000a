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
// The machinery (world, workflow, check) is ledger-kit.js, shared with more-operations.engine.test.js
// and trigger.engine.test.js.
const { OPERATIONS, addOperations, writtenText, parentKey, runsOr, scenarioArbOf, useWorld, checkAll } = require('./ledger-kit');

useWorld();
const RUNS = runsOr(150);

/* ---------------------------------------------------------------------------------------------
 * What an item of each operation must send (see ledger-kit.js for the fields).
 * ------------------------------------------------------------------------------------------- */

addOperations({
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
});

test(`the ledger holds over ${RUNS} generated runs`, async () => {
	await checkAll('ledger', {
		runs: RUNS,
		scenarioArb: scenarioArbOf(Object.keys(OPERATIONS)),
		kindOf: (scenario) => `${scenario.shape} ${scenario.operation}${OPERATIONS[scenario.operation].version === 2 ? ` ${scenario.node.waitMode}` : ''}`,
	});
}, 300_000);
