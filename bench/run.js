#!/usr/bin/env node
'use strict';
/**
 * The Legnext node's benchmark: the built package (dist/) in n8n's engine (n8n-core's
 * WorkflowExecute, test/engine/harness.js) against the Legnext simulator with compressed time.
 * Prints one markdown table; figures are in job seconds (what the node would take against the real
 * Legnext), each beside its reference and its target.
 *
 *   npm run build && node bench/run.js [--json] [--details]
 *
 * --json     also write bench-output/results.json (every figure, per job and per run)
 * --details  also print the per-duration figures of row 1
 *
 * Each row runs in its own Node process (bench/rows.js) so no row's heap or warm-up weighs on another.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const args = new Set(process.argv.slice(2));

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

const s = (seconds, digits = 1) => `${seconds.toFixed(digits)} s`;
const n = (value, digits = 1) => value.toFixed(digits);
const mb = (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)} MB`;
const int = (value) => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');

function table(results) {
	const { polling, throughput, memory, memorySmall, cpu } = results;
	const rows = [];
	const row = (...cells) => rows.push(`| ${cells.join(' | ')} |`);
	row('#', 'Measure (job seconds)', 'Legnext node', 'Fixed 3 s polling (computed)', 'Fixed 5 s polling (computed)', 'Reference', 'Target');
	row('---', '---', '---', '---', '---', '---', '---');

	for (const [kind, label, durations] of [
		['images', 'image', '30, 45, 60, 75, 90 s'],
		['videos', 'video', '180, 210, 240, 270, 300 s'],
	]) {
		const r = polling[kind];
		row(
			'1',
			`Status checks per ${label} job (${durations})`,
			n(r.checks),
			n(r.fixed['3s'].checks),
			n(r.fixed['5s'].checks),
			'',
			`fewer than 5 s polling (${n(r.fixed['5s'].checks)})`,
		);
		row(
			'1',
			`Detection delay, ${label} jobs (job done → node knows)`,
			`mean ${s(r.delayMean)} · max ${s(r.delayMax)}`,
			`mean ${s(r.fixed['3s'].delayMean)} · max ${s(r.fixed['3s'].delayMax)}`,
			`mean ${s(r.fixed['5s'].delayMean)} · max ${s(r.fixed['5s'].delayMax)}`,
			`node's checks ${s(r.checkGap)} apart`,
			'≤ 5 s',
		);
	}

	const t = throughput;
	const ratio = t.parallel.wallSeconds / t.ideal;
	row(
		'2',
		`Wall time, ${t.items} items × ${t.jobSeconds} s jobs, concurrency ${t.cap} (Legnext cap ${t.cap})`,
		`${int(t.parallel.wallSeconds)} s (${n(ratio, 2)} × ideal)`,
		'',
		'',
		`ideal ⌈${t.items}/${t.cap}⌉ × ${t.jobSeconds} s = ${t.ideal} s · one at a time: ${int(t.serial.wallSeconds)} s`,
		`≤ 1.15 × ideal (${int(1.15 * t.ideal)} s)`,
	);
	const dupes = (r) => r.duplicates + r.duplicateJobIds + r.promptsWithTwoJobs;
	row(
		'2',
		`Lost jobs · duplicate jobs (${t.items} items)`,
		`${t.parallel.lost} lost · ${t.parallel.duplicates} duplicates (${t.parallel.createdJobs} jobs created, ${t.parallel.duplicateJobIds} repeated job ids, ${t.parallel.refused429} × 429)`,
		'',
		'',
		`one at a time: ${t.serial.lost} lost · ${dupes(t.serial)} duplicates`,
		'0 lost · 0 duplicates',
	);

	row(
		'3',
		`Peak memory growth, downloading ${memory.files} videos of ${int(memory.fileMB)} MB`,
		`RSS ${mb(memory.growthMB.rss)} (heap ${mb(memory.growthMB.heapUsed)})`,
		'',
		'',
		`file ${int(memory.fileMB)} MB · total ${int(memory.totalMB)} MB · with ${int(memorySmall.fileMB)} MB files: RSS ${mb(memorySmall.growthMB.rss)}`,
		'< 64 MB, whatever the file size',
	);

	const c = cpu.msPerItem;
	row(
		'4',
		`Node CPU time per item (${cpu.items} items, Poll Until Done, ${cpu.jobSeconds} s jobs)`,
		`${n(c.pollNodeOnly, 2)} ms`,
		'',
		'',
		`whole run ${n(c.poll, 2)} ms/item, engine only ${n(c.engineOnly, 2)} ms/item · Don't Wait: ${n(c.dontWaitNodeOnly, 2)} ms/item`,
		'(none)',
	);
	return rows.join('\n');
}

function notes(results, seconds) {
	const { polling, throughput, memory, cpu } = results;
	const latencies = polling.latencies.map((l) => n(l, 1)).join(', ');
	return [
		`Simulator with compressed time (row 1: ${polling.timeScale}×; row 2: ${throughput.parallel.timeScale}×, one at a time ${throughput.serial.timeScale}×; rows 3–4: ${memory.timeScale}×, simulator in a child process); the node's clock runs at the same scale.`,
		`1: each duration once per API response time of ${latencies} s, side by side (${polling.jobs} jobs); checks are the GET /api/v1/job requests the simulator received; delay = arrival of the check that saw "completed" − the job's end. Fixed polling columns are computed, not run: ⌈T/i⌉ checks, ⌈T/i⌉·i − T delay (0 here: every T is a multiple of 3 and 5).`,
		`2: wall time is the Legnext node's execution time in n8n; lost = items without a completed job; duplicates = jobs created − ${throughput.items}, plus repeated job ids or prompts.`,
		`3: process.memoryUsage() every ${memory.sampleMs} ms, peak − baseline after GC (arrayBuffers ${mb(memory.growthMB.arrayBuffers)}).`,
		`4: process.cpuUsage() of the n8n process, median of ${cpu.repeats} runs ÷ ${cpu.items}; node = whole run − the same workflow with a node that only emits the items (${n(cpu.requestsPerItem.poll, 1)} API requests per item).`,
		`Whole benchmark: ${n(seconds, 0)} s (Node ${process.version}, ${os.cpus().length} CPUs, load average ${n(results.loadAverage, 1)} at the start: other work on the machine lengthens the checks' round trips, hence the gap and the delays of row 1).`,
	]
		.map((line) => `- ${line}`)
		.join('\n');
}

function details(polling) {
	const lines = ['', 'Row 1 per duration (mean over API response times): checks · delay mean / max'];
	for (const kind of ['images', 'videos']) {
		for (const d of polling[kind].perDuration) {
			lines.push(
				`  ${kind.padEnd(6)} ${String(d.seconds).padStart(3)} s: ${n(d.checks).padStart(5)} checks · ${s(d.delayMean, 2)} / ${s(d.delayMax, 2)}` +
					`   (fixed 3 s: ${d.fixed['3s'].checks} · fixed 5 s: ${d.fixed['5s'].checks})`,
			);
		}
	}
	return lines.join('\n');
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Legnext', 'Legnext.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first (npm run bench does).');
	}
	const started = Date.now();
	const results = { loadAverage: os.loadavg()[0] };
	const steps = [
		['polling', 'polling', {}],
		['throughput', 'throughput', {}],
		['memory', 'memory', { videoBytes: 64 * 1024 * 1024 }],
		['memorySmall', 'memory', { videoBytes: 16 * 1024 * 1024 }],
		['cpu', 'cpu', {}],
	];
	for (const [key, row, options] of steps) {
		const t0 = Date.now();
		process.stderr.write(`bench: ${key}…`);
		results[key] = await runRow(row, options);
		process.stderr.write(` ${n((Date.now() - t0) / 1000)} s\n`);
	}
	const seconds = (Date.now() - started) / 1000;
	console.log(`\n${table(results)}\n\n${notes(results, seconds)}`);
	if (args.has('--details')) console.log(details(results.polling));
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
