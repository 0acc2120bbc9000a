// The ledger invariant (generated-runs.engine.test.js, machinery in test/harness/generated-runs/kit.js) across n8n's Retry of a
// failed execution (Executions → Retry): runs drawn to fail after paying — every item valid, no
// Continue On Fail, and a fault that strikes once jobs exist (a refusal mid-batch, a failed job, an
// expired file link, a failed download, status reads down) — and then retried, with the faults cleared
// or still there. Over the jobs of both executions, read from the retry's data alone: every job the
// failed run created is handed back to its item and named again, and no item gets a second job.
// The other ledger files draw a Retry too, but their failed runs mostly fail on an invalid item
// before anything is paid. LEDGER_SEED=<n> replays one seed; LEDGER_RUNS=<n> sets the count.
const { OPERATIONS, addOperations, runsOr, scenarioArbOf, itemArbWith, nodeSettingsArb, sometimes, FAULTS, useWorld, checkAll, fc } = require('../harness/generated-runs/kit');
const { FIRST } = require('../harness/generated-runs/operations');

useWorld();
const RUNS = runsOr(60);

addOperations(FIRST);

const AFTER_PAYING = ['refused', 'failedJobs', 'expiredLinks', 'downloadFails', 'readsDown', 'tooMany', 'callbacks'];

test(`the ledger holds across n8n's Retry of ${RUNS} failed executions`, async () => {
	await checkAll('ledger (Retry of a failed execution)', {
		runs: RUNS,
		scenarioArb: scenarioArbOf(Object.keys(OPERATIONS), {
			items: itemArbWith({ word: fc.constantFrom('cat', 'a lighthouse', 'fox --turbo', 'an owl'), parent: fc.constant('earlier') }),
			node: nodeSettingsArb.map((settings) => ({ ...settings, continueOnFail: false, download: true })),
			faults: sometimes(Object.fromEntries(AFTER_PAYING.map((name) => [name, FAULTS[name]]))),
			extra: { retry: fc.constantFrom('faultsCleared', 'faultsKept') },
		}),
		kindOf: (scenario) => `${scenario.shape} ${scenario.operation}${OPERATIONS[scenario.operation].version === 2 ? ` ${scenario.node.waitMode}` : ''}`,
	});
}, 300_000);
