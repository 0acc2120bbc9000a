'use strict';
/**
 * The memory benchmark's printout (bench/memory.js, test/e2e/memory.e2e.test.js): one markdown table,
 * each Legnext case beside n8n's own HTTP Request node downloading the same files, with medians,
 * spreads and the issue's targets, then how it was measured.
 */
const { CASES } = require('./cases');

/** Issue 23: growth at or below n8n's own; spread under 30 MB or no wider than n8n's; 16 files under 2 × 4 files. */
const SPREAD_TARGET_MB = 30;
const SIXTEEN_RATIO_TARGET = 2;

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)} MB`;
const s = (seconds) => `${seconds.toFixed(1)} s`;

/** Median, spread and runs of one case's RSS growth, n8n's own count (heap + ArrayBuffers) and times. */
function summary(runs) {
	if (!runs?.length) return undefined;
	const growth = runs.map((r) => r.growthMB);
	const js = runs.map((r) => r.probe?.jsPeak).filter((v) => Number.isFinite(v));
	const downloads = runs.map((r) => r.downloadSeconds).filter((v) => Number.isFinite(v));
	return {
		median: median(growth),
		spread: Math.max(...growth) - Math.min(...growth),
		runs: growth,
		jsMedian: js.length ? median(js) : NaN,
		downloadMedian: downloads.length ? median(downloads) : NaN,
		baselines: runs.map((r) => r.baselineMB),
	};
}

const cell = (x) => (x ? `${mb(x.median)} · spread ${x.spread.toFixed(0)} MB (${x.runs.map((v) => mb(v).replace(' MB', '')).join(', ')})` : '');
const jsCell = (x) => (x && Number.isFinite(x.jsMedian) ? mb(x.jsMedian) : '');

function memoryTable(result) {
	const { runs } = result;
	const lines = [
		`| Videos of ${result.fileMB} MB into n8n's binary data, real n8n ${result.version} | Legnext node: RSS growth, median · spread (runs) | n8n's HTTP Request node, same files | Heap + ArrayBuffers peak (n8n's own count), median: node · n8n's | Download time, median: node · n8n's | Target |`,
		'| --- | --- | --- | --- | --- | --- |',
	];
	const http = summary(runs.http);
	const http16 = summary(runs.http16);
	const pause = summary(runs.pause);
	for (const name of ['pause', 'poll', 'trigger', 'pause16']) {
		const node = summary(runs[name]);
		if (!node) continue;
		const c = CASES[name];
		const ref = name === 'pause16' ? http16 : http;
		const targets = [];
		if (ref) {
			const atOrBelow = node.median <= ref.median;
			const steady = node.spread < SPREAD_TARGET_MB || node.spread <= ref.spread;
			targets.push(
				`≤ n8n's (${mb(ref.median)}): ${atOrBelow ? 'met' : 'missed'} · spread < ${SPREAD_TARGET_MB} MB or ≤ n8n's (${ref.spread.toFixed(0)} MB): ${steady ? 'met' : 'missed'}`,
			);
		}
		if (name === 'pause16' && pause) {
			const ratio = node.median / pause.median;
			targets.push(`< ${SIXTEEN_RATIO_TARGET} × the 4-file pause row (${mb(pause.median)}): ${ratio.toFixed(2)} × · ${ratio < SIXTEEN_RATIO_TARGET ? 'met' : 'missed'}`);
		}
		const label = `${c.label}${name === 'pause16' ? '' : `, ${c.files} files`}${name === 'pause16' ? ` (${c.files} files)` : ''}`;
		lines.push(
			`| ${label} | ${cell(node)} | ${cell(ref)} | ${jsCell(node)} · ${jsCell(ref)} | ${s(node.downloadMedian)} · ${ref ? s(ref.downloadMedian) : ''} | ${targets.join(' · ')} |`,
		);
	}
	return lines.join('\n');
}

function memoryNotes(result) {
	const counts = Object.values(result.runs).map((r) => r.length);
	const load = result.load.map((l) => l.toFixed(2)).join(' → ');
	return [
		`n8n ${result.version}, ${Math.max(...counts)} run${Math.max(...counts) === 1 ? '' : 's'} per case, each in a freshly started n8n; ${result.fileMB} MB videos (4 per job); VmRSS of n8n's process sampled every ${result.sampleMs} ms; baseline after a warm-up with 256 KiB files${result.settle ? " and a last-resort GC in n8n (V8's memory-pressure collection, bench/memory/probe.js)" : ' (no settling GC: --no-settle)'}; growth = peak − baseline. ` +
			`Heap + ArrayBuffers: process.memoryUsage() inside n8n, peak over the same baseline. Download time: first file request → the workflow's Done call. ` +
			`${(result.seconds / 60).toFixed(1)} min in all; load average ${load} (2 CPUs shared with other work: load changes times much, memory little).`,
	].join('\n');
}

module.exports = { memoryTable, memoryNotes, summary };
