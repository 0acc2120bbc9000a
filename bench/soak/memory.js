'use strict';
/**
 * Each n8n process's memory through the soak (bench/soak.js): the resident set of its process group
 * (n8n and its task runners; the host's small supervisor, the group's leader, left out), read from
 * /proc every few seconds, labelled by role (main, worker1, …, webhook). The books keep the first
 * and the last quarter of the soak's traffic apart.
 */
const fs = require('node:fs');

/** RSS (MB) per process group, from /proc (Linux). */
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
			groups.set(pgrp, (groups.get(pgrp) ?? 0) + rssMb);
		} catch {
			/* the process ended while read */
		}
	}
	return groups;
}

/** Samples `processes()` ({role: leader pid}) every `everyMs`; `samples` is [{t, role, mb}]. */
function sampleMemory(processes, everyMs = 3000) {
	const samples = [];
	const started = Date.now();
	const take = () => {
		const groups = rssByGroup();
		for (const [role, pid] of Object.entries(processes())) {
			if (pid && groups.has(pid)) samples.push({ t: Date.now() - started, role, mb: groups.get(pid) });
		}
	};
	take();
	const timer = setInterval(take, everyMs);
	return { samples, stop: () => clearInterval(timer) };
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

module.exports = { sampleMemory, meanBetween };
