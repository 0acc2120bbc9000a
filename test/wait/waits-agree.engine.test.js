// Pause Until Callback and Poll Until Done agree on randomly drawn workflows (the property and what it
// draws: test/harness/waits-agree.js), first half of the runs (the second: waits-agree-more.engine.test.js, so that
// jest's workers share them). WAITS_SEED=<n> replays a seed, WAITS_RUNS=<n> sets each half's count.
const { useWorld, checkRuns, runsOr } = require('../harness/waits-agree');

useWorld();
const RUNS = runsOr(100);

test(`the two waits agree over ${RUNS} drawn workflows`, async () => {
	const seen = await checkRuns(RUNS);
	expect(seen.scenarios).toBe(RUNS);
	// The draw reaches what it is for: pauses, and runs that fail or retry.
	expect(seen.paused).toBeGreaterThan(RUNS / 4);
	expect(seen.errorItems).toBeGreaterThan(0);
}, 1_200_000);
