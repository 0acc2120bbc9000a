'use strict';
// Process supervision for the n8n host: every child runs under supervisor.js as the leader of its own
// process group, is tracked here, and is ended with its whole group when this process ends, when it is
// signalled, or when the caller stops it.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const SUPERVISOR = path.join(__dirname, 'supervisor.js');


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

module.exports = { spawnSupervised, endChild, run, childEnv, tail, lastLine, delay, live };
