'use strict';
// Starting n8n for the host: a fresh user folder, the package installed as n8n installs a community
// package, credentials and workflows imported with n8n's CLI (the given ones activated), `n8n start`
// under supervision until ready, then the owner signed in and an API key made.
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { spawnSupervised, endChild, run, childEnv, tail, delay } = require('./supervise');
const { ensureN8n, findNpmCli } = require('./install');
const { lineOf } = require('./versions');
const { httpRequest, signInOwner, createApiKey, createClient } = require('./client');

const OWNER = Object.freeze({
	email: 'demo@example.com',
	password: 'Demo-pass-1234',
	firstName: 'Demo',
	lastName: 'Owner',
});

/** A free TCP port on 127.0.0.1 (not one of `exclude`). */
async function freePort(exclude = []) {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const { port: p } = server.address();
				server.close(() => resolve(p));
			});
		});
		if (!exclude.includes(port)) return port;
	}
	throw new Error('No free port found');
}

function randomId(length = 16) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = crypto.randomBytes(length);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** `credentials`/`workflows` may be a file path, one object or an array: written as one JSON file. */
function importFile(dir, name, input, { ensureIds }) {
	if (typeof input === 'string') return { file: path.resolve(input), ids: [] };
	const list = (Array.isArray(input) ? input : [input]).map((entry) =>
		ensureIds && !entry.id ? { ...entry, id: randomId() } : entry,
	);
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	fs.writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
	return { file, ids: list.map((entry) => entry.id) };
}

/** Installs a packed package (.tgz) the way n8n installs a community package. */
async function installCommunityPackage({ userFolder, packageTarball, nodeBin, npmCli, env, logFile }) {
	const tarball = path.resolve(packageTarball);
	if (!fs.existsSync(tarball)) throw new Error(`Package tarball not found: ${tarball}`);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	}
	const before = Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).dependencies || {});
	await run(
		nodeBin,
		[npmCli, 'install', tarball, '--omit=peer', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false'],
		{ cwd: nodesDir, env, logFile, label: `npm install ${path.basename(tarball)} in ${nodesDir}` },
	);
	const after = JSON.parse(fs.readFileSync(manifest, 'utf8')).dependencies || {};
	const name =
		Object.keys(after).find((dep) => !before.includes(dep)) ||
		Object.keys(after).find((dep) => String(after[dep]).includes(path.basename(tarball)));
	if (!name) throw new Error(`npm installed ${tarball} but ${manifest} does not list it`);
	const pkg = JSON.parse(fs.readFileSync(path.join(nodesDir, 'node_modules', name, 'package.json'), 'utf8'));
	return { name, version: pkg.version, dir: path.join(nodesDir, 'node_modules', name), nodesDir };
}

/**
 * Resolves when /healthz/readiness says 200 and the REST API answers (n8n 1.x is "ready" a moment
 * before its REST routes exist); an early exit of n8n is a failure right away.
 */
async function waitUntilReady(baseUrl, exited, readyTimeoutMs) {
	let exitInfo = null;
	exited.then(
		(info) => {
			exitInfo = info;
		},
		(error) => {
			exitInfo = { code: null, signal: error.message };
		},
	);
	const readyDeadline = Date.now() + readyTimeoutMs;
	for (;;) {
		if (exitInfo) throw new Error(`n8n exited during start (code ${exitInfo.code}, signal ${exitInfo.signal})`);
		if (Date.now() > readyDeadline) throw new Error(`n8n was not ready after ${readyTimeoutMs / 1000} s`);
		try {
			const response = await httpRequest(`${baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
			if (response.status === 200 && (await httpRequest(`${baseUrl}/rest/settings`, { timeoutMs: 2000 })).ok) return;
		} catch {
			/* not listening yet */
		}
		await delay(500);
	}
}

/**
 * Starts n8n with a fresh user folder. Options (all optional):
 *  - packageTarball: .tgz from `npm pack`, installed into <userFolder>/.n8n/nodes
 *  - credentials, workflows: file path, object or array (imported with n8n's CLI before start;
 *    entries without an id get one)
 *  - activate: workflow ids to activate before start (with the CLI command of the n8n line)
 *  - userFolder (default: a new temp folder, removed by stop()), port, brokerPort (default: free ports)
 *  - env: extra environment for n8n; printLogs: also copy n8n's log to stderr
 *  - owner: {email, password, firstName, lastName} (default: OWNER); version, nodeVersion, log
 *  - readyTimeoutMs (default 180000)
 */
async function startN8n(options = {}) {
	const log = options.log || ((line) => process.stderr.write(`${line}\n`));
	const t0 = Date.now();
	const install = await ensureN8n({ version: options.version, nodeVersion: options.nodeVersion, log });
	const { nodeBin, n8nBin } = install;
	const { activateArgs } = lineOf(install.n8nVersion);
	const npmCli = findNpmCli();
	const installMs = Date.now() - t0;
	const t1 = Date.now(); // start timings leave out a first install

	const createdFolder = !options.userFolder;
	const userFolder = path.resolve(options.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-n8n-')));
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n-host.log');
	fs.appendFileSync(logFile, `n8n-host ${new Date().toISOString()} n8n ${install.n8nVersion}, Node ${install.nodeVersion}\n`);

	const port = Number(options.port) || (await freePort());
	const brokerPort = Number(options.brokerPort) || (await freePort([port]));
	if (brokerPort === port) throw new Error('port and brokerPort must differ');
	const baseUrl = `http://127.0.0.1:${port}`;
	const owner = { ...OWNER, ...(options.owner || {}) };
	const browserId = `legnext-n8n-host-${randomId(8)}`;

	const env = childEnv({
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: port,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${baseUrl}/`,
		N8N_WEBHOOK_URL: `${baseUrl}/`,
		N8N_RUNNERS_BROKER_PORT: brokerPort,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...(options.env || {}),
	});

	let server; // { child, exited } of `n8n start`
	let stopped = false;
	let tailTimer;
	const removeFolder = options.keepUserFolder === undefined ? createdFolder : !options.keepUserFolder;

	const n8nCli = (args, label) =>
		run(nodeBin, [n8nBin, ...args], { cwd: userFolder, env, logFile, label: label || `n8n ${args.join(' ')}` });

	async function stop({ keepUserFolder } = {}) {
		if (stopped) return;
		stopped = true;
		if (server) await endChild(server.child, server.exited);
		if (tailTimer) {
			await delay(600); // let the log tail print n8n's last lines
			clearInterval(tailTimer);
		}
		const remove = keepUserFolder === undefined ? removeFolder : !keepUserFolder;
		if (remove) fs.rmSync(userFolder, { recursive: true, force: true });
	}

	try {
		let installedPackage = null;
		if (options.packageTarball) {
			log(`[n8n-host] installing ${path.basename(options.packageTarball)} as a community package`);
			installedPackage = await installCommunityPackage({
				userFolder,
				packageTarball: options.packageTarball,
				nodeBin,
				npmCli,
				env,
				logFile,
			});
		}

		const importDir = path.join(userFolder, 'import');
		let credentialIds = [];
		if (options.credentials) {
			const { file, ids } = importFile(importDir, 'credentials.json', options.credentials, { ensureIds: true });
			credentialIds = ids;
			log('[n8n-host] importing credentials');
			await n8nCli(['import:credentials', `--input=${file}`]);
		}
		let workflowIds = [];
		if (options.workflows) {
			const { file, ids } = importFile(importDir, 'workflows.json', options.workflows, { ensureIds: true });
			workflowIds = ids;
			log('[n8n-host] importing workflows');
			await n8nCli(['import:workflow', `--input=${file}`]);
		}
		for (const id of options.activate || []) {
			log(`[n8n-host] activating workflow ${id}`);
			await n8nCli(activateArgs(id));
		}

		log(`[n8n-host] starting n8n on ${baseUrl} (log: ${logFile})`);
		fs.appendFileSync(logFile, `\n$ ${nodeBin} ${n8nBin} start\n`);
		const fd = fs.openSync(logFile, 'a');
		try {
			server = spawnSupervised(nodeBin, [n8nBin, 'start'], { cwd: userFolder, env, logFd: fd });
		} finally {
			fs.closeSync(fd);
		}
		if (options.printLogs) {
			let offset = fs.statSync(logFile).size;
			tailTimer = setInterval(() => {
				try {
					const size = fs.statSync(logFile).size;
					if (size <= offset) return;
					const buffer = Buffer.alloc(size - offset);
					const tfd = fs.openSync(logFile, 'r');
					fs.readSync(tfd, buffer, 0, buffer.length, offset);
					fs.closeSync(tfd);
					offset = size;
					process.stderr.write(buffer);
				} catch {
					/* log rotated or removed */
				}
			}, 500);
			tailTimer.unref();
		}

		await waitUntilReady(baseUrl, server.exited, options.readyTimeoutMs || 180000);
		const readyMs = Date.now() - t1;

		const { cookie, rest, nodeTypes } = await signInOwner({ baseUrl, owner, browserId });
		const apiKey = options.apiKey === false ? null : await createApiKey(rest);
		const client = createClient({ baseUrl, apiKey });
		const nodeTypeNames = async () => [...new Set((await nodeTypes()).map((type) => type.name))];

		// The CLI logs a failure to activate but exits 0: check that each workflow is active now, and
		// activate it through the public API if not (that also reports why it cannot be).
		for (const id of options.activate || []) {
			let workflow = apiKey ? await client.getWorkflow(id) : null;
			if (workflow && !workflow.active) {
				log(`[n8n-host] workflow ${id} is not active after n8n ${activateArgs(id)[0]}; activating it through the API`);
				workflow = await client.activateWorkflow(id);
				if (!workflow.active) throw new Error(`Workflow ${id} could not be activated: ${JSON.stringify(workflow).slice(0, 300)}`);
			}
		}
		const startMs = Date.now() - t1;
		log(`[n8n-host] n8n ready at ${baseUrl}/ after ${Math.round(readyMs / 1000)} s (${Math.round(startMs / 1000)} s with owner and API key)`);
		return {
			baseUrl,
			editorUrl: `${baseUrl}/`,
			webhookUrl: `${baseUrl}/webhook/`,
			port,
			brokerPort,
			userFolder,
			logFile,
			owner,
			apiKey,
			cookie,
			browserId,
			pid: server.child.pid,
			nodeBin,
			n8nBin,
			n8nVersion: install.n8nVersion,
			nodeVersion: install.nodeVersion,
			installedPackage,
			/** n8n's environment: queue.js starts workers and webhook processors from it. */
			env,
			credentialIds,
			workflowIds,
			timings: { installMs, readyMs, startMs },
			logs: () => {
				try {
					return fs.readFileSync(logFile, 'utf8');
				} catch {
					return '';
				}
			},
			stop,
			/** Resolves with {code, signal} when n8n (its supervisor) exits, for whatever reason. */
			exited: server.exited.catch((error) => ({ code: null, signal: error.message })),
			rest,
			nodeTypes,
			nodeTypeNames,
			n8nCommand: (args) => n8nCli(args),
			...client,
		};
	} catch (error) {
		const detail = tail(logFile, 40);
		await stop({ keepUserFolder: true }).catch(() => {});
		error.message = `${error.message}\n(user folder kept: ${userFolder}; log ${logFile})\n--- last lines of the log ---\n${detail}`;
		error.logFile = logFile;
		throw error;
	}
}


module.exports = { OWNER, startN8n, freePort, installCommunityPackage };
