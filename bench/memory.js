#!/usr/bin/env node
'use strict';
/**
 * The memory benchmark in a real n8n (bench/memory/n8n.js): each case beside n8n's own HTTP Request node
 * downloading the same files, 5 runs each in a freshly started n8n, median and spread. About 13 min on
 * 2 CPUs (a first run installs n8n, ~5 min more).
 *
 *   npm run bench:memory          # builds, then node bench/memory.js
 *   node bench/memory.js [--runs=5] [--cases=pause,poll,trigger,pause16,http,http16] [--mb=64] [--job-seconds=10]
 *        [--no-settle] [--poll-executions=250] [--diagnose] [--keep-probe] [--node-options="--trace-gc"] [--json]
 *
 * --job-seconds     how long each Legnext job takes (10: the shortest real jobs; 2 was the old setting)
 * --no-settle         no full GC in n8n before the baseline (start-up garbage left to chance)
 * --poll-executions   list the case's executions every N ms during a run (how row 3 of npm run bench watched)
 * --diagnose          each run's line also shows n8n's own figures (heap, ArrayBuffers, GCs, what is left after)
 * --keep-probe        keep n8n's samples (one JSON line per 20 ms and per GC) and print their folder
 * --json              also write bench-output/memory.json
 * LEGNEXT_E2E_TARBALL=<tgz> measures that package instead of this checkout's build (e.g. an older one).
 */
const fs = require('node:fs');
const path = require('node:path');
const { n8nMemory } = require('./memory/n8n');
const { memoryTable, memoryNotes } = require('./memory/table');

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const flag = (name) => process.argv.includes(`--${name}`);

async function main() {
	const result = await n8nMemory({
		runs: Number(arg('runs', 5)),
		cases: arg('cases', 'pause,poll,trigger,pause16,http,http16').split(','),
		fileBytes: Number(arg('mb', 64)) * 1024 * 1024,
		jobSeconds: Number(arg('job-seconds', 10)),
		settle: !flag('no-settle'),
		pollExecutionsMs: Number(arg('poll-executions', 0)),
		diagnose: flag('diagnose'),
		keepProbe: flag('keep-probe'),
		nodeOptions: arg('node-options', ''),
		log: (line) => process.stderr.write(`${line}\n`),
	});
	console.log(`\n${memoryTable(result)}\n\n${memoryNotes(result)}`);
	if (result.probeDir) console.log(`\nn8n's samples: ${result.probeDir}`);
	if (flag('json')) {
		const dir = path.join(__dirname, '..', 'bench-output');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'memory.json'), `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
		console.log('\nWrote bench-output/memory.json');
	}
}

main().catch((error) => {
	console.error(error?.stack ?? error);
	process.exit(1);
});
