// A budget that is never overrun, in a real n8n 2.41 with the package: a batch the Legnext balance
// (credits + bonus points) cannot pay is refused with the numbers before its first paid job, and Max
// Points per Run turns the items past it into error items while the rest of the run goes on.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-budget-key-2c7d9e4f';
const GOOD = { id: 'LgxBudCredGood01', name: 'Legnext e2e', type: 'legnextApi' };
const WF = { batch: 'LgxBudWfBatch001', capped: 'LgxBudWfCapped01' };
const HOOK = { batch: 'lgx-budget-batch', capped: 'lgx-budget-capped' };

jest.setTimeout(3 * 60 * 1000);

/** Webhook → Split Out (`body.prompts`, one item each: `{p}`) → Text to Image, Don't Wait. */
function batch(id, hook, options = {}) {
	return support.chainWorkflow(id, `e2e budget: ${id}`, [
		support.webhookNode(hook),
		support.splitPromptsNode(),
		support.legnextNode('Text to Image', GOOD, { resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', waitMode: 'none', options }),
	]);
}

let world;
let n8n;
let sim;

beforeAll(async () => {
	world = await support.startWorld({
		// 200 bonus points and no credits (the node counts both): the pricing page's 80 per image job.
		simulator: { apiKeys: [API_KEY], timeScale: 1, balance: { points: 200, credits: 0 } },
		credentials: (simulator) => [{ ...GOOD, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => [batch(WF.batch, HOOK.batch), batch(WF.capped, HOOK.capped, { maxPointsPerRun: 80 })],
		activate: Object.values(WF),
	});
	({ n8n, simulator: sim } = world);
}, support.INSTALL_AND_START_MS);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

const run = async (key, prompts) => {
	const known = await support.executionIds(n8n, WF[key]);
	await support.callWebhook(n8n, HOOK[key], { prompts: prompts.map((p) => ({ p })) });
	const summary = await support.waitForNewFinishedExecution(n8n, WF[key], known, 60000);
	return n8n.getExecution(summary.id);
};
const submitted = (word) => sim.requests.filter((r) => r.method === 'POST' && String(r.body?.text ?? '').startsWith(word));

test('a batch the balance cannot pay: refused before its first paid job, the error shows the numbers', async () => {
	const execution = await run('batch', ['first a', 'first b', 'first c', 'first d']);
	expect(execution.status).toBe('error');
	const text = JSON.stringify(execution.data.resultData);
	expect(text).toMatch(/4 jobs × 80 points = 320 points, the balance has 200 \(credits 0 \+ bonus points 200\)/);
	// The published price is known before anything is sent (until issue 20 the first job went to learn it).
	expect(submitted('first')).toHaveLength(0);

	const next = await run('batch', ['second a', 'second b', 'second c']);
	expect(next.status).toBe('error');
	expect(JSON.stringify(next.data.resultData)).toMatch(/3 jobs × 80 points = 240 points, the balance has 200/);
	expect(submitted('second')).toHaveLength(0);
});

test('Max Points per Run: items past it are error items, the run goes on', async () => {
	const execution = await run('capped', ['capped a', 'capped b']);
	expect(execution.status).toBe('success');
	const items = support.nodeOutput(execution, 'Text to Image');
	expect(items[0].json).toMatchObject({ status: 'pending', usage: { frozen: 80 } });
	expect(items[1].json).toEqual({
		error: 'Not sent: Max Points per Run (80) is reached: 1 job sent holds 80 points, this item costs 80 (item 1)',
		details: expect.stringMatching(/Nothing was paid/),
	});
	expect(submitted('capped')).toHaveLength(1);
});
