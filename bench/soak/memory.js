'use strict';
/**
 * Each n8n process's memory through the soak (bench/soak.js): the resident set of its process group
 * (n8n and its task runners; the host's small supervisor, the group's leader, left out), read from
 * /proc every few seconds, labelled by role (main, worker1, …, webhook). The books keep the first
 * and the last quarter of the soak's traffic apart.
 */
const fs = require('node:fs');

const TICKS_PER_SECOND = 100; // Linux's USER_HZ

/** RSS (MB) and CPU time used so far (s) per process group, from /proc (Linux). */
function rssByGroup() {
	const groups = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command (which may hold spaces): state, ppid, pgrp, …; rss (pages) is field 24.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const pgrp = Number(fields[2]);
			if (Number(entry) === pgrp) continue; // the supervisor
			const rssMb = (Number(fields[21]) * 4096) / 2 ** 20;
			// utime and stime (fields 14 and 15): this process's CPU so far.
			const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
			const group = groups.get(pgrp) ?? { mb: 0, cpu: 0 };
			groups.set(pgrp, { mb: group.mb + rssMb, cpu: group.cpu + cpuSeconds });
		} catch {
			/* the process ended while read */
		}
	}
	return groups;
}

/**
 * Samples `processes()` ({role: leader pid}) every `everyMs`; `samples` is [{t, role, mb, cpu}] (t: ms
 * since `origin`, cpu: seconds used so far).
 */
function sampleMemory(processes, { everyMs = 3000, origin = Date.now() } = {}) {
	const samples = [];
	// Each role's n8n process (its group's leader is the host's supervisor): the probe's lines name it.
	const n8nPids = {};
	const started = origin;
	const take = () => {
		const groups = rssByGroup();
		for (const [role, pid] of Object.entries(processes())) {
			if (pid && groups.has(pid)) samples.push({ t: Date.now() - started, role, ...groups.get(pid) });
			if (pid && !n8nPids[role]) n8nPids[role] = n8nPidOf(pid);
		}
	};
	take();
	const timer = setInterval(take, everyMs);
	return { samples, n8nPids, stop: () => clearInterval(timer) };
}

/**
 * V8's heap in each role's n8n process, the mean of [from, to) ms after `origin`, MB: `used`
 * (live objects and garbage not yet collected) and `committed` (what V8 holds from the system for its
 * heap, free pages included). From the probe's samples (bench/memory/probe.js, every few seconds).
 */
function heapBetween(probeFile, n8nPids, origin, from, to) {
	const lines = fs.existsSync(probeFile) ? fs.readFileSync(probeFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
	const mb = (bytes) => bytes / 2 ** 20;
	const heap = {};
	for (const [role, pid] of Object.entries(n8nPids)) {
		const inside = lines.filter((line) => line.pid === pid && line.heapTotal !== undefined && line.t - origin >= from && line.t - origin < to);
		if (!inside.length) continue;
		const mean = (field) => mb(inside.reduce((sum, line) => sum + line[field], 0) / inside.length);
		heap[role] = { used: mean('heapUsed'), committed: mean('heapTotal') };
	}
	return heap;
}

/** Mean MB of each role in [from, to) ms. */
function meanBetween(samples, from, to) {
	const sums = {};
	for (const { t, role, mb } of samples) {
		if (t < from || t >= to) continue;
		sums[role] ??= { total: 0, n: 0 };
		sums[role].total += mb;
		sums[role].n++;
	}
	return Object.fromEntries(Object.entries(sums).map(([role, { total, n }]) => [role, total / n]));
}

/** Share of a CPU each role used in [from, to) ms (1 = a whole core), from its first and last sample there. */
function cpuBetween(samples, from, to) {
	const spans = {};
	for (const { t, role, cpu } of samples) {
		if (t < from || t >= to) continue;
		spans[role] ??= { t0: t, cpu0: cpu, t, cpu };
		Object.assign(spans[role], { t, cpu });
	}
	return Object.fromEntries(Object.entries(spans).filter(([, s]) => s.t > s.t0).map(([role, s]) => [role, (s.cpu - s.cpu0) / ((s.t - s.t0) / 1000)]));
}

/** The n8n process (…/bin/n8n worker|webhook|start) in a supervised process group, or undefined. */
function n8nPidOf(leader) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === leader) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== leader) continue;
			const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (/[\\/]bin[\\/]n8n$/.test(argv[1] ?? '') && ['start', 'worker', 'webhook'].includes(argv[2])) return Number(entry);
		} catch {
			/* ended while read */
		}
	}
	return undefined;
}

/**
 * --probe: asks each n8n process for a full garbage collection (bench/memory/probe.js, SIGUSR2), which
 * writes what is left to the probe file: retained memory, not garbage V8 had yet to collect.
 * Returns {role: pid} of the processes asked.
 */
function settleAll(processes) {
	const asked = {};
	for (const [role, leader] of Object.entries(processes)) {
		const pid = leader && n8nPidOf(leader);
		if (!pid) continue;
		try {
			process.kill(pid, 'SIGUSR2');
			asked[role] = pid;
		} catch {
			/* gone */
		}
	}
	return asked;
}

module.exports = { sampleMemory, meanBetween, cpuBetween, heapBetween, settleAll };
