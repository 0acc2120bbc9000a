// Pause Until Callback's final check (nodes/Legnext/wait/finalCheck.ts) and what it keeps in memory: its
// timer's callback holds execute()'s context (the execution's items and run data) until the time limit,
// unless the execution resumed in this process, which lets that context go at once.
const { scheduleFinalCheck, startResume, endResume, pauseKey } = require('../../dist/nodes/Legnext/wait/finalCheck');

require('v8').setFlagsFromString('--expose-gc');
const gc = require('vm').runInNewContext('gc');
const tick = () => new Promise((resolve) => setImmediate(resolve));

// Jest's clock, not the machine's: the deadline comes only when a test moves time past it. With real
// timers a slow gc() (a worker's heap after other test files) let the deadline pass mid-test, the
// check ran and its context went: "kept while it waits" failed about one run in four. The fake timers
// hold their callbacks as Node's do, so what is kept alive is the same.
beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

/** Just what scheduleFinalCheck uses of execute()'s context, with a large payload to stand for its run data. */
function fakeContext(executionId, calls) {
	return {
		getCredentials: async () => ({ apiKey: 'final-check-key' }),
		getExecutionId: () => executionId,
		getNode: () => ({ id: 'node-1' }),
		helpers: { httpRequest: async (options) => void calls.push(options.url) },
		runData: new Array(100_000).fill('item'),
	};
}

async function schedule(executionId, calls, inMs, deadline = Date.now() + inMs) {
	const ctx = fakeContext(executionId, calls);
	await scheduleFinalCheck(ctx, `http://127.0.0.1:5678/webhook-waiting/${executionId}/node-1`, deadline);
	return new WeakRef(ctx);
}

/** Lets pending promises run (the check's request is async) until `condition` holds or 100 turns pass. */
async function until(condition) {
	for (let turn = 0; turn < 100 && !condition(); turn++) await tick();
	return condition();
}

async function collected(ref) {
	for (let k = 0; k < 3; k++) {
		await tick();
		gc();
	}
	return ref.deref() === undefined;
}

test('without a resume, the check is made at the deadline with the signed flag', async () => {
	const calls = [];
	await schedule('exec-a', calls, 200);
	jest.advanceTimersByTime(199);
	expect(await until(() => calls.length > 0)).toBe(false);
	jest.advanceTimersByTime(1);
	expect(await until(() => calls.length > 0)).toBe(true);
	expect(calls).toHaveLength(1);
	expect(calls[0]).toMatch(/^http:\/\/127\.0\.0\.1:5678\/webhook-waiting\/exec-a\/node-1\?legnextFinalCheck=[0-9a-f]{64}$/);
});

test('while the execution waits, its context is kept for the check', async () => {
	const calls = [];
	const ref = await schedule('exec-b', calls, 1000);
	expect(await collected(ref)).toBe(false);
	jest.advanceTimersByTime(1000);
	expect(await until(() => calls.length > 0)).toBe(true);
});

test('a resume in this process calls the check off and lets both contexts go before the deadline', async () => {
	const calls = [];
	const deadline = Date.now() + 1500;
	const ref = await schedule('exec-c', calls, 1500, deadline);
	// One pause of one node in one execution: the key names its deadline (a node may pause again in a loop).
	const key = pauseKey('exec-c', 'node-1', deadline);
	// The resume runs in webhook(): its context is on the stack when the check is called off.
	let webhookContext = {
		runData: new Array(100_000).fill('item'),
		resume() {
			expect(startResume(key)).toBe(true);
			endResume(key, true);
		},
	};
	webhookContext.resume();
	const webhookRef = new WeakRef(webhookContext);
	webhookContext = undefined;
	expect(await collected(ref)).toBe(true);
	expect(await collected(webhookRef)).toBe(true);
	jest.advanceTimersByTime(1600);
	expect(await until(() => calls.length > 0)).toBe(false);
});
