// `npm run test:live` (scripts/live-contract.js): without LEGNEXT_API_KEY it says it was skipped and
// succeeds; pointed at a Legnext that plays by the simulator's rules (a second simulator) it finds no
// difference, and names a rule that differs (a Legnext that takes Blend's other shape).
const path = require('path');
const { execFile } = require('child_process');
const { startSimulator } = require('../harness/simulator/server');

const SCRIPT = path.join(__dirname, '../../scripts/live-contract.js');
const run = (env) =>
	new Promise((resolve) => {
		const clean = { ...process.env };
		delete clean.LEGNEXT_API_KEY;
		execFile(process.execPath, [SCRIPT], { env: { ...clean, ...env }, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
	});

test('without a key: skipped, with the reason, exit 0', async () => {
	const { code, stdout } = await run({});
	expect(code).toBe(0);
	expect(stdout).toMatch(/^test:live skipped: LEGNEXT_API_KEY is not set/);
});

test('against a Legnext that answers like the simulator, every rule agrees; a Legnext with base64 Blend is named', async () => {
	const legnext = await startSimulator({ apiKeys: ['live-key'], timeScale: 50 });
	try {
		const same = await run({ LEGNEXT_API_KEY: 'live-key', LEGNEXT_BASE_URL: legnext.url });
		expect(same.code).toBe(0);
		expect(same.stdout).toMatch(/(\d+) of \1 rules answer as the simulator does/);
		expect(same.stdout).not.toContain('live-key');

		legnext.inject({ blendShape: 'base64Array' });
		const other = await run({ LEGNEXT_API_KEY: 'live-key', LEGNEXT_BASE_URL: legnext.url });
		expect(other.stdout).toMatch(/✗ Blend's shape: the 400 names base64Array/);
	} finally {
		await legnext.close();
	}
});
