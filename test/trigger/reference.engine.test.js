// A job's Reference (e.g. a sheet's row number): on the Legnext node's output item, on the Legnext
// Trigger's output for that job's callback, and on a paused execution's resumed output; carried in the
// callback / resume URL under its token, so a callback whose reference was altered is refused.
const { startWorld, legnextWorkflow, legnextTriggerNode, apiRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const CREDENTIAL = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };
const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: 'a fox', ...extra });
const submits = () => apiRequests(world.simulator).filter((request) => request.method === 'POST');

/** Start → Items (rows) → Legnext (Don't Wait, callback to the trigger, Reference = the row); Legnext Trigger. */
function sheetWorkflow(id, rows) {
	return {
		id,
		name: id,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: `${id}-items`, name: 'Rows', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items: rows } },
			{
				id: `${id}-legnext`,
				name: 'Legnext',
				type: world.legnext,
				typeVersion: 2,
				position: [400, 0],
				parameters: textToImage({ prompt: '={{ $json.prompt }}', waitMode: 'none', callback: 'trigger', reference: '={{ $json.row_number }}' }),
				credentials: CREDENTIAL,
			},
			legnextTriggerNode(world, id),
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] },
		},
	};
}

async function post(url, body) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return response.status;
}

describe('the Legnext Trigger gets back the Reference its sender set', () => {
	const rows = [
		{ row_number: 2, prompt: 'a fox' },
		{ row_number: 3, prompt: 'a cat' },
	];
	const workflow = () => sheetWorkflow('wf-reference', rows);

	beforeAll(async () => {
		await world.engine.activateWorkflow(workflow());
	});

	test('each job’s callback starts a run whose item carries that job’s reference; the node’s output carries it too', async () => {
		const run = await world.engine.runWorkflow(workflow(), { startNode: 'Start' });
		expect(run.status).toBe('success');
		const sent = run.output('Legnext');
		expect(sent.map((item) => item.json.reference)).toEqual(['2', '3']);
		const callbacks = submits().map((request) => new URL(request.body.callback));
		expect(callbacks.map((url) => url.searchParams.get('reference'))).toEqual(['2', '3']);

		const byJob = {};
		for (let i = 0; i < 2; i++) {
			const triggered = await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
			const [item] = triggered.output('Legnext Trigger');
			byJob[item.json.jobId] = item.json.reference;
		}
		expect(byJob).toEqual({ [sent[0].json.jobId]: '2', [sent[1].json.jobId]: '3' });
	});

	test('a callback whose reference was altered, added or removed is refused and starts nothing', async () => {
		const run = await world.engine.runWorkflow(sheetWorkflow('wf-reference', [{ row_number: 7, prompt: 'a fox' }]), { startNode: 'Start' });
		const callback = new URL(submits()[0].body.callback);
		const jobId = run.output('Legnext')[0].json.jobId;
		await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		const job = world.simulator.view(jobId);

		const altered = new URL(callback);
		altered.searchParams.set('reference', '8');
		expect(await post(altered.toString(), { timestamp: 1, data: job })).toBe(401);
		const removed = new URL(callback);
		removed.searchParams.delete('reference');
		expect(await post(removed.toString(), { timestamp: 1, data: job })).toBe(401);
		const bare = new URL(callback);
		bare.search = '';
		const plainToken = await tokenWithoutReference();
		bare.searchParams.set('reference', '8');
		bare.searchParams.set('token', plainToken);
		expect(await post(bare.toString(), { timestamp: 1, data: job })).toBe(401);
		await expect(world.engine.nextTriggeredRun({ timeoutMs: 1500 })).rejects.toThrow();
	});

	/** The token of a job sent without a Reference (as before this field existed). */
	async function tokenWithoutReference() {
		world.simulator.reset();
		const noReference = sheetWorkflow('wf-reference', [{ prompt: 'a fox' }]);
		const run = await world.engine.runWorkflow(noReference, { startNode: 'Start' });
		expect(run.output('Legnext')[0].json.reference).toBeUndefined();
		const callback = new URL(submits()[0].body.callback);
		expect(callback.searchParams.has('reference')).toBe(false);
		await world.engine.nextTriggeredRun({ timeoutMs: 10_000 });
		return callback.searchParams.get('token');
	}
});

describe('Pause Until Callback', () => {
	test('the resumed output carries each item’s reference; the resume URL carries it signed', async () => {
		const items = [{ row: 'A' }, { row: 'B' }];
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', reference: '={{ $json.row }}', timeLimitMinutes: 3, download: 'none' }), { items }));
		expect(run.status).toBe('waiting');
		const urls = submits().map((request) => new URL(request.body.callback));
		expect(urls.map((url) => url.searchParams.get('reference'))).toEqual(['A', 'B']);
		for (const url of urls) expect(url.searchParams.get('referenceToken')).toMatch(/^[0-9a-f]{48}$/);

		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.status).toBe('success');
		expect(done.output('Legnext').map((item) => [item.json.status, item.json.reference])).toEqual([
			['completed', 'A'],
			['completed', 'B'],
		]);
	});

	test('a call to the resume URL with an altered reference is refused and resumes nothing', async () => {
		world.simulator.inject({ callbacks: 'missing' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', reference: 'row-1', timeLimitMinutes: 3 })));
		expect(run.status).toBe('waiting');
		const url = new URL(submits()[0].body.callback);
		const jobId = world.simulator.createdJobs() && [...world.simulator.jobs.keys()][0];
		world.simulator.advance(600);
		const job = world.simulator.view(jobId);
		url.searchParams.set('reference', 'row-2');
		expect(await post(url.toString(), { timestamp: 1, data: job })).toBe(401);
		expect(world.engine.execution(run.executionId).status).toBe('waiting');
		// The node's own final check at the time limit resumes it, with the reference it kept.
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.output('Legnext')[0].json).toMatchObject({ status: 'completed', reference: 'row-1' });
	});
});

describe('validation', () => {
	test('a reference over 200 characters fails the item before anything is paid', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'none', reference: 'x'.repeat(201) })));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Reference: is 201 characters long, more than 200 \(item 0\)/);
		expect(submits()).toHaveLength(0);
	});

	test('Poll Until Done: the finished job’s item carries the reference', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ reference: '={{ 40 + 2 }}' })));
		expect(run.output('Legnext')[0].json).toMatchObject({ status: 'completed', reference: '42' });
	});
});
