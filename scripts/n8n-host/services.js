'use strict';
// Postgres and Redis for a queue-mode n8n (queue.js): Debian's servers (`apt-get install postgresql
// redis-server`), each started like n8n itself (supervised, own port on 127.0.0.1, data in a temporary
// folder) and stopped with it. No npm package ships a Redis server binary (the ones on npm build or
// download it at install time), so both come from the system; `serversMissing()` says what is absent.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { spawnSupervised, endChild, run, tail, delay } = require('./supervise');

const INSTALL_HINT = 'apt-get install -y postgresql redis-server';

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

function onPath(name) {
	return (process.env.PATH || '').split(path.delimiter).map((dir) => path.join(dir, name)).find(isExecutable);
}

/** Postgres's bin folder: LEGNEXT_PG_BIN, Debian's newest /usr/lib/postgresql/<n>/bin, or PATH. */
function postgresBinDir() {
	if (process.env.LEGNEXT_PG_BIN) return process.env.LEGNEXT_PG_BIN;
	const debian = '/usr/lib/postgresql';
	const versions = fs.existsSync(debian)
		? fs.readdirSync(debian).filter((v) => isExecutable(path.join(debian, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length) return path.join(debian, versions[0], 'bin');
	const found = onPath('postgres');
	return found && isExecutable(path.join(path.dirname(fs.realpathSync(found)), 'initdb')) ? path.dirname(fs.realpathSync(found)) : undefined;
}

const redisServerBin = () => process.env.LEGNEXT_REDIS_SERVER || onPath('redis-server') || ['/usr/bin/redis-server'].find(isExecutable);

/** Postgres refuses to run as root: as root, its commands run as the `postgres` user (Debian's). */
function asPostgresUser(command, args) {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return [command, args];
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

/** Why a queue-mode n8n cannot start here, or undefined when Postgres and Redis are installed. */
function serversMissing() {
	const missing = [];
	const pgBin = postgresBinDir();
	if (!pgBin || !['postgres', 'initdb', 'pg_isready'].every((name) => isExecutable(path.join(pgBin, name)))) missing.push('Postgres (postgres, initdb)');
	if (!redisServerBin() || !isExecutable(redisServerBin())) missing.push('Redis (redis-server)');
	if (missing.length === 0 && process.getuid?.() === 0) {
		try {
			childProcess.execFileSync('id', ['postgres'], { stdio: 'ignore' });
		} catch {
			missing.push('the postgres user (Postgres does not run as root)');
		}
	}
	return missing.length ? `${missing.join(' and ')} not installed; install with: ${INSTALL_HINT}` : undefined;
}

async function waitFor(check, { timeoutMs, what, exited, logFile }) {
	let exitInfo;
	exited.then((info) => (exitInfo = info), (error) => (exitInfo = { signal: error.message }));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exitInfo) throw new Error(`${what} exited during start (code ${exitInfo.code}, signal ${exitInfo.signal})\n${tail(logFile, 20)}`);
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${what} was not ready after ${timeoutMs / 1000} s\n${tail(logFile, 20)}`);
		await delay(200);
	}
}

/** A fresh Postgres cluster in `dir` on `port`; user `n8n` (trust on 127.0.0.1), database `postgres`. */
async function startPostgres({ dir, port }) {
	const bin = postgresBinDir();
	if (!bin) throw new Error(serversMissing());
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(dir, { recursive: true });
	if (process.getuid?.() === 0) childProcess.execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const [initCmd, initArgs] = asPostgresUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
	fs.writeFileSync(logFile, '');
	if (process.getuid?.() === 0) childProcess.execFileSync('chown', ['postgres:postgres', logFile]);
	await run(initCmd, initArgs, { cwd: dir, env: process.env, logFile, label: 'initdb' });
	// A throwaway cluster: no durability, TCP on loopback only, no Unix socket.
	const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
	const [command, args] = asPostgresUser(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])]);
	const fd = fs.openSync(logFile, 'a');
	let server;
	try {
		server = spawnSupervised(command, args, { cwd: dir, env: process.env, logFd: fd });
	} finally {
		fs.closeSync(fd);
	}
	const isReady = path.join(bin, 'pg_isready');
	await waitFor(
		() => new Promise((resolve) => childProcess.execFile(isReady, ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-q'], (error) => resolve(!error))),
		{ timeoutMs: 30000, what: 'Postgres', exited: server.exited, logFile },
	);
	return {
		port,
		env: { DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: '127.0.0.1', DB_POSTGRESDB_PORT: port, DB_POSTGRESDB_DATABASE: 'postgres', DB_POSTGRESDB_USER: 'n8n', DB_POSTGRESDB_PASSWORD: '' },
		logFile,
		stop: () => endChild(server.child, server.exited),
	};
}

/** A Redis on `port` that keeps nothing on disk. */
async function startRedis({ dir, port }) {
	const bin = redisServerBin();
	if (!bin) throw new Error(serversMissing());
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const fd = fs.openSync(logFile, 'a');
	let server;
	try {
		server = spawnSupervised(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { cwd: dir, env: process.env, logFd: fd });
	} finally {
		fs.closeSync(fd);
	}
	const net = require('node:net');
	const ping = () =>
		new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
			socket.setTimeout(1000, () => socket.destroy());
			socket.on('data', (data) => {
				socket.destroy();
				resolve(data.toString().startsWith('+PONG'));
			});
			socket.on('error', () => resolve(false));
			socket.on('close', () => resolve(false));
		});
	await waitFor(ping, { timeoutMs: 20000, what: 'Redis', exited: server.exited, logFile });
	return {
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: port },
		logFile,
		stop: () => endChild(server.child, server.exited),
	};
}

module.exports = { serversMissing, startPostgres, startRedis, INSTALL_HINT };
