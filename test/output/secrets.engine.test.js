// Callbacks and secrets (issue 21): text from Legnext that echoes a callback URL never shows the
// resume URL's signature or the trigger's token. In n8n's engine, against the simulator.
const { startWorld, legnextWorkflow } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

/** Legnext refuses the submit quoting the request's callback, raw and URL-encoded. */
const echoCallback = {
	refuseSubmit: {
		nth: 1,
		code: 400,
		message: (body) => `invalid callback ${body.callback}`,
		rawMessage: (body) => `webhook_config.endpoint=${encodeURIComponent(body.callback)}: host not allowed`,
	},
};

/** Everything n8n keeps of the run's error and output, as text. */
function shown(run) {
	return JSON.stringify({ error: run.error && { message: run.error.message, description: run.error.description }, output: run.output('Legnext') ?? [] });
}

const secretsOf = (callback) => {
	const url = new URL(callback);
	return ['signature', 'token'].map((name) => url.searchParams.get(name)).filter(Boolean);
};

test.each([
	['Pause Until Callback: the resume URL’s signature', { waitMode: 'callback' }],
	['Callback → Custom URL to a Legnext Trigger: its token', { waitMode: 'none', callback: 'url', callbackUrl: 'http://127.0.0.1:1/webhook/legnext/wf-elsewhere' }],
])('%s stays out of the error, with and without Continue On Fail', async (_name, extra) => {
	for (const node of [{}, { onError: 'continueRegularOutput' }]) {
		world.simulator.reset();
		world.simulator.inject(echoCallback);
		const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'textToImage', prompt: 'a fox', ...extra }, { node }));
		const sent = world.simulator.requests.find((r) => r.method === 'POST').body.callback;
		const secrets = secretsOf(sent);
		expect(secrets).toHaveLength(1);
		const text = shown(run);
		expect(text).toMatch(/invalid callback/);
		expect(text).toContain('***');
		for (const secret of secrets) expect(text).not.toContain(secret);
	}
});

test('a failed job whose reason quotes its callback URL: the reason is shown masked', async () => {
	world.simulator.inject({ failJobs: 1, failWith: { message: 'callback refused', raw_message: 'POST http://127.0.0.1:9/webhook/legnext/wf?token=0123456789abcdef0123 failed' } });
	const run = await world.engine.runWorkflow(legnextWorkflow(world, { resource: 'image', operation: 'textToImage', prompt: 'a fox' }));
	expect(run.status).toBe('error');
	expect(run.error.message).toMatch(/token=\*\*\*/);
	expect(run.error.message).not.toContain('0123456789abcdef0123');
});
