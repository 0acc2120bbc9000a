'use strict';
// Runs one command as the leader of its own process group and ends that group when the process that
// started it goes away, even if it went away with SIGKILL (a killed jest worker, a closed terminal).
//
//   node supervisor.js <watchPid> -- <command> [args...]
//
// A SIGTERM/SIGINT sent to this process is passed on once to the command (n8n treats a second
// SIGTERM as "exit now"), and this process exits with the command's exit code.
const { spawn } = require('node:child_process');

const [watchArg, sep, command, ...args] = process.argv.slice(2);
if (sep !== '--' || !command) {
	console.error('usage: supervisor.js <watchPid> -- <command> [args...]');
	process.exit(2);
}
const watchPid = Number(watchArg);
const startPpid = process.ppid;
const GRACE_MS = Number(process.env.LEGNEXT_N8N_SUPERVISOR_GRACE_MS || 15000);

const child = spawn(command, args, { stdio: 'inherit' });
let stopping = false;

function killGroup(signal) {
	try {
		process.kill(-process.pid, signal);
	} catch {
		/* group already gone */
	}
}

function stop(signal) {
	if (stopping) return;
	stopping = true;
	try {
		child.kill(signal);
	} catch {
		/* already exited */
	}
	// Anything still alive in the group after the grace period (the command, its task runners) goes.
	setTimeout(() => killGroup('SIGKILL'), GRACE_MS).unref();
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => stop('SIGTERM'));

function parentGone() {
	if (process.ppid !== startPpid) return true;
	if (!watchPid) return false;
	try {
		process.kill(watchPid, 0);
		return false;
	} catch (error) {
		return error.code === 'ESRCH';
	}
}

const watch = setInterval(() => {
	if (parentGone()) stop('SIGTERM');
}, 1000);

child.on('error', (error) => {
	console.error(`supervisor: cannot start ${command}: ${error.message}`);
	process.exit(127);
});

child.on('exit', (code, signal) => {
	clearInterval(watch);
	// Leftovers of the command (task runner processes) share this group: end them with us.
	killGroup('SIGTERM');
	process.exit(code ?? (signal ? 128 + 15 : 1));
});
