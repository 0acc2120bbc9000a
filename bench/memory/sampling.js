'use strict';
/**
 * How the memory benchmark watches n8n (bench/memory/n8n.js): its process and VmRSS, the Done server the
 * workflows call when they end, and a summary of what the probe inside n8n saw (bench/memory/probe.js).
 */
const fs = require('node:fs');
const http = require('node:http');

const support = require('../../test/harness/e2e/support');
const { MB } = require('./cases');

const { delay } = support;

/** The n8n process itself: the supervisor's child (scripts/n8n-host/supervisor.js). */
function n8nPid(supervisorPid) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === supervisorPid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('start')) return Number(entry);
		} catch {
			/* gone */
		}
	}
	throw new Error(`No n8n process under supervisor ${supervisorPid}`);
}

const rssMB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A tiny server the workflows' Done nodes call: resolves the waiter of the execution that finished. */
async function startDoneServer() {
	const waiters = [];
	const server = http.createServer((req, res) => {
		const id = decodeURIComponent(req.url.split('/').pop());
		res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		const waiter = waiters.shift();
		if (waiter) waiter({ id, at: Date.now() });
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/done`,
		port: server.address().port,
		/** The next Done call (registered before the run starts). */
		next(timeoutMs) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(done), 1);
					reject(new Error(`No Done call within ${timeoutMs / 1000} s`));
				}, timeoutMs);
				const done = (value) => {
					clearTimeout(timer);
					resolve(value);
				};
				waiters.push(done);
			});
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

async function finished(n8n, id, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await n8n.api(`/executions/${id}`, { query: { includeData: false } });
		if (support.FINISHED.includes(execution.status)) return execution;
		if (Date.now() > deadline) throw new Error(`Execution ${id} not finished within ${timeoutMs / 1000} s (${execution.status})`);
		await delay(200);
	}
}

/**
 * n8n's own view of the run (the probe's samples of this process): growth of each figure at its peak
 * during the run over its median in the second before; what is left after the run once settled
 * (heap and ArrayBuffers in the last sample beside the baseline); the garbage collections in the run.
 */
function probeSummary(file, pid, from, to) {
	const lines = fs
		.readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line))
		.filter((line) => line.pid === pid);
	// The probe's own line after a settling GC (`settled`, read by the soak) is not a sample of the run.
	const samples = lines.filter((l) => l.rss !== undefined && !l.settled);
	const before = samples.filter((l) => l.t >= from - 1000 && l.t < from);
	const inRun = samples.filter((l) => l.t >= from && l.t <= to);
	const last = samples.at(-1);
	if (!before.length || !inRun.length) return undefined;
	const keys = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'];
	const base = Object.fromEntries(keys.map((k) => [k, median(before.map((s) => s[k]))]));
	const round = (bytes) => Math.round(bytes / MB);
	const growth = Object.fromEntries(keys.map((k) => [k, round(Math.max(...inRun.map((s) => s[k])) - base[k])]));
	const jsPeak = round(Math.max(...inRun.map((s) => s.heapUsed + s.arrayBuffers)) - (base.heapUsed + base.arrayBuffers));
	const retained = { heapUsed: round(last.heapUsed - base.heapUsed), arrayBuffers: round(last.arrayBuffers - base.arrayBuffers) };
	const gcs = lines.filter((l) => l.gc && l.t >= from && l.t <= to);
	const count = (kind) => gcs.filter((g) => g.gc === kind).length;
	const copiedMB = inRun.at(-1).copied === undefined ? undefined : round(inRun.at(-1).copied - before.at(-1).copied);
	return { growth, jsPeak, retained, copiedMB, gc: { minor: count('minor'), major: count('major') } };
}

module.exports = { n8nPid, rssMB, median, startDoneServer, finished, probeSummary };
