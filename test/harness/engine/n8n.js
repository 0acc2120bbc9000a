'use strict';
/**
 * Loads n8n-core / n8n-workflow once per module registry (one jest test file, or one node process),
 * after pointing N8N_USER_FOLDER at a fresh temporary folder, and initializes the singletons of
 * n8n-core's DI container that node helpers use (BinaryDataService in filesystem mode).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

/** @type {string | undefined} */
let userFolder;
/** @type {any} */
let loaded;
/** @type {Promise<void> | undefined} */
let initialized;

function removeUserFolder() {
	if (userFolder) {
		try {
			fs.rmSync(userFolder, { recursive: true, force: true });
		} catch {
			// best effort
		}
	}
}

/** Resolves a dependency the way n8n-core itself resolves it (n8n-core has its own nested copies). */
function requireFromCore(request) {
	const coreDir = path.dirname(require.resolve('n8n-core'));
	return require(require.resolve(request, { paths: [coreDir] }));
}

/**
 * @returns {{
 *   core: typeof import('n8n-core'),
 *   workflow: typeof import('n8n-workflow'),
 *   Container: any,
 *   flatted: { stringify(value: unknown): string, parse(text: string): any } ,
 *   userFolder: string,
 * }}
 */
function n8n() {
	if (loaded) return loaded;
	// n8n-core reads its configuration (user folder, binary data path, instance settings) when its
	// services are first constructed: the folder must be set before that.
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-engine-harness-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	// n8n's own logger (set N8N_LOG_LEVEL=debug to see what the engine logs)
	process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
	process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || require('crypto').randomBytes(24).toString('base64');
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	delete process.env.N8N_BINARY_DATA_STORAGE_PATH;
	process.once('exit', removeUserFolder);

	const core = require('n8n-core');
	const workflow = require('n8n-workflow');
	const { Container } = requireFromCore('@n8n/di');
	/** @type {any} */
	let flatted;
	try {
		flatted = requireFromCore('flatted');
	} catch {
		flatted = { stringify: (v) => JSON.stringify(v), parse: (t) => JSON.parse(t) };
	}
	loaded = { core, workflow, Container, flatted, userFolder };
	return loaded;
}

let openEngines = 0;

/** Called by each engine on creation and close: the temporary user folder goes with the last one. */
function engineOpened() {
	openEngines++;
	if (userFolder) fs.mkdirSync(userFolder, { recursive: true });
}
function engineClosed() {
	openEngines = Math.max(0, openEngines - 1);
	// (jest does not run `exit` handlers registered inside a test file)
	if (openEngines === 0) removeUserFolder();
}

/** One-time asynchronous initialization of n8n-core's services the harness relies on. */
async function initN8n() {
	const { core, Container } = n8n();
	if (!initialized) {
		initialized = (async () => {
			const binaryDataService = Container.get(core.BinaryDataService);
			await binaryDataService.init();
		})();
	}
	await initialized;
	return n8n();
}

module.exports = { n8n, initN8n, requireFromCore, engineOpened, engineClosed };
