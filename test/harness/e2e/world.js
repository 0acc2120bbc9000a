// The end-to-end tests' world in a real n8n (scripts/n8n-host): the packed package, the Legnext
// simulator in this process, n8n started with credentials and workflows, and useWorld(), the set-up
// block of an e2e file. Workflow builders: workflows.js; n8n's executions: executions.js; webhooks and
// trigger URLs: webhooks.js; the editor test's browser: chromium.js (support.js gathers them all).
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const host = require('../../../scripts/n8n-host/host');
const { startSimulator } = require('../simulator/server');

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** A first run installs Node 24 and n8n into the cache (~5 min); later runs start in ~15 s. */
const INSTALL_AND_START_MS = 25 * 60 * 1000;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The n8n versions an e2e file runs on: LEGNEXT_E2E_N8N_VERSIONS=1.123.81,2.41.1 picks, else `fallback`. */
function versionsUnderTest(fallback = host.TESTED_VERSIONS) {
	const chosen = process.env.LEGNEXT_E2E_N8N_VERSIONS;
	return chosen ? chosen.split(',').map((v) => v.trim()).filter(Boolean) : fallback;
}

/** `fn()`'s first truthy answer, asked every 250 ms; after `timeoutMs` an error naming `what`. */
async function waitFor(fn, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await delay(250);
	}
}

/**
 * `npm pack` of the built package into a temporary folder; LEGNEXT_E2E_TARBALL=<file.tgz> tests
 * that tarball instead (a release candidate, a published version).
 */
function packPackage() {
	if (process.env.LEGNEXT_E2E_TARBALL) {
		const tarball = path.resolve(process.env.LEGNEXT_E2E_TARBALL);
		if (!fs.existsSync(tarball)) throw new Error(`LEGNEXT_E2E_TARBALL: ${tarball} does not exist`);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-e2e-pack-'));
		fs.copyFileSync(tarball, path.join(dir, path.basename(tarball)));
		return { dir, tarball: path.join(dir, path.basename(tarball)) };
	}
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		throw new Error('dist/ is missing: run `npm run build` first (`npm test` builds first)');
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-e2e-pack-'));
	const out = childProcess.execFileSync('npm', ['pack', '--pack-destination', dir, '--ignore-scripts', '--json', '--silent'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return { dir, tarball: path.join(dir, JSON.parse(out)[0].filename) };
}

/**
 * The simulator, then n8n with the packed package, the credentials (their baseUrl is the
 * simulator's) and the workflows, the given ones activated. `credentials(sim, n8nBaseUrl)` and
 * `workflows(sim, n8nBaseUrl)` may use the simulator's URL and n8n's (its port is chosen here, so
 * a workflow can hold a URL of n8n itself, e.g. a trigger's production URL). `version`: the n8n
 * version (default: the host's, 2.41.1).
 */
async function startWorld({ simulator: simulatorOptions = {}, credentials, workflows, activate = [], env = {}, version }) {
	const world = { simulator: null, n8n: null, pack: null };
	world.close = async () => {
		const keep = process.env.LEGNEXT_E2E_KEEP === '1';
		if (world.n8n) await world.n8n.stop({ keepUserFolder: keep });
		if (world.n8n && keep) console.log(`n8n user folder kept: ${world.n8n.userFolder}`);
		if (world.simulator) await world.simulator.close();
		if (world.pack) fs.rmSync(world.pack.dir, { recursive: true, force: true });
	};
	try {
		world.simulator = await startSimulator(simulatorOptions);
		world.pack = packPackage();
		const port = await host.freePort([world.simulator.port]);
		const n8nBaseUrl = `http://127.0.0.1:${port}`;
		world.n8n = await host.startN8n({
			version,
			packageTarball: world.pack.tarball,
			port,
			brokerPort: await host.freePort([port, world.simulator.port]),
			credentials: credentials ? credentials(world.simulator, n8nBaseUrl) : undefined,
			workflows: workflows ? workflows(world.simulator, n8nBaseUrl) : undefined,
			env,
		});
		if (world.n8n.baseUrl !== n8nBaseUrl) throw new Error(`n8n listens on ${world.n8n.baseUrl}, not ${n8nBaseUrl}`);
		// Activated (published) through the public API once n8n runs: seconds faster than one
		// `n8n publish:workflow` per workflow, and it says why when a workflow cannot be activated.
		for (const id of activate) {
			const workflow = await world.n8n.activateWorkflow(id);
			if (!workflow.active) throw new Error(`workflow ${id} is not active after activation: ${JSON.stringify(workflow).slice(0, 300)}`);
		}
	} catch (error) {
		await world.close().catch(() => {});
		throw error;
	}
	return world;
}

/**
 * The set-up block of an e2e file (or describe block): beforeAll starts the world with `options()`
 * (startWorld's options, read when beforeAll runs: a describe's `version`, say), afterAll stops it.
 * Returns the world, filled in by beforeAll: `world.n8n`, `world.simulator`.
 */
function useWorld(options) {
	const world = {};
	beforeAll(async () => {
		Object.assign(world, await startWorld(options()));
	}, INSTALL_AND_START_MS);
	afterAll(async () => {
		if (world.close) await world.close();
	}, 60000);
	return world;
}

module.exports = { ROOT, INSTALL_AND_START_MS, host, delay, waitFor, versionsUnderTest, packPackage, startWorld, useWorld };
