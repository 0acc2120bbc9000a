// The ledger invariant (generated-runs.engine.test.js, machinery in test/harness/generated-runs/kit.js) over the operations the
// first file does not draw: Blend (1–6 image URLs or binary files: 2–5 valid), Describe (an image URL
// or a binary file), Zoom Out / Pan / Remix / Reroll of an earlier image job, video Extend and video
// Upscale of an earlier video job, Topaz Upscale (of an earlier job's image or of a binary file), and
// Image to Video from a binary file. A binary file reaches Legnext as n8n's signed URL, which the
// simulator fetches from the engine (Describe sends it inline, as a data URL); its job is told apart
// by the file's size. Shapes: the node alone, or inside Loop Over Items; prompts checked where there
// is one. LEDGER_SEED=<n> replays one seed; LEDGER_RUNS=<n> sets the count.
const { OPERATIONS, addOperations, runsOr, scenarioArbOf, itemArbWith, useWorld, checkAll, fc } = require('../harness/generated-runs/kit');
const { MORE } = require('../harness/generated-runs/operations');

useWorld();
const RUNS = runsOr(90);

addOperations(MORE);

test(`the ledger holds over ${RUNS} generated runs of the other operations`, async () => {
	await checkAll('ledger (more operations)', {
		runs: RUNS,
		// Blend takes 2–5 images: now and then one or six, which the node must refuse before paying.
		scenarioArb: scenarioArbOf(Object.keys(OPERATIONS), {
			shapes: ['alone', 'alone', 'loop'],
			items: itemArbWith({ count: fc.oneof({ arbitrary: fc.integer({ min: 2, max: 5 }), weight: 8 }, { arbitrary: fc.constantFrom(1, 6), weight: 1 }) }),
		}),
		kindOf: (scenario) => `${scenario.shape} ${scenario.operation} ${scenario.node.waitMode}`,
	});
}, 300_000);
