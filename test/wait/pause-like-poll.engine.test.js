// Pause Until Callback gives what Poll Until Done gives (issue 29): each item waits with its own
// settings, read once from its own input item; a callback n8n refused does not leave the execution
// waiting for its time limit; an address Legnext cannot reach is refused before paying; a retry hands an
// item its job back whatever its expressions return. Each test names the point it pins.
const { startWorld, legnextWorkflow, submitRequests } = require('../harness/world');

/** A prompt with "slow" takes 5 minutes of job time; others a minute (job time: 200 × faster here). */
const durations = (taskType, job) => (String(job.body?.text ?? '').includes('slow') ? { pending: 5, processing: 295 } : undefined);

let world;
beforeAll(async () => {
	world = await startWorld({ durations });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: '={{ $json.p }}', ...extra });

/** The workflow run to its end in the given wait: a pause is resumed by Legnext's callbacks. */
async function runIn(waitMode, parameters, items, node = {}) {
	const run = await world.engine.runWorkflow(legnextWorkflow(world, { ...parameters, waitMode }, { items, node }));
	return waitMode === 'callback' && run.status === 'waiting' ? await world.engine.waitForResume(run, { timeoutMs: 30_000 }) : run;
}

/** What a user compares of an output: per item, its job's status or its error, and its files' names. */
const seen = (run) =>
	run.output('Legnext').map((item) => ({
		status: item.json.status,
		error: item.json.error,
		files: Object.values(item.binary ?? {}).map((file) => file.fileName),
	}));

describe('1 · output settings written as expressions of the item', () => {
	test('Image Numbers {{ [$json.pick] }}: after a pause each item has its own chosen image, as with Poll Until Done', async () => {
		const parameters = textToImage({ download: 'chosenImages', imageNumbers: '={{ [$json.pick] }}', fileLayout: 'filesOnOneItem' });
		const items = [
			{ p: 'a', pick: 1 },
			{ p: 'b', pick: 3 },
		];
		const paused = seen(await runIn('callback', parameters, items));
		expect(paused.map((item) => item.error)).toEqual([undefined, undefined]);
		expect(paused.map((item) => item.files.length)).toEqual([1, 1]);
		expect(paused[0].files[0]).toMatch(/_1\.png$/);
		expect(paused[1].files[0]).toMatch(/_3\.png$/);
		const polled = seen(await runIn('poll', parameters, items));
		expect(paused.map((item) => item.files.map((name) => name.replace(/^.*_/, '')))).toEqual(polled.map((item) => item.files.map((name) => name.replace(/^.*_/, ''))));
	});

	test('Download Files {{ $json.dl }}: one item downloads, the other does not', async () => {
		const parameters = textToImage({ download: '={{ $json.dl }}', fileLayout: 'filesOnOneItem' });
		const items = [
			{ p: 'a', dl: 'grid' },
			{ p: 'b', dl: 'none' },
		];
		const paused = seen(await runIn('callback', parameters, items));
		expect(paused.map((item) => [item.status, item.files.length])).toEqual([
			['completed', 1],
			['completed', 0],
		]);
	});
});

describe('2 · Time Limit per item', () => {
	test('item 0 has 1 min, item 1 an hour, both jobs take 5 min: only item 0 is cut, and with its own limit', async () => {
		const parameters = textToImage({ download: 'none', prompt: '={{ $json.p }} slow', timeLimitMinutes: '={{ $json.limit }}' });
		const items = [
			{ p: 'a', limit: 1 },
			{ p: 'b', limit: 60 },
		];
		const started = Date.now();
		const paused = seen(await runIn('callback', parameters, items, { onError: 'continueRegularOutput' }));
		// An hour is 18 s here: the pause ended with item 1's job, not at the longest limit.
		expect(Date.now() - started).toBeLessThan(12_000);
		expect(paused[0].error).toMatch(/after 1 min, the time limit \(item 0\)/);
		expect(paused[1].status).toBe('completed');
		const polled = seen(await runIn('poll', parameters, items, { onError: 'continueRegularOutput' }));
		expect(polled[0].error).toMatch(/after 1 min, the time limit \(item 0\)/);
		expect(polled[1].status).toBe('completed');
	});

	test('item 0 has an hour, item 1 one minute: item 1 is cut at its own minute, the pause does not wait for more', async () => {
		const parameters = textToImage({ download: 'none', prompt: '={{ $json.p }}', timeLimitMinutes: '={{ $json.limit }}' });
		const items = [
			{ p: 'a', limit: 60 },
			{ p: 'b slow', limit: 1 },
		];
		const paused = seen(await runIn('callback', parameters, items, { onError: 'continueRegularOutput' }));
		expect(paused[0].status).toBe('completed');
		expect(paused[1].error).toMatch(/after 1 min, the time limit \(item 1\)/);
	});
});

describe('3 · a callback that came before the execution was waiting', () => {
	test('n8n refused it (409); the node’s early check reads the job and resumes long before the time limit', async () => {
		const refused = [];
		const record = (event) => refused.push(event.url);
		world.engine.events.on('waitingWebhookRefused', record);
		// Every answer of Legnext comes 1.5 s late: the job (a minute, 0.3 s here) ends and calls back
		// while execute() still waits for its submit's answer.
		world.simulator.inject({ slowResponses: 1500 });
		const started = Date.now();
		try {
			const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'none', waitMode: 'callback', timeLimitMinutes: 60 }), { items: [{ p: 'a' }] }));
			expect(run.status).toBe('waiting');
			const done = await world.engine.waitForResume(run, { timeoutMs: 30_000 });
			expect(done.output('Legnext')[0].json.status).toBe('completed');
			// An hour is 18 s here; the early check comes 5 s after the pause.
			expect(Date.now() - started).toBeLessThan(14_000);
			// Legnext's callback came while execute() still ran, and n8n refused it.
			expect(refused.filter((url) => !url.includes('legnextFinalCheck'))).toHaveLength(1);
		} finally {
			world.engine.events.off('waitingWebhookRefused', record);
		}
	});
});

describe('4 · addresses Legnext cannot reach', () => {
	test.each(['http://192.168.1.20:5678/', 'http://10.0.0.5:5678/', 'http://n8n:5678/', 'http://studio.local:5678/', 'http://127.0.0.2:5678/'])(
		'an n8n at %s with Legnext’s cloud: refused before any request',
		async (webhookUrl) => {
			const other = await startWorld({}, { webhookUrl, credentials: { baseUrl: 'https://api.legnext.ai' } });
			try {
				const run = await other.engine.runWorkflow(legnextWorkflow(other, textToImage({ waitMode: 'callback' }), { items: [{ p: 'a' }] }));
				expect(run.status).toBe('error');
				expect(run.error.message).toMatch(/Legnext cannot reach this n8n/);
				expect(run.error.description).toContain(new URL(webhookUrl).origin);
			} finally {
				await other.close();
			}
		},
	);

	test('a Legnext on the same network (a proxy, the simulator) is trusted to reach a private n8n', async () => {
		const other = await startWorld({}, { webhookUrl: 'http://192.168.1.20:5678/' });
		try {
			const run = await other.engine.runWorkflow(legnextWorkflow(other, textToImage({ waitMode: 'callback', download: 'none' }), { items: [{ p: 'a' }] }));
			expect(run.status).toBe('waiting');
			expect(submitRequests(other.simulator)).toHaveLength(1);
		} finally {
			await other.close();
		}
	});
});

describe('5 · Retry On Fail with a prompt that changes on every evaluation', () => {
	test.each(['poll', 'callback'])('%s: item 0’s job is handed back, not paid again', async (waitMode) => {
		// Item 1's first submit is refused (a 400 pays nothing): the node fails, and n8n runs it again.
		world.simulator.inject({ refuseSubmit: { when: (body) => String(body.text).startsWith('b'), count: 1, code: 400, message: 'Invalid parameter' } });
		const parameters = textToImage({ download: 'none', prompt: '={{ $json.p }} --seed {{ Math.floor(Math.random() * 1e9) }}' });
		const run = await runIn(waitMode, parameters, [{ p: 'a' }, { p: 'b' }], { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });
		expect(run.status).toBe('success');
		expect(world.simulator.createdJobs()).toBe(2);
		expect(submitRequests(world.simulator)).toHaveLength(3);
		expect(run.output('Legnext').map((item) => item.json.status)).toEqual(['completed', 'completed']);
	});

	test('a workflow edited before the retry (its settings as written changed) sends anew', async () => {
		world.simulator.inject({ refuseSubmit: { when: (body) => String(body.text).startsWith('b'), count: 1, code: 400, message: 'Invalid parameter' } });
		const first = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'none', waitMode: 'poll' }), { items: [{ p: 'a' }, { p: 'b' }] }));
		expect(first.status).toBe('error');
		expect(world.simulator.createdJobs()).toBe(1);
		const retried = await world.engine.retryExecution(first.executionId, {
			workflow: legnextWorkflow(world, textToImage({ download: 'none', waitMode: 'poll', prompt: '={{ $json.p }} --ar 16:9' }), { items: [{ p: 'a' }, { p: 'b' }] }),
		});
		expect(retried.status).toBe('success');
		expect(world.simulator.createdJobs()).toBe(3);
	});
});
