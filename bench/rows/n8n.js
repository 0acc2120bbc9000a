'use strict';
/**
 * Row 6 of the benchmark, in a real n8n 2.41.1 (scripts/n8n-host) with the packed package, against the
 * Legnext simulator in this process at real time (timeScale 1): callback → execution finished for
 * Pause Until Callback: single-item executions (Webhook → Text to Image, Pause Until Callback, no
 * download), each job 5 s; from the moment the simulator sends the job's callback to the execution's
 * stoppedAt as n8n records it. Beside it, n8n's own webhook round trip in the same n8n: a plain
 * Webhook → No Operation workflow, request sent → its stoppedAt; and n8n's own resume: a Wait node
 * (On Webhook Call) resumed by a POST to $execution.resumeUrl.
 *
 * Row 3 in a real n8n (memory while the node downloads files) is bench/memory/n8n.js, the step
 * n8nMemory here and all of `npm run bench:memory`.
 */
const fs = require('fs');
const os = require('os');
const support = require('../../test/harness/e2e/support');
const { startSimulator } = require('../../test/harness/simulator/server');
const { median } = require('../lib');

const { host, uuid, webhookNode, legnextNode, chainWorkflow, delay } = support;
const API_KEY = 'bench-n8n-key-5e0c1a2b3d4f';
const CREDENTIAL = { id: 'LgxBenchCred0001', name: 'Legnext bench', type: 'legnextApi' };
const WF = { plain: 'LgxBenchWfPlain01', wait: 'LgxBenchWfWait001', pause: 'LgxBenchWfPause01' };
const HOOK = { plain: 'bench-plain', wait: 'bench-wait', pause: 'bench-pause' };

function workflows() {
	const noOp = { id: uuid('f0a0'), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} };
	// n8n's own resume: the Set node keeps $execution.resumeUrl where the public API shows it.
	const resumeUrl = {
		id: uuid('f1a1'),
		name: 'Resume URL',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [240, 0],
		parameters: { assignments: { assignments: [{ id: uuid('f2a2'), name: 'resumeUrl', value: '={{ $execution.resumeUrl }}', type: 'string' }] }, options: {} },
	};
	const wait = {
		id: uuid('f3a3'),
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [480, 0],
		webhookId: uuid('f4a4'),
		parameters: { resume: 'webhook', httpMethod: 'POST', responseMode: 'onReceived', options: {} },
	};
	return [
		chainWorkflow(WF.plain, 'bench: Webhook → No Operation', [webhookNode(HOOK.plain), noOp]),
		chainWorkflow(WF.wait, 'bench: Webhook → Wait (resume on webhook call)', [webhookNode(HOOK.wait), resumeUrl, wait]),
		chainWorkflow(WF.pause, 'bench: Text to Image, Pause Until Callback', [
			webhookNode(HOOK.pause),
			legnextNode('Text to Image', CREDENTIAL, { resource: 'image', operation: 'textToImage', prompt: '={{ "a fox in the snow " + $json.body.n }}', waitMode: 'callback' }),
		]),
	];
}

const quantile = (values, q) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

const finishedExecutions = (n8n, workflowId, count, timeoutMs) => executionsIn(n8n, workflowId, support.FINISHED, count, timeoutMs);

/** At least `count` executions of the workflow in one of `statuses` (with their data). */
async function executionsIn(n8n, workflowId, statuses, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await n8n.listExecutions(workflowId, { includeData: true, limit: 250 });
		const done = list.filter((e) => statuses.includes(e.status));
		if (done.length >= count) return done;
		if (Date.now() > deadline) {
			const states = list.map((e) => `${e.id}:${e.status}`).join(', ');
			throw new Error(`${workflowId}: ${done.length} of ${count} executions ${statuses.join('/')} within ${timeoutMs} ms (${states})`);
		}
		await delay(1000);
	}
}

/** Row 6: `count` callbacks and `count` plain webhook calls, `spacingMs` apart. */
async function latency(n8n, sim, { count, spacingMs }) {
	// Warm-up: one of each, not counted; it also waits for n8n to serve the webhooks just activated.
	await support.callWebhook(n8n, HOOK.plain, { n: -1 });
	await support.callWebhook(n8n, HOOK.pause, { n: -1 });
	await finishedExecutions(n8n, WF.pause, 1, 60_000);

	const sentAt = new Map();
	for (let n = 0; n < count; n++) {
		sentAt.set(n, Date.now());
		const response = await n8n.webhook(HOOK.plain, { body: { n } });
		if (response.status !== 200) throw new Error(`POST /webhook/${HOOK.plain} answered ${response.status}`);
		await delay(spacingMs);
	}
	const plain = (await finishedExecutions(n8n, WF.plain, count + 1, 60_000))
		.map((e) => ({ e, n: support.nodeOutput(e, 'Start')?.[0]?.json?.body?.n }))
		.filter(({ n }) => sentAt.has(n))
		.map(({ e, n }) => Date.parse(e.stoppedAt) - sentAt.get(n));

	// n8n's own resume: Wait nodes (On Webhook Call) resumed `spacingMs` apart, POST → stoppedAt.
	await support.callWebhook(n8n, HOOK.wait, { n: -1 });
	for (let n = 0; n < count; n++) await n8n.webhook(HOOK.wait, { body: { n } });
	const waiting = await executionsIn(n8n, WF.wait, ['waiting'], count + 1, 60_000);
	const resumedAt = new Map();
	for (const execution of waiting) {
		const url = support.nodeOutput(execution, 'Resume URL')?.[0]?.json?.resumeUrl;
		if (!url) throw new Error(`No resume URL in ${support.describeExecution(execution)}`);
		resumedAt.set(String(execution.id), Date.now());
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (response.status !== 200) throw new Error(`POST ${url} answered ${response.status}`);
		await delay(spacingMs);
	}
	const resumed = (await executionsIn(n8n, WF.wait, support.FINISHED, count + 1, 60_000))
		.filter((e) => support.nodeOutput(e, 'Start')?.[0]?.json?.body?.n !== -1)
		.map((e) => Date.parse(e.stoppedAt) - resumedAt.get(String(e.id)));

	// Pause: jobs of 5 s, submitted `spacingMs` apart, so their callbacks arrive one by one.
	for (let n = 0; n < count; n++) {
		const response = await n8n.webhook(HOOK.pause, { body: { n } });
		if (response.status !== 200) throw new Error(`POST /webhook/${HOOK.pause} answered ${response.status}`);
		await delay(spacingMs);
	}
	const paused = await finishedExecutions(n8n, WF.pause, count + 1, 120_000);
	const pause = [];
	let reads = 0;
	for (const execution of paused) {
		const [item] = support.nodeOutput(execution, 'Text to Image') ?? [];
		if (execution.status !== 'success' || item?.json?.status !== 'completed') throw new Error(`Pause run: ${support.describeExecution(execution)}`);
		const jobId = item.json.jobId;
		const callback = sim.callbacks.find((c) => c.jobId === jobId && c.kind === 'final');
		if (!callback) throw new Error(`No callback recorded for job ${jobId}`);
		if (String(sim.jobs.get(jobId)?.body?.text ?? '').endsWith(' -1')) continue; // the warm-up
		reads += sim.requests.filter((r) => r.method === 'GET' && r.jobId === jobId).length;
		pause.push(Date.parse(execution.stoppedAt) - callback.at);
	}
	const summary = (values) => ({ n: values.length, median: median(values), p95: quantile(values, 0.95), min: Math.min(...values), max: Math.max(...values) });
	const refused = sim.callbacks.filter((c) => c.kind === 'final' && c.status !== 200).length;
	const result = { plain: summary(plain), wait: summary(resumed), pause: summary(pause), readsPerJob: reads / pause.length, refusedCallbacks: refused, spacingMs };
	return result;
}

async function n8nRows({ count = 24, spacingMs = 400 } = {}) {
	// 5 s jobs: a callback never comes before n8n has stored its execution as waiting (it would get a 409).
	const durations = () => ({ pending: 1, processing: 4 });
	const sim = await startSimulator({
		apiKeys: [API_KEY],
		timeScale: 1,
		durations,
	});
	const pack = support.packPackage();
	const ports = { port: await host.freePort([sim.port]) };
	ports.brokerPort = await host.freePort([ports.port, sim.port]);
	let n8n;
	const quietLog = () => {};
	try {
		n8n = await host.startN8n({
			packageTarball: pack.tarball,
			...ports,
			credentials: [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: sim.url } }],
			workflows: workflows(),
			log: quietLog,
		});
		for (const id of Object.values(WF)) await n8n.activateWorkflow(id);
		const result = { n8nVersion: n8n.n8nVersion, startSeconds: n8n.timings.startMs / 1000, loadAverage: [os.loadavg()[0]] };
		result.latency = await latency(n8n, sim, { count, spacingMs });
		result.loadAverage.push(os.loadavg()[0]);
		return result;
	} catch (error) {
		const callbacks = sim.callbacks.map((c) => `${c.kind} ${c.status ?? c.error} ${c.url} ${c.responseBody ?? ''}`.slice(0, 300));
		throw new Error(`${error?.stack ?? error}\ncallbacks:\n${callbacks.slice(-5).join('\n')}\nn8n log tail:\n${n8n?.logs().slice(-3000)}`);
	} finally {
		if (n8n) await n8n.stop({ keepUserFolder: false });
		fs.rmSync(pack.dir, { recursive: true, force: true });
		await sim.close();
	}
}

module.exports = { n8n: n8nRows };
