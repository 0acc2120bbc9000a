#!/usr/bin/env node
'use strict';
/**
 * The Legnext node's benchmark: the built package (dist/) in n8n's engine (n8n-core's
 * WorkflowExecute, test/harness/engine/harness.js) against the Legnext simulator with compressed time.
 * Prints one markdown table (bench/table.js); figures are in job seconds (what the node would take
 * against the real Legnext), each beside its reference and its target.
 *
 *   npm run build && node bench/run.js [--json] [--details] [--quick] [--only=<step>,…]
 *
 * --json     also write bench-output/results.json (every figure, per job and per run)
 * --details  also print row 1's figures per job length
 * --quick    leave out the real-n8n rows (steps n8n and n8nMemory: about 3 min, and a first n8n install ~5 min)
 * --only     run only these steps: polling, throughput, memory, memorySmall, cpu, pause, account, scale, n8n, n8nMemory
 * --download-reference  step n8nMemory also measures n8n's own HTTP Request node downloading the same
 *            files, each run in a freshly started n8n (about 1¼ min more; npm run bench:memory has all cases)
 *
 * Each row runs in its own Node process (bench/rows.js) so no row's heap or warm-up weighs on another.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');
const { table, notes, details } = require('./table');
const { median: medianOf } = require('./lib');

const ROOT = path.resolve(__dirname, '..');
const args = new Set(process.argv.slice(2));
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');

function runRow(name, options = {}) {
	return new Promise((resolve, reject) => {
		const child = fork(path.join(__dirname, 'rows.js'), [name, JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		let answer;
		child.on('message', (message) => (answer = message));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (answer?.type === 'result') resolve(answer.result);
			else reject(new Error(`Benchmark row "${name}" failed (exit ${code}):\n${answer?.message ?? 'no result'}`));
		});
	});
}

/** A row run `times` times, each in a fresh process; `median` holds the median of each growth figure. */
async function repeatRow(name, options, times) {
	const runs = [];
	for (let k = 0; k < times; k++) runs.push(await runRow(name, options));
	const keys = Object.keys(runs[0].growthMB);
	const median = Object.fromEntries(keys.map((key) => [key, medianOf(runs.map((run) => run.growthMB[key]))]));
	return { ...runs[0], runs, median };
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Legnext', 'Legnext.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first (npm run bench does).');
	}
	const started = Date.now();
	const results = { loadAverage: os.loadavg()[0] };
	// [key, row, options, runs]: rows with runs are repeated in fresh processes and report medians.
	// A new row: bench/rows/<name>.js, bench/rows.js, a step here, and its line in table.js.
	const steps = [
		['polling', 'polling', {}],
		['throughput', 'throughput', {}],
		['memory', 'memory', { videoBytes: 64 * 1024 * 1024 }, 5],
		['memorySmall', 'memory', { videoBytes: 16 * 1024 * 1024 }, 3],
		['cpu', 'cpu', {}],
		['pause', 'pause', {}],
		// One account shared by 4 executions: Concurrency Mode Auto beside Fixed 6 (row 8, issue 30).
		['account', 'account', { timeScale: 10 }],
		// 100, 1,000 and 10,000 items in one execution, beside n8n's Set node (row 7, about 6 min).
		['scale', 'scale', {}],
		// Real n8n 2.41.1: callback → execution finished beside n8n's own round trip and resume (row 6).
		['n8n', 'n8n', { count: 24 }],
		// Real n8n 2.41.1: row 3, Pause Until Callback downloading 4 × 64 MB, 3 runs each in a fresh n8n
		// (bench/memory/n8n.js; every case, 5 runs: npm run bench:memory).
		['n8nMemory', 'n8nMemory', { cases: args.has('--download-reference') ? ['pause', 'http'] : ['pause'], runs: 3 }],
	].filter(([key]) => (only ? only.includes(key) : !(args.has('--quick') && key.startsWith('n8n'))));
	if (only && steps.length !== only.length) throw new Error(`--only: unknown step in ${only.join(', ')}`);
	for (const [key, row, options, runs] of steps) {
		const t0 = Date.now();
		process.stderr.write(`bench: ${key}…`);
		results[key] = runs ? await repeatRow(row, options, runs) : await runRow(row, options);
		process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
	}
	const seconds = (Date.now() - started) / 1000;
	console.log(`\n${table(results)}\n\n${notes(results, seconds)}`);
	if (args.has('--details') && results.polling) console.log(details(results.polling));
	if (args.has('--json')) {
		const dir = path.join(ROOT, 'bench-output');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, 'results.json');
		const meta = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, seconds };
		fs.writeFileSync(file, `${JSON.stringify({ ...meta, ...results }, null, 2)}\n`);
		console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
	}
}

main().catch((error) => {
	console.error(`\n${error?.stack ?? error}`);
	process.exit(1);
});
