'use strict';
// Bursts of Legnext callbacks into a real n8n (scripts/n8n-host, n8n 2.41.1): N jobs ending within a
// second, each callback delivered twice, sent to the Legnext Trigger and to n8n's own Webhook node.
// Prints what the sender saw (answers within its 10 s timeout, median and p95) and what n8n ran
// (executions, jobs with an execution). Needs `npm run build` first.
//
//   node bench/callback-burst.js [jobs ...]       (default: 50 150)
//   BURST_N8N_ENV='{"N8N_EXPRESSION_ENGINE":"legacy"}' node bench/callback-burst.js 50   (n8n's env)
const support = require('../test/harness/e2e/support');

const API_KEY = 'bench-burst-key-5d2c9e71';
const CREDENTIAL = { id: 'LgxBenchBurstCrd', name: 'Legnext bench', type: 'legnextApi' };
const WF = { trigger: 'LgxBenchBurstTrg', webhook: 'LgxBenchBurstHok' };
const HOOK = 'lgx-bench-burst';

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function workflows() {
	return [
		support.chainWorkflow(WF.trigger, 'bench: Legnext Trigger', [support.triggerNode('Legnext Trigger', CREDENTIAL, {}, '5d2c9e71-0000-4000-8000-00000000b001')]),
		support.chainWorkflow(WF.webhook, 'bench: Webhook', [support.webhookNode(HOOK)]),
	];
}

async function executionsOf(n8n, workflowId, expected) {
	let last = -1;
	let list = [];
	for (let stable = 0; stable < 3; ) {
		await delay(3000);
		try {
			list = await n8n.listExecutions(workflowId, { limit: Math.max(250, expected * 3), includeData: false });
		} catch (error) {
			// Under a burst n8n may answer 503 "Database is not ready!" for a while.
			console.log(`(listing executions: ${String(error.message).slice(0, 120)})`);
			stable = 0;
			continue;
		}
		const running = list.filter((e) => !support.FINISHED.includes(e.status)).length;
		stable = list.length === last && running === 0 ? stable + 1 : 0;
		last = list.length;
	}
	return list;
}

async function burst(world, receiver, jobs) {
	const { simulator: sim, n8n } = world;
	sim.reset();
	sim.inject({ callbacks: 'twice' });
	const url =
		receiver === 'trigger'
			? `${support.triggerUrl(n8n.baseUrl, WF.trigger)}?token=${support.triggerToken(API_KEY, support.triggerUrl(n8n.baseUrl, WF.trigger))}`
			: `${n8n.baseUrl}/webhook/${HOOK}`;
	const workflowId = WF[receiver];
	const before = new Set((await n8n.listExecutions(workflowId, { limit: 1000 })).map((e) => String(e.id)));
	const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
	await Promise.all(
		Array.from({ length: jobs }, (_, n) =>
			fetch(`${sim.url}/api/v1/diffusion`, { method: 'POST', headers, body: JSON.stringify({ text: `burst ${n}`, callback: url }) }),
		),
	);
	const end = Date.now() + 180_000;
	while (sim.callbacks.filter((c) => c.finishedAt !== undefined && c.kind !== 'progress').length < 2 * jobs && Date.now() < end) await delay(200);
	const all = await executionsOf(n8n, workflowId, jobs);
	const fresh = all.filter((e) => !before.has(String(e.id)));
	const deliveries = sim.callbacks.filter((c) => c.kind !== 'progress');
	const answered = deliveries.filter((c) => c.status !== undefined);
	const times = answered.map((c) => c.finishedAt - c.at).sort((a, b) => a - b);
	let jobsWithExecution;
	if (receiver === 'trigger') {
		const ids = new Set();
		for (const summary of fresh) {
			let execution;
			for (let attempt = 0; !execution; attempt++) {
				execution = await n8n.getExecution(summary.id).catch((error) => {
					if (attempt > 20) throw error;
					return delay(1000).then(() => undefined);
				});
			}
			const item = support.nodeOutput(execution, 'Legnext Trigger')?.[0];
			if (item?.json?.jobId) ids.add(item.json.jobId);
		}
		jobsWithExecution = ids.size;
	}
	const sent = deliveries.map((c) => c.at);
	return {
		receiver,
		jobs,
		deliveries: deliveries.length,
		sentWithinMs: Math.max(...sent) - Math.min(...sent),
		answeredIn10s: answered.filter((c) => c.finishedAt - c.at < 10_000).length,
		gaveUp: deliveries.length - answered.length,
		statuses: answered.reduce((counts, c) => ({ ...counts, [c.status]: (counts[c.status] ?? 0) + 1 }), {}),
		medianMs: quantile(times, 0.5),
		p95Ms: quantile(times, 0.95),
		executions: fresh.length,
		failedExecutions: fresh.filter((e) => e.status !== 'success').length,
		jobsWithExecution,
	};
}

async function main() {
	const sizes = process.argv.slice(2).map(Number).filter(Boolean);
	const world = await support.startWorld({
		// Real time, no cap: every job 1 + 4 s, created together, so they end within a second.
		simulator: { apiKeys: [API_KEY], timeScale: 1, concurrencyLimit: 0, durations: () => ({ pending: 1, processing: 4 }) },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => workflows(),
		activate: Object.values(WF),
		env: JSON.parse(process.env.BURST_N8N_ENV || '{}'),
	});
	try {
		for (const jobs of sizes.length ? sizes : [50, 150]) {
			for (const receiver of ['webhook', 'trigger']) {
				console.log(`burst ${JSON.stringify(await burst(world, receiver, jobs))}`);
			}
		}
	} finally {
		await world.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
