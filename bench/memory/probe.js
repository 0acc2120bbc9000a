'use strict';
/**
 * Loaded into n8n's main process by the memory benchmark (NODE_OPTIONS=--require, bench/memory/n8n.js);
 * the n8n CLI's other commands (import, publish), task runners and the host's supervisor load it too,
 * and do nothing.
 *
 *  - LEGNEXT_MEMPROBE_SETTLE=1: on SIGUSR2, two full garbage collections. The benchmark settles n8n
 *    this way before it takes a baseline, as its engine row does with gc(): a freshly started n8n
 *    carries a few hundred MB of start-up garbage, and whether V8 collects it just before or during a
 *    run moved single runs by −60 to +60 MB. With LEGNEXT_MEMPROBE_SNAPSHOTS=<folder>, a heap snapshot
 *    after each of these GCs (hundreds of MB each; for finding what holds memory).
 *  - LEGNEXT_MEMPROBE_FILE=<file> (--diagnose): one JSON line per sample, the process's own view of its
 *    memory (rss, heapUsed, heapTotal, external, arrayBuffers) every LEGNEXT_MEMPROBE_MS ms, and one
 *    line per garbage collection (kind, duration).
 */
const fs = require('node:fs');

// n8n's own process (node …/bin/n8n start, or a queue mode's worker or webhook processor: the soak),
// not the host's supervisor whose arguments name it too.
const isN8nStart = /[\\/]bin[\\/]n8n$/.test(process.argv[1] ?? '') && ['start', 'worker', 'webhook'].includes(process.argv[2]);

if (isN8nStart && process.env.LEGNEXT_MEMPROBE_SETTLE) {
	require('node:v8').setFlagsFromString('--expose-gc');
	const gc = require('node:vm').runInNewContext('gc');
	let settled = 0;
	process.on('SIGUSR2', () => {
		// As V8 does under memory pressure (and its memory reducer when n8n sits idle): every
		// collectable byte, and the young generation shrunk.
		gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
		// What is left after it (the soak reads it per process: retained, not garbage V8 has yet to collect).
		const left = process.env.LEGNEXT_MEMPROBE_FILE;
		if (left) {
			const m = process.memoryUsage();
			fs.appendFileSync(left, `${JSON.stringify({ t: Date.now(), pid: process.pid, settled: true, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
		}
		// Diagnosis: a heap snapshot after each settling GC (LEGNEXT_MEMPROBE_SNAPSHOTS=<folder>).
		const folder = process.env.LEGNEXT_MEMPROBE_SNAPSHOTS;
		if (folder) require('node:v8').writeHeapSnapshot(require('node:path').join(folder, `n8n-${process.pid}-${++settled}.heapsnapshot`));
	});
}

const file = process.env.LEGNEXT_MEMPROBE_FILE;
if (isN8nStart && file) {
	const { PerformanceObserver, constants } = require('node:perf_hooks');
	const fd = fs.openSync(file, 'a');
	const write = (entry) => fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
	const every = Number(process.env.LEGNEXT_MEMPROBE_MS || 20);
	// Bytes copied into new buffers of 4 KiB or more (Buffer.allocUnsafe, which a stream's read() uses
	// to join the chunks it holds): how much a download allocates beyond the socket's own chunks.
	let copied = 0;
	const allocUnsafe = Buffer.allocUnsafe;
	Buffer.allocUnsafe = function (size) {
		if (size >= 4096) copied += size;
		return allocUnsafe.call(this, size);
	};
	write({ t: Date.now(), pid: process.pid, start: true });
	setInterval(() => {
		const m = process.memoryUsage();
		write({ t: Date.now(), pid: process.pid, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, copied });
	}, every).unref();
	const kinds = {
		[constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
		[constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
		[constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
		[constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
	};
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			write({ t: Math.round(performance.timeOrigin + entry.startTime), pid: process.pid, gc: kinds[entry.detail?.kind] ?? entry.detail?.kind, ms: Number(entry.duration.toFixed(2)) });
		}
	}).observe({ entryTypes: ['gc'] });
}
