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
// The machinery (world, workflow, check) is test/harness/generated-runs/kit.js, shared with
// generated-runs-more-operations.engine.test.js and generated-runs-trigger.engine.test.js.
const { OPERATIONS, addOperations, runsOr, scenarioArbOf, useWorld, checkAll } = require('../harness/generated-runs/kit');
const { FIRST } = require('../harness/generated-runs/operations');

useWorld();
const RUNS = runsOr(150);

addOperations(FIRST);

test(`the ledger holds over ${RUNS} generated runs`, async () => {
	await checkAll('ledger', {
		runs: RUNS,
		scenarioArb: scenarioArbOf(Object.keys(OPERATIONS)),
		kindOf: (scenario) => `${scenario.shape} ${scenario.operation}${OPERATIONS[scenario.operation].version === 2 ? ` ${scenario.node.waitMode}` : ''}`,
	});
}, 300_000);
