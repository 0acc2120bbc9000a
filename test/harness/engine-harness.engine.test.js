// The engine harness itself (test/harness/engine/harness.js), tested with a toy community package.
const { createEngine } = require('./engine/harness');
const { writeToyPackage, startToyApi } = require('./engine/toy-package');

const API_KEY = 'toy-0123456789';
let toy;
let engine;
let toyHttp;
let toyWait;
let toyTrigger;
let toyDir;

beforeAll(async () => {
	toy = await startToyApi();
	toyDir = writeToyPackage();
	engine = await createEngine({ packageDir: toyDir, credentials: { toyApi: { apiKey: API_KEY, baseUrl: toy.api.url } } });
	toyHttp = engine.nodeTypeName('ToyHttp');
	toyWait = engine.nodeTypeName('ToyWait');
	toyTrigger = engine.nodeTypeName('ToyTrigger');
});
afterAll(async () => {
	await engine?.close();
	await toy?.close();
	if (toyDir) require('fs').rmSync(toyDir, { recursive: true, force: true });
});
beforeEach(() => {
	toy.api.requests.length = 0;
	toy.api.registrations.length = 0;
});

const credentials = { toyApi: { id: 'cred-1', name: 'Toy account' } };
const connect = (...names) =>
	Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

/** Start → Items → <node> (→ After) */
function flow(node, { items = [{}], after = false } = {}) {
	const nodes = [
		{ name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
		{ name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items } },
		{ name: 'Node', typeVersion: 1, position: [400, 0], credentials, ...node },
	];
	if (after) nodes.push({ name: 'After', type: 'test.items', position: [600, 0], parameters: { items: '={{ JSON.stringify($input.all().map(i => ({ from: i.json }))) }}' } });
	return { nodes, connections: connect('Start', 'Items', 'Node', ...(after ? ['After'] : [])) };
}

const post = async (url, body, headers = {}) => {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: response.status, body: json };
};

describe('loading and running', () => {
	test('node type names are the loader’s <package>.<node>', () => {
		expect(toyHttp).toBe('n8n-nodes-toy.toyHttp');
		expect(engine.nodeTypeName('toyTrigger')).toBe('n8n-nodes-toy.toyTrigger');
		expect(() => engine.nodeTypeName('Nope')).toThrow(/No node type "Nope"/);
		// the package's nodes get the same n8n-workflow as n8n-core (instanceof checks hold)
		expect(require(require('path').join(toyDir, 'node_modules', 'n8n-workflow'))).toBe(require('n8n-workflow'));
	});

	test('the credential’s generic authenticate is resolved with n8n expressions, defaults included', async () => {
		const run = await engine.runWorkflow(flow({ type: toyHttp, parameters: { operation: 'echo', word: 'hi' } }));
		expect(run.status).toBe('success');
		const [item] = run.output('Node');
		expect(item.json.headers['x-api-key']).toBe(API_KEY);
		// `={{ $credentials.region.toUpperCase() }}` with the property's default "eu-west"
		expect(item.json.headers['x-region']).toBe('EU-WEST');
		expect(item.json.query).toEqual({ word: 'hi', item: '0', tenant: 'toy' });
	});

	test('N items in, N items out, parameters evaluated per item', async () => {
		const items = [{ w: 'one' }, { w: 'two' }, { w: 'three' }];
		const run = await engine.runWorkflow(flow({ type: toyHttp, parameters: { operation: 'echo', word: '={{ $json.w.toUpperCase() }}' } }, { items }));
		const output = run.output('Node');
		expect(output.map((item) => item.json.query.word)).toEqual(['ONE', 'TWO', 'THREE']);
		output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		expect(run.output('Items')).toHaveLength(3);
		expect(run.output('Nope')).toEqual([]);
		expect(toy.api.requests.filter((r) => r.path === '/echo')).toHaveLength(3);
	});

	test('static data changed by execute() is saved for production runs, not for manual ones (as n8n does)', async () => {
		const workflow = { id: 'static-data-wf', ...flow({ type: toyHttp, parameters: { operation: 'echo', countEchoes: true } }) };
		await engine.runWorkflow(workflow);
		expect(engine.staticData('static-data-wf')).toEqual({});
		await engine.runWorkflow(workflow, { mode: 'trigger' });
		await engine.runWorkflow(workflow, { mode: 'trigger' });
		expect(engine.staticData('static-data-wf')).toEqual({ global: { echoes: 2 } });
	});

	test('a node error fails the execution; with Continue On Fail it is an item', async () => {
		const items = [{}, { bad: true }];
		const run = await engine.runWorkflow(flow({ type: toyHttp, parameters: { operation: 'fail' } }, { items }));
		expect(run.status).toBe('error');
		expect(run.finished).toBe(false);
		expect(run.error.message).toBe('Item 1 is bad');
		expect(run.error.description).toBe('Remove the bad flag');
		expect(run.nodeError('Node').message).toBe('Item 1 is bad');
		expect(run.lastNodeExecuted).toBe('Node');

		const kept = await engine.runWorkflow(flow({ type: toyHttp, parameters: { operation: 'fail' }, onError: 'continueRegularOutput' }, { items }));
		expect(kept.status).toBe('success');
		expect(kept.output('Node').map((item) => item.json)).toEqual([{ ok: true }, { error: 'Item 1 is bad' }]);
	});

	test('cancel() stops the execution like n8n: status canceled, the node’s cancel signal aborts its request', async () => {
		const abortedBefore = toy.api.aborted;
		const handle = engine.startWorkflow(flow({ type: toyHttp, parameters: { operation: 'slow' } }));
		await until(() => toy.api.requests.some((r) => r.path === '/slow'));
		const cancelledAt = Date.now();
		handle.cancel();
		const run = await handle.promise;
		expect(run.status).toBe('canceled');
		expect(run.error.message).toBe('The execution was cancelled manually');
		await handle.settled;
		expect(Date.now() - cancelledAt).toBeLessThan(1000);
		await until(() => toy.api.aborted === abortedBefore + 1);
	});

	test('timeoutMs cancels like n8n’s execution timeout', async () => {
		const run = await engine.runWorkflow(flow({ type: toyHttp, parameters: { operation: 'slow' } }), { timeoutMs: 300 });
		expect(run.status).toBe('canceled');
		expect(run.error.message).toBe('The execution was cancelled because it timed out');
	});
});

describe('binary data', () => {
	test.each([
		['a buffer', false],
		['a stream', true],
	])('prepareBinaryData from %s is stored by BinaryDataService and reads back byte for byte', async (_name, stream) => {
		const run = await engine.runWorkflow(flow({ type: toyHttp, parameters: { operation: 'download', stream } }));
		expect(run.status).toBe('success');
		const [item] = run.output('Node');
		const binary = item.binary.data;
		expect(binary).toMatchObject({ mimeType: 'application/x-toy', fileName: 'toy.bin', fileExtension: 'bin' });
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);
		expect(binary.data).not.toEqual(expect.stringMatching(/.{1000}/)); // not inline base64
		const stored = await engine.binaryBuffer(binary);
		expect(stored.equals(toy.api.fileBytes)).toBe(true);
	});
});

describe('waiting and resuming', () => {
	const waitFlow = (parameters) => flow({ type: toyWait, parameters }, { items: [{ n: 1 }, { n: 2 }], after: true });

	test('putExecutionToWait ends the run "waiting"; a POST to $execution.resumeUrl/<node id> resumes it with webhook() data', async () => {
		const run = await engine.runWorkflow(waitFlow({ waitSeconds: 60 }));
		expect(run.status).toBe('waiting');
		expect(run.waitTill).toBeInstanceOf(Date);
		expect(run.output('Node')).toHaveLength(2);
		const [registration] = toy.api.registrations;
		const nodeId = run.runExecutionData.executionData.nodeExecutionStack[0].node.id;
		expect(registration.resumeUrl).toMatch(new RegExp(`^${engine.webhookBaseUrl}webhook-waiting/${run.executionId}/${nodeId}\\?signature=[0-9a-f]{64}$`));

		// webhook() without workflowData: answered with its webhookResponse, the execution keeps waiting
		const ignored = await post(registration.resumeUrl, { ignore: true });
		expect(ignored).toEqual({ status: 200, body: { ignored: true } });
		expect(engine.execution(run.executionId).status).toBe('waiting');

		const resumed = await post(`${registration.resumeUrl}&extra=1`, { answer: 42 }, { 'x-caller': 'tester' });
		// n8n 2.41.1 answers an onReceived webhook without `responseData` with the text "firstEntryJson"
		expect(resumed).toEqual({ status: 200, body: 'firstEntryJson' });
		const done = await engine.waitForResume(run, { timeoutMs: 5000 });
		expect(done.status).toBe('success');
		expect(done.executionId).toBe(run.executionId);
		const [item] = done.output('Node');
		expect(item.json).toMatchObject({ resumed: true, body: { answer: 42 }, query: { extra: '1' }, header: 'tester', echoedKey: API_KEY, inputCount: 2, node: 60 });
		expect(done.nodeRuns('Node')).toHaveLength(1);
		expect(done.output('After').map((i) => i.json)).toEqual([{ from: item.json }]);
		// static data written by a waiting node's webhook() is not saved (n8n runs the resumed
		// execution with static data loaded afresh; the ignored call saves nothing either)
		expect(engine.staticData(run.workflowId)).toEqual({});

		const again = await post(registration.resumeUrl, { answer: 1 });
		expect(again.status).toBe(409);
		expect(again.body.message).toMatch(/has finished already/);
	});

	test('two calls at once resume the execution once; a webhook() that throws fails the execution', async () => {
		const run = await engine.runWorkflow(waitFlow({ waitSeconds: 60 }));
		const [registration] = toy.api.registrations;
		const answers = await Promise.all([post(registration.resumeUrl, { call: 1 }), post(registration.resumeUrl, { call: 2 })]);
		const statuses = answers.map((answer) => answer.status).sort();
		expect(statuses[0]).toBe(200);
		expect([409, 500]).toContain(statuses[1]);
		const done = await engine.waitForResume(run, { timeoutMs: 5000 });
		expect(done.status).toBe('success');
		expect(done.output('After')).toHaveLength(1);
		expect(engine.execution(run.executionId).history).toHaveLength(2);

		const failing = await engine.runWorkflow(waitFlow({ waitSeconds: 60 }));
		const url = toy.api.registrations[1].resumeUrl;
		const answer = await post(url, { throw: 'no' });
		expect(answer.status).toBe(500);
		expect(answer.body.message).toBe('Workflow Webhook Error: Workflow could not be started!');
		const failed = await engine.waitForResume(failing, { timeoutMs: 5000 });
		expect(failed.status).toBe('error');
		expect(failed.error.message).toBe('webhook() failed: no');
	});

	test('the resume URL is checked as n8n 2.41 does: wrong or HMAC-signed tokens get 401 (only send-and-wait nodes use signed URLs)', async () => {
		const run = await engine.runWorkflow(waitFlow({ waitSeconds: 60 }));
		const [registration] = toy.api.registrations;
		const wrong = await post(registration.resumeUrl.replace(/signature=./, 'signature=x'), {});
		expect(wrong).toEqual({ status: 401, body: { error: 'Invalid token' } });
		const signed = await post(registration.signedUrl, {});
		expect(signed).toEqual({ status: 401, body: { error: 'Invalid token' } });
		const missing = await post(`${engine.webhookBaseUrl}webhook-waiting/999999`, {});
		expect(missing.status).toBe(404);
		const otherPath = await post(registration.resumeUrl.replace(/\/[^/?]+\?/, '/other?'), {});
		expect(otherPath.status).toBe(404);
		expect(engine.execution(run.executionId).status).toBe('waiting');
		engine.cancelExecution(run.executionId);
		expect(engine.execution(run.executionId).status).toBe('canceled');
	});

	test('at waitTill without a call the execution resumes by itself (WaitTracker): the node is not run again, its input flows on', async () => {
		const run = await engine.runWorkflow(waitFlow({ waitSeconds: 0.5 }));
		expect(run.status).toBe('waiting');
		const done = await engine.waitForResume(run, { timeoutMs: 5000 });
		expect(done.status).toBe('success');
		expect(done.output('Node').map((item) => item.json)).toEqual([{ n: 1 }, { n: 2 }]);
		expect(done.output('After').map((item) => item.json)).toEqual([{ from: { n: 1 } }, { from: { n: 2 } }]);
		expect(done.nodeRuns('Node')).toHaveLength(1);
		expect(toy.api.registrations).toHaveLength(1); // execute() ran once
		const stored = engine.execution(run.executionId);
		expect(stored).toMatchObject({ status: 'success', finished: true });
		expect(stored.data.executionData.nodeExecutionStack).toHaveLength(0);
	});
});

describe('trigger webhooks', () => {
	test('activation calls checkExists/create; a POST runs the workflow from the trigger; deactivation calls delete', async () => {
		const workflow = {
			nodes: [
				{ name: 'Toy Trigger', type: toyTrigger, typeVersion: 1, position: [0, 0], parameters: { event: 'done' }, credentials, webhookId: 'a1b2c3' },
				{ name: 'Echo', type: toyHttp, typeVersion: 1, position: [200, 0], parameters: { operation: 'echo', word: '={{ $json.word }}' }, credentials },
			],
			connections: connect('Toy Trigger', 'Echo'),
		};
		const { workflowId, webhookUrls } = await engine.activateWorkflow(workflow);
		const url = `${engine.webhookBaseUrl}webhook/a1b2c3/toy`;
		expect(webhookUrls['Toy Trigger']).toBe(url);
		expect([...toy.api.hooks.values()]).toEqual([expect.objectContaining({ url, event: 'done', mode: 'activate' })]);
		const { secret, hookId } = engine.staticData(workflowId)['node:Toy Trigger'];
		expect(secret).toMatch(/^secret-/);

		expect((await post(url, { word: 'x' })).status).toBe(403);
		const skipped = await post(url, { skip: true }, { 'x-toy-secret': secret });
		expect(skipped).toEqual({ status: 200, body: 'skipped' });

		const started = await post(url, { word: 'fired' }, { 'x-toy-secret': secret });
		expect(started).toEqual({ status: 200, body: 'firstEntryJson' });
		const run = await engine.nextTriggeredRun({ timeoutMs: 5000 });
		expect(run.mode).toBe('webhook');
		expect(run.status).toBe('success');
		expect(run.output('Toy Trigger').map((item) => item.json)).toEqual([{ word: 'fired' }]);
		expect(run.output('Echo')[0].json.query.word).toBe('fired');
		expect(engine.staticData(workflowId)['node:Toy Trigger'].received).toBe(2);

		await engine.deactivateWorkflow(workflowId);
		expect(toy.api.hooks.has(hookId)).toBe(false);
		expect(engine.staticData(workflowId)['node:Toy Trigger'].secret).toBeUndefined();
		expect((await post(url, { word: 'late' }, { 'x-toy-secret': secret })).status).toBe(404);
	});
});

async function until(check, timeoutMs = 3000) {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
