'use strict';
// Does a process that takes Legnext's callbacks keep memory per callback? Rounds of callbacks into a real
// n8n (scripts/n8n-host, n8n 2.41.1 with its defaults): each round N jobs whose callbacks go to the Legnext
// Trigger, then a full garbage collection inside n8n (bench/memory/probe.js, SIGUSR2) and what n8n holds
// after it: its heap and its RSS. Then the same rounds into n8n's own Webhook node. Memory that grows
// round after round is kept per callback; memory that rises in the first rounds and then stays is the
// process's high-water mark (V8's and malloc's pools, n8n's expression isolates: issue 33's soak).
// Needs `npm run build` first. Not in CI.
//
//   node bench/callback-rounds.js [rounds] [jobs per round]      (default: 5 150, the run in docs/benchmark.md)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const support = require('../test/harness/e2e/support');
const { n8nPid } = require('./memory/sampling');

const API_KEY = 'bench-rounds-key-8e1f4a27';
const CREDENTIAL = { id: 'LgxBenchRoundCrd', name: 'Legnext bench', type: 'legnextApi' };
const WF = { trigger: 'LgxBenchRoundTrg', webhook: 'LgxBenchRoundHok' };
const HOOK = 'lgx-bench-rounds';
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => Math.round(bytes / 2 ** 20);

function workflows() {
	return [
		support.chainWorkflow(WF.trigger, 'bench: Legnext Trigger', [support.triggerNode('Legnext Trigger', CREDENTIAL, {}, '8e1f4a27-0000-4000-8000-00000000b001')]),
		support.chainWorkflow(WF.webhook, 'bench: Webhook', [support.webhookNode(HOOK)]),
	];
}

/** Waits until the workflow has `count` executions, all ended. */
async function executionsEnded(n8n, workflowId, count) {
	const end = Date.now() + 300_000;
	while (Date.now() < end) {
		await delay(2000);
		const list = await n8n.listExecutions(workflowId, { limit: count + 50, includeData: false }).catch((error) => {
			console.error(`(listing executions: ${String(error.message).slice(0, 160)})`);
		});
		if (list && list.length >= count && list.every((e) => support.FINISHED.includes(e.status))) return list.length;
		if (list) console.error(`(${workflowId}: ${list.length} of ${count} executions, ${list.filter((e) => !support.FINISHED.includes(e.status)).length} not ended)`);
	}
	throw new Error(`${workflowId}: fewer than ${count} ended executions after 5 min`);
}

/** A full GC in n8n, then what it holds after it (the probe's line). */
async function settled(pid, probeFile) {
	const asked = Date.now();
	process.kill(pid, 'SIGUSR2');
	for (let tries = 0; tries < 50; tries++) {
		await delay(200);
		const line = fs
			.readFileSync(probeFile, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((text) => JSON.parse(text))
			.find((entry) => entry.settled && entry.pid === pid && entry.t >= asked);
		if (line) return { heapMb: mb(line.heapUsed), rssMb: mb(line.rss) };
	}
	throw new Error('n8n wrote no memory line after SIGUSR2');
}

async function round(world, receiver, jobs, done) {
	const { simulator: sim, n8n } = world;
	sim.reset();
	const triggerUrl = support.triggerUrl(n8n.baseUrl, WF.trigger);
	const url = receiver === 'trigger' ? `${triggerUrl}?token=${support.triggerToken(API_KEY, triggerUrl)}` : `${n8n.baseUrl}/webhook/${HOOK}`;
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	// In groups of 25, so that n8n answers each callback well within Legnext's timeout.
	for (let n = 0; n < jobs; n += 25) {
		await Promise.all(
			Array.from({ length: Math.min(25, jobs - n) }, (_, k) =>
				fetch(`${sim.url}/api/v1/diffusion`, { method: 'POST', headers, body: JSON.stringify({ text: `round ${n + k}`, callback: url }) }),
			),
		);
		await delay(500);
	}
	const end = Date.now() + 120_000;
	const finals = () => sim.callbacks.filter((c) => c.kind !== 'progress');
	while ((finals().length < jobs || finals().some((c) => c.finishedAt === undefined)) && Date.now() < end) await delay(250);
	const deliveries = finals();
	const outcomes = deliveries.reduce((counts, c) => {
		const key = c.status !== undefined ? String(c.status) : (c.error ?? 'none');
		return { ...counts, [key]: (counts[key] ?? 0) + 1 };
	}, {});
	const times = deliveries.filter((c) => c.finishedAt).map((c) => c.finishedAt - c.at).sort((a, b) => a - b);
	const answered = deliveries.filter((c) => c.status === 200).length;
	console.error(`${receiver}: ${deliveries.length} callbacks, outcomes ${JSON.stringify(outcomes)}, median ${times[times.length >> 1]} ms, max ${times[times.length - 1]} ms`);
	return { executions: await executionsEnded(n8n, WF[receiver], done + answered), outcomes };
}

async function main() {
	const [rounds = 5, jobs = 150] = process.argv.slice(2).map(Number);
	const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-rounds-'));
	const probeFile = path.join(probeDir, 'probe.jsonl');
	const world = await support.startWorld({
		simulator: { apiKeys: [API_KEY], timeScale: 1, concurrencyLimit: 0, durations: () => ({ pending: 1, processing: 2 }) },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => workflows(),
		activate: Object.values(WF),
		env: {
			NODE_OPTIONS: `--require ${path.join(__dirname, 'memory', 'probe.js')}`,
			LEGNEXT_MEMPROBE_SETTLE: '1',
			LEGNEXT_MEMPROBE_FILE: probeFile,
			LEGNEXT_MEMPROBE_MS: '5000',
		},
	});
	const rows = [];
	try {
		const pid = n8nPid(world.n8n.pid);
		const start = await settled(pid, probeFile);
		for (const receiver of ['trigger', 'webhook']) {
			let done = 0;
			for (let r = 1; r <= rounds; r++) {
				const { executions, outcomes } = await round(world, receiver, jobs, done);
				done = executions;
				const after = await settled(pid, probeFile);
				rows.push({ receiver, round: r, callbacks: r * jobs, executions: done, outcomes, ...after });
				console.error(`${receiver} round ${r}: ${JSON.stringify(after)}`);
			}
		}
		const name = { trigger: 'Legnext Trigger', webhook: "n8n's Webhook node" };
		console.log(`n8n after a full GC, before any callback: heap ${start.heapMb} MB, RSS ${start.rssMb} MB\n`);
		console.log('| Receiver | Round | Callbacks so far | Answers this round | Executions so far | Heap after GC, MB | RSS after GC, MB |');
		console.log('|---|---|---|---|---|---|---|');
		for (const row of rows) console.log(`| ${name[row.receiver]} | ${row.round} | ${row.callbacks} | ${JSON.stringify(row.outcomes)} | ${row.executions} | ${row.heapMb} | ${row.rssMb} |`);
		for (const receiver of ['trigger', 'webhook']) {
			const mine = rows.filter((row) => row.receiver === receiver);
			const [second, last] = [mine[1], mine[mine.length - 1]];
			if (!second || last === second) continue;
			const per1000 = (field) => (((last[field] - second[field]) / (last.callbacks - second.callbacks)) * 1000).toFixed(1);
			console.log(`\n${name[receiver]}: from round 2 to round ${last.round}, per 1,000 callbacks: heap ${per1000('heapMb')} MB, RSS ${per1000('rssMb')} MB`);
		}
	} finally {
		await world.close();
		fs.rmSync(probeDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
