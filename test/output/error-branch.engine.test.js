// "On Error: Continue (using error output)" with good and bad items in one run: every item comes out
// once, in its input order, on the right output, each error naming its item (and its job, when one
// was created), with each of the three waits.
const { startWorld, legnextWorkflow } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

// good, empty prompt (refused by the node), good, refused by Legnext, good, job fails, good
const ITEMS = [{ p: 'a' }, { p: '' }, { p: 'c' }, { p: 'refuse-me' }, { p: 'e' }, { p: 'fail-me' }, { p: 'g' }];
const GOOD = [0, 2, 4, 6];
const BAD = [1, 3, 5];

test.each(['poll', 'callback', 'none'])('%s: good items on output 0, bad ones on output 1, each once, in order, naming item and job', async (waitMode) => {
	world.simulator.inject({
		refuseSubmit: { when: (body) => body?.text === 'refuse-me', code: 403, message: 'Sensitive content', rawMessage: 'banned prompt' },
		failJobsWhen: (body) => body?.text === 'fail-me',
		failWith: { message: 'Task failed', raw_message: 'banned word' },
	});
	const parameters = { resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', waitMode, download: 'grid' };
	let run = await world.engine.runWorkflow(legnextWorkflow(world, parameters, { items: ITEMS, node: { onError: 'continueErrorOutput' } }));
	if (waitMode === 'callback') run = await world.engine.waitForResume(run, { timeoutMs: 30_000 });
	expect(run.status).toBe('success');
	const good = run.output('Legnext', 0);
	const bad = run.output('Legnext', 1);
	// Don't Wait: the job that will fail is still pending when the node ends, so it is a good item.
	const expectedGood = waitMode === 'none' ? [0, 2, 4, 5, 6] : GOOD;
	const expectedBad = waitMode === 'none' ? [1, 3] : BAD;
	expect(good.map((item) => item.pairedItem)).toEqual(expectedGood.map((item) => ({ item })));
	expect(bad.map((item) => item.pairedItem)).toEqual(expectedBad.map((item) => ({ item })));
	if (waitMode !== 'none') for (const item of good) expect(item.binary.data.mimeType).toBe('image/png');
	for (const item of bad) expect(item.json.error).toContain(`(item ${item.pairedItem.item})`);
	const failedJob = [...world.simulator.jobs.values()].find((job) => job.body?.text === 'fail-me');
	if (waitMode !== 'none') expect(bad[2].json.error).toContain(failedJob.id);
	expect(bad[0].json.error).toMatch(/Prompt/);
	expect(bad[1].json.error).toMatch(/refused/);
});
