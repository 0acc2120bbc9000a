// Shared set-up for the end-to-end tests in a real n8n (scripts/n8n-host): the packed package,
// the Legnext simulator in this process, workflow and node builders, and readers for what n8n's
// public API says about executions.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const zlib = require('node:zlib');

const host = require('../../../scripts/n8n-host/host');
const { startSimulator } = require('../simulator/server');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PACKAGE}.legnext`;
const TRIGGER_TYPE = `${PACKAGE}.legnextTrigger`;
/** A first run installs Node 24 and n8n into the cache (~5 min); later runs start in ~15 s. */
const INSTALL_AND_START_MS = 25 * 60 * 1000;
const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `fn()`'s first truthy answer, asked every 250 ms; after `timeoutMs` an error naming `what`. */
/** The n8n versions an e2e file runs on: LEGNEXT_E2E_N8N_VERSIONS=1.123.81,2.41.1 picks, else `fallback`. */
function versionsUnderTest(fallback = host.TESTED_VERSIONS) {
	const chosen = process.env.LEGNEXT_E2E_N8N_VERSIONS;
	return chosen ? chosen.split(',').map((v) => v.trim()).filter(Boolean) : fallback;
}

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

let counter = 0;
/** A stable-looking UUID for node ids and webhook ids, unique within the process. */
function uuid(prefix = 'e2e0') {
	counter += 1;
	const tail = String(counter).padStart(12, '0');
	return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${tail}`;
}

function credentialRef(credential) {
	return { legnextApi: { id: credential.id, name: credential.name } };
}

/** A production webhook that starts the workflow and answers at once (the run goes on). */
function webhookNode(pathName, name = 'Start') {
	return {
		id: uuid('a0b0'),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: uuid('b0c0'),
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
	};
}

function legnextNode(name, credential, parameters, position = [240, 0]) {
	return {
		id: uuid('c0d0'),
		name,
		type: NODE_TYPE,
		typeVersion: 2,
		position,
		parameters,
		credentials: credentialRef(credential),
	};
}

/** Text to Image, Poll Until Done unless `extra` says otherwise. */
function textToImageNode(name, credential, prompt, extra = {}) {
	return legnextNode(name, credential, { resource: 'image', operation: 'textToImage', prompt, waitMode: 'poll', ...extra });
}

function triggerNode(name, credential, parameters, webhookId = uuid('d0e0')) {
	return {
		id: uuid('e0f0'),
		name,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		credentials: credentialRef(credential),
	};
}

/** Split Out: the webhook's body `{prompts: [{p}, …]}` as one item per prompt. */
function splitPromptsNode() {
	return {
		id: uuid('f0a0'),
		name: 'Prompts',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [0, 0],
		parameters: { fieldToSplitOut: 'body.prompts', options: {} },
	};
}

/** A workflow whose nodes run one after the other, in the order given. */
function chainWorkflow(id, name, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	nodes.forEach((node, i) => {
		node.position = [i * 240, 0];
	});
	return { id, name, active: false, settings: { executionOrder: 'v1' }, connections, nodes };
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

// ---------------------------------------------------------------------------------------------
// Executions as n8n's public API returns them (`/api/v1/executions?includeData=true`).

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** The first finished execution of a workflow that is not in `knownIds`. */
async function waitForNewFinishedExecution(n8n, workflowId, knownIds = [], timeoutMs = 90000) {
	const known = new Set(knownIds.map(String));
	return n8n.waitForExecution((e) => !known.has(String(e.id)) && FINISHED.includes(e.status), timeoutMs, { workflowId });
}

async function executionIds(n8n, workflowId) {
	return (await n8n.listExecutions(workflowId, { limit: 250 })).map((e) => String(e.id));
}

/** The node's output items of its last run (main output 0). */
function nodeOutput(execution, nodeName, output = 0) {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[runs.length - 1].data?.main?.[output] ?? [];
}

/** Every error message an execution carries: the workflow's, and each node run's. */
function errorMessages(execution) {
	const messages = [];
	const resultData = execution.data?.resultData ?? {};
	if (resultData.error?.message) messages.push(resultData.error.message);
	for (const runs of Object.values(resultData.runData ?? {})) {
		for (const run of runs) if (run.error?.message) messages.push(run.error.message);
	}
	return messages;
}

/** Compact text for assertion messages. */
function describeExecution(execution) {
	if (!execution) return 'no execution';
	const nodes = Object.entries(execution.data?.resultData?.runData ?? {})
		.map(([name, runs]) => `${name}: ${runs.map((r) => r.executionStatus ?? (r.error ? 'error' : 'ok')).join(',')}`)
		.join('; ');
	return `execution ${execution.id} status=${execution.status} [${nodes}] errors=${JSON.stringify(errorMessages(execution))}`;
}

/** The bytes of a binary data item, as the editor downloads them (`/rest/binary-data`). */
async function binaryBytes(n8n, binary) {
	// Without an id the bytes sit in the execution, base64 (n8n 1.x's default binary data mode).
	if (!binary.id) return { bytes: Buffer.from(binary.data, 'base64'), contentType: binary.mimeType };
	const url = `${n8n.baseUrl}/rest/binary-data?${new URLSearchParams({ id: binary.id, action: 'download' })}`;
	const response = await fetch(url, { headers: { cookie: n8n.cookie, 'browser-id': n8n.browserId } });
	if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
	return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

// ---------------------------------------------------------------------------------------------
// The Chromium the editor test drives.

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** Unpacks a brotli file of @sparticuz/chromium: a .tar.br into `dir`, a plain .br to `dir/<name>`. */
async function unbrotli(file, dir) {
	if (file.endsWith('.tar.br')) {
		childProcess.execFileSync('tar', ['-x', '-C', dir], { input: zlib.brotliDecompressSync(fs.readFileSync(file)) });
		return;
	}
	const target = path.join(dir, path.basename(file, '.br'));
	const partial = `${target}.partial-${process.pid}`;
	await pipeline(fs.createReadStream(file), zlib.createBrotliDecompress(), fs.createWriteStream(partial, { mode: 0o755 }));
	fs.renameSync(partial, target); // whole or not there, should two runs unpack at once
}

/**
 * CHROMIUM_PATH when set; else the system's Chromium (Debian's /usr/bin/chromium) when installed;
 * else the Chromium that the devDependency @sparticuz/chromium carries inside its npm package,
 * unpacked once into ~/.cache/n8n-nodes-legnext/chromium-<version>. (Its own unpacking goes to the
 * temp folder, where another version's leftovers crash it, and jest's process.env cannot move it.)
 * Its NSS libraries (al2023) are put on the library path only when the system lacks some.
 * Returns {executablePath, env, source}: `env` for playwright's launch.
 */
async function chromiumExecutable() {
	const own = process.env.CHROMIUM_PATH || SYSTEM_CHROMIUM.find(isExecutable);
	if (own) {
		if (!isExecutable(own)) throw new Error(`CHROMIUM_PATH=${own} is not an executable file`);
		return { executablePath: own, env: process.env, source: 'system' };
	}
	// Its exports hide package.json and bin/: find the package folder from its entry point.
	let packageDir = path.dirname(require.resolve('@sparticuz/chromium'));
	while (!fs.existsSync(path.join(packageDir, 'bin', 'chromium.br'))) packageDir = path.dirname(packageDir);
	const bin = path.join(packageDir, 'bin');
	const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const cacheBase =
		process.env.LEGNEXT_N8N_CACHE ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-legnext');
	const dir = path.join(cacheBase, `chromium-${version}`);
	const executablePath = path.join(dir, 'chromium');
	if (!fs.existsSync(executablePath)) {
		fs.mkdirSync(dir, { recursive: true });
		await unbrotli(path.join(bin, 'swiftshader.tar.br'), dir); // libEGL/libGLESv2 beside the binary
		await unbrotli(path.join(bin, 'chromium.br'), dir);
	}
	const env = { ...process.env };
	if (childProcess.execFileSync('ldd', [executablePath], { encoding: 'utf8' }).includes('not found')) {
		const libDir = path.join(dir, 'al2023', 'lib');
		if (!fs.existsSync(libDir)) {
			fs.mkdirSync(path.join(dir, 'al2023'), { recursive: true });
			await unbrotli(path.join(bin, 'al2023.tar.br'), path.join(dir, 'al2023'));
		}
		env.LD_LIBRARY_PATH = [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(path.delimiter);
	}
	return { executablePath, env, source: `@sparticuz/chromium ${version}` };
}

/**
 * Starts a workflow by its webhook; just after activation n8n may not have registered it yet (404),
 * for longer on a loaded machine (seen: over 10 s with several n8n processes on 2 cores).
 */
async function callWebhook(n8n, hook, body = {}) {
	let response = await n8n.webhook(hook, { body });
	for (let tries = 0; response.status === 404 && tries < 120; tries++) {
		await delay(500);
		response = await n8n.webhook(hook, { body });
	}
	if (response.status !== 200) throw new Error(`POST /webhook/${hook} answered ${response.status}: ${response.text}`);
	return response;
}

/** A Legnext Trigger's production URL: it listens on legnext/<its workflow's ID>. */
const triggerUrl = (n8nBaseUrl, workflowId) => `${n8nBaseUrl}/webhook/legnext/${workflowId}`;

/** The token a Legnext node adds to a trigger URL: the package's own derivation (from dist/). */
function triggerToken(apiKey, url) {
	const { callbackToken, triggerPathTail } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'triggerUrl.js'));
	return callbackToken(apiKey, triggerPathTail(url));
}

module.exports = {
	ROOT,
	callWebhook,
	versionsUnderTest,
	triggerUrl,
	triggerToken,
	PACKAGE,
	NODE_TYPE,
	TRIGGER_TYPE,
	INSTALL_AND_START_MS,
	SCREENSHOTS,
	host,
	delay,
	waitFor,
	packPackage,
	uuid,
	webhookNode,
	legnextNode,
	textToImageNode,
	triggerNode,
	splitPromptsNode,
	chainWorkflow,
	startWorld,
	FINISHED,
	waitForNewFinishedExecution,
	executionIds,
	nodeOutput,
	errorMessages,
	describeExecution,
	binaryBytes,
	chromiumExecutable,
};
