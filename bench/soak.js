#!/usr/bin/env node
'use strict';
/**
 * A day in queue mode (issue 33): Postgres, Redis, a main, 2 workers and a webhook processor
 * (scripts/n8n-host/queue.js, as the queue e2e test starts them), a day's traffic of executions of 10
 * prompts in compressed time, mixed Poll Until Done, Pause Until Callback and Don't Wait + Legnext
 * Trigger over several simulated accounts, with faults: 1 % 5xx answers, 2 % failed jobs, callbacks
 * repeated or lost, one worker killed (SIGKILL) and the webhook processor restarted mid-run. Then
 * the same soak with n8n's Set node in the Legnext node's place, for the processes' memory.
 *
 *   npm run bench:soak -- [--minutes 6.5] [--executions 250] [--accounts 5] [--account-cap 24] [--only legnext|set] [--seed 33]
 *                          [--probe] [--n8n-env N8N_EXPRESSION_ENGINE=legacy,…]
 *
 * --minutes is the traffic's day (after 18 % more for the warm-up and the night before; then up to 4 minutes for
 * the last executions to end).
 * Prints the table; writes bench-output/soak.json. Needs Debian's postgresql and redis-server, and the
 * n8n the e2e tests install (about 5 minutes the first time). Not in CI, not in npm test.
 */
const fs = require('node:fs');
const path = require('node:path');

const support = require('../test/harness/e2e/support');
const { startQueue, serversMissing } = require('../scripts/n8n-host/queue');
const { httpRequest } = require('../scripts/n8n-host/client');
const { startSimulator } = require('../test/harness/simulator/server');
const { soakWorkflows, credentials, workflowId, hookOf, KINDS, PAUSE_LIMIT_MINUTES } = require('./soak/workflows');
const { dayArrivals, failsJob, playFaults, seeded } = require('./soak/traffic');
const { sampleMemory, meanBetween, cpuBetween, heapBetween, settleAll } = require('./soak/memory');
const { books } = require('./soak/count');
const { soakTables } = require('./soak/table');

const arg = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
};
const settings = {
	minutes: Number(arg('minutes', 6.5)),
	// Over 200 in the day itself (the warm-up and the night before take about 50).
	executions: Number(arg('executions', 250)),
	accounts: Number(arg('accounts', 5)),
	seed: Number(arg('seed', 33)),
	prompts: 10,
	// Short jobs: 1 s queued, 2–4 s running (the day is compressed; the node's own waits are not).
	jobSeconds: [3, 5],
	// Running jobs per account (Legnext's cap; a plan above the standard 6).
	// 24: the accounts keep up with noon, so that the day's work follows its traffic (with 12, noon's
	// jobs waited for slots and ran into the evening: docs/benchmark.md).
	accountCap: Number(arg('account-cap', 24)),
	// Before the day, in shares of it: the day before's busiest hour (noon's pace), then the end of its
	// night; the first quarter then follows a busy day as the last does (bench/soak/traffic.js).
	warmUp: 0.08,
	nightBefore: 0.1,
	killWorkerAt: 0.4,
	// At midday, so that the starts it held back (sent again once it is back) land in the third quarter:
	// at 65 % they doubled the last quarter's executions, and the quarters compared for memory were no
	// longer alike in traffic.
	restartWebhookAt: 0.5,
	drainMinutes: 4,
};
const only = arg('only');
// --probe: n8n's own view of its memory (bench/memory/probe.js) and a full GC in each process at the end
// of the day's first quarter, at the end of its traffic and after the drain: what each process retains.
const probe = process.argv.includes('--probe');
// --n8n-env A=1,B=2: more environment for every n8n process (e.g. MALLOC_ARENA_MAX, N8N_EXPRESSION_ENGINE).
const n8nEnv = Object.fromEntries(
	String(arg('n8n-env', ''))
		.split(',')
		.filter(Boolean)
		.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const log = (line) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (account) => `soak-key-account-${account}-7f3a9c`;
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

function durations(_taskType, job) {
	const [low, high] = settings.jobSeconds;
	const seconds = low + (parseInt(String(job.body?.text ?? '').replace(/\D/g, '').slice(-3) || '0', 10) % (high - low + 1));
	return { pending: 1, processing: seconds - 1 };
}

/** Starts one execution through the webhook processor; waits out its restart (refused, 404, 503: nothing started). */
async function startExecution(queue, url, body) {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const answer = await httpRequest(url(), { method: 'POST', body, timeoutMs: 30_000 }).catch((error) => ({ status: 0, error }));
		if (answer.status === 200) return true;
		// Only a refused connection is certain to have started nothing (fetch puts the reason in `cause`).
		const refused = answer.status === 0 && (answer.error?.cause?.code ?? answer.error?.code) === 'ECONNREFUSED';
		// n8n answers 404 (no such webhook: nothing ran) for a moment after a webhook processor's start, before its webhooks are loaded.
		if (!refused && answer.status !== 503 && answer.status !== 404) throw new Error(`start ${url()}: ${answer.status} ${answer.text ?? answer.error?.message ?? ''}`);
		if (Date.now() > deadline) return false;
		await delay(1000);
	}
}

async function soak({ reference, pack }) {
	const ms = settings.minutes * 60_000;
	const simulator = await startSimulator({
		apiKeys: Array.from({ length: settings.accounts }, (_, n) => keyOf(n + 1)),
		timeScale: 1,
		durations,
		concurrencyLimit: settings.accountCap,
		balance: { credits: 10_000_000, points: 0 },
		log: false,
	});
	simulator.inject({ failJobsWhen: failsJob });
	const webhookPort = await support.host.freePort([simulator.port]);
	const name = reference ? 'set' : 'legnext';
	const probeFile = path.join(__dirname, '..', 'bench-output', `soak-${name}-probe.jsonl`);
	fs.mkdirSync(path.dirname(probeFile), { recursive: true });
	fs.rmSync(probeFile, { force: true });
	// Every n8n process writes its own view of its memory every 3 s (bench/memory/probe.js): the heap
	// table splits the RSS with it. --probe adds the full GCs (SIGUSR2).
	const probeEnv = {
		NODE_OPTIONS: `--require ${path.join(__dirname, 'memory', 'probe.js')}`,
		LEGNEXT_MEMPROBE_FILE: probeFile,
		LEGNEXT_MEMPROBE_MS: '3000',
		...(probe ? { LEGNEXT_MEMPROBE_SETTLE: '1' } : {}),
	};
	const workflows = soakWorkflows({ accounts: settings.accounts, reference });
	const queue = await startQueue({
		packageTarball: pack.tarball,
		webhookPort,
		credentials: credentials(settings.accounts, keyOf, simulator.url),
		workflows,
		log,
		env: {
			// A killed worker's execution is found within seconds (n8n's defaults: hours), as in test/queue.
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			...probeEnv,
			...n8nEnv,
		},
	});
	const events = [];
	const settled = [];
	const prompts = [];
	const starts = [];
	try {
		for (const workflow of workflows) await queue.main.activateWorkflow(workflow.id);
		const roles = { main: queue.main.pid, worker1: queue.workers[0].pid, worker2: queue.workers[1].pid, webhook: queue.webhook.pid };
		const lead = settings.nightBefore * ms;
		const warmUp = settings.warmUp * ms;
		// The day's midnight: times below are ms from it (the warm-up and the night before are negative).
		const t0 = Date.now() + warmUp + lead;
		const memory = sampleMemory(() => roles, { origin: t0 });
		const random = seeded(settings.seed);
		const faults = playFaults(simulator, { calmAfterMs: warmUp + lead + ms - (PAUSE_LIMIT_MINUTES + 1.2) * 60_000, random });
		const arrivals = dayArrivals(settings.executions, ms, { leadMs: lead, warmUpMs: warmUp });
		const at = (fraction) => t0 + fraction * ms;
		const settle = (label) => {
			if (probe) settled.push({ label, t: Date.now() - t0, at: Date.now(), pids: settleAll(roles) });
		};
		if (probe) delay(at(0.25) - Date.now()).then(() => settle('first quarter'));
		const chores = (async () => {
			await delay(at(settings.killWorkerAt) - Date.now());
			log(`${name}: SIGKILL worker1 (pid ${queue.workers[0].pid})`);
			events.push({ t: Date.now() - t0, what: 'worker1 SIGKILLed' });
			await queue.workers[0].kill();
			const replacement = await queue.startWorker();
			roles.worker3 = replacement.pid;
			events.push({ t: Date.now() - t0, what: 'worker3 started in its place' });
			await delay(at(settings.restartWebhookAt) - Date.now());
			log(`${name}: restarting the webhook processor`);
			events.push({ t: Date.now() - t0, what: 'webhook processor stopped' });
			delete roles.webhook;
			await queue.webhook.stop();
			await queue.startWebhook();
			roles['webhook (restarted)'] = queue.webhook.pid;
			events.push({ t: Date.now() - t0, what: 'webhook processor started again' });
		})();
		let refusedStarts = 0;
		const starts = arrivals.map(async (offset, n) => {
			await delay(t0 + offset - Date.now());
			const kind = KINDS[n % KINDS.length];
			const account = 1 + (Math.floor(n / KINDS.length) % settings.accounts);
			const batch = Array.from({ length: settings.prompts }, (_, m) => ({ tag: `soak e${n} p${m}`, kind, execution: n }));
			prompts.push(...batch);
			const start = { n, workflowId: workflowId(kind, account), answered: false };
			starts.push(start);
			// --draft (Midjourney v7's Draft Mode, up to 10 × faster): the jobs here are short, and so the node's
			// schedule expects them (a first check about 10 s after the submit, not 25 s as for a Fast job). With
			// Fast prompts a Poll execution held its worker 48 s for 5-second jobs, and noon's work ran on into the
			// evening quarter that the memory compares with the morning's.
			const body = { prompts: batch.map((prompt) => ({ p: `${prompt.tag} a lighthouse at dawn --v 7 --draft` })) };
			const ok = await startExecution(queue, () => `${queue.webhook.webhookUrl}${hookOf(kind, account)}`, body).catch((error) => {
				log(`execution ${n}: ${error.message}`);
				return false;
			});
			start.answered = ok;
			if (!ok) refusedStarts++;
			if (n % 25 === 0) log(`${name}: ${n + 1}/${arrivals.length} executions started`);
		});
		await Promise.all([...starts, chores]);
		const trafficEnd = Date.now();
		settle('traffic end');
		log(`${name}: all ${arrivals.length} started; waiting for the last to end`);
		const ids = workflows.map((w) => w.id);
		let quiet = 0;
		while (Date.now() - trafficEnd < settings.drainMinutes * 60_000 && quiet < 3) {
			await delay(5000);
			const all = (await Promise.all(ids.map((id) => queue.main.listExecutions(id, { limit: 5000 })))).flat();
			const open = all.filter((e) => !FINISHED.has(e.status)).length;
			quiet = open === 0 ? quiet + 1 : 0;
			log(`${name}: ${all.length} executions, ${open} not ended`);
		}
		settle('drained');
		if (probe) await delay(5000);
		faults.stop();
		memory.stop();
		const drained = Date.now() - t0;
		const executions = [];
		for (const id of ids) {
			for (const summary of await queue.main.listExecutions(id, { limit: 5000 })) executions.push(await queue.main.getExecution(summary.id));
		}
		const account = books({ simulator, executions, prompts, starts });
		// What each execution showed, for reading the books again (bench-output/soak-<name>-executions.json).
		const dir = path.join(__dirname, '..', 'bench-output');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, `soak-${name}-executions.json`), JSON.stringify(executions));
		// Executions (the Legnext Trigger's too) n8n started in each quarter of the day: the memory's quarters compare alike traffic.
		const startedIn = [0, 0, 0, 0];
		for (const execution of executions) {
			const quarter = Math.floor((Date.parse(execution.startedAt) - t0) / (ms / 4));
			if (quarter >= 0 && quarter < 4) startedIn[quarter]++;
		}
		// And the jobs Legnext made in each (the simulator's clock runs in real time here): its accounts'
		// caps push a busy midday's jobs later, so alike starts need not mean alike work.
		const jobsIn = [0, 0, 0, 0];
		for (const job of simulator.jobs.values()) {
			const quarter = Math.floor((job.createdAt - t0) / (ms / 4));
			if (quarter >= 0 && quarter < 4) jobsIn[quarter]++;
		}
		// The work in hand: executions running (started, not stopped; a paused one counts while it waits) on average in each quarter.
		const inFlight = [0, 0, 0, 0];
		for (const execution of executions) {
			// An execution n8n ended crashed before it ran has no start.
			if (!execution.startedAt) continue;
			const [from, to] = [Date.parse(execution.startedAt) - t0, Date.parse(execution.stoppedAt ?? execution.startedAt) - t0];
			for (let q = 0; q < 4; q++) inFlight[q] += Math.max(0, Math.min(to, ((q + 1) * ms) / 4) - Math.max(from, (q * ms) / 4)) / (ms / 4);
		}
		const quarters = {
			startedIn,
			jobsIn,
			inFlight: inFlight.map((value) => Math.round(value * 10) / 10),
			// CPU each process used in each quarter (1 = a whole core): the machine has 2.
			cpu: [0, 1, 2, 3].map((q) => cpuBetween(memory.samples, (q * ms) / 4, ((q + 1) * ms) / 4)),
			first: meanBetween(memory.samples, 0, ms / 4),
			last: meanBetween(memory.samples, (3 * ms) / 4, ms),
			peak: memory.samples.reduce((peak, { role, mb }) => ({ ...peak, [role]: Math.max(peak[role] ?? 0, mb) }), {}),
			// The last 30 s before the books are read: the day's traffic over, the last executions ended.
			end: meanBetween(memory.samples, drained - 30_000, drained + 1),
			// What of the RSS is V8's heap, used and committed, in the same quarters (n8n's own samples).
			heap: { first: heapBetween(probeFile, memory.n8nPids, t0, 0, ms / 4), last: heapBetween(probeFile, memory.n8nPids, t0, (3 * ms) / 4, ms) },
		};
		const left = probe ? retained(probeFile, settled) : undefined;
		return { name, retained: left, executionsStarted: arrivals.length - refusedStarts, refusedStarts, events, faults: faults.played, ...account, memory: quarters, samples: memory.samples };
	} finally {
		await queue.stop().catch(() => {});
		await simulator.close().catch(() => {});
	}
}

/** --probe: each process's heap and RSS after each full GC, MB, by role and moment. */
function retained(file, settled) {
	const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
	const after = lines.filter((line) => line.settled);
	const mb = (bytes) => Math.round(bytes / 2 ** 20);
	return settled.map(({ label, t, at, pids }) => ({
		label,
		t,
		processes: Object.fromEntries(
			Object.entries(pids).map(([role, pid]) => {
				const line = after.find((entry) => entry.pid === pid && entry.t >= at - 1000);
				return [role, line ? { heapMb: mb(line.heapUsed), rssMb: mb(line.rss), externalMb: mb(line.external) } : undefined];
			}),
		),
	}));
}

async function main() {
	const missing = serversMissing();
	if (missing) throw new Error(`The soak needs Postgres and Redis: ${missing}`);
	const started = Date.now();
	const pack = support.packPackage();
	const results = { settings: { ...settings, n8nEnv }, date: new Date().toISOString() };
	try {
		for (const reference of [false, true]) {
			const name = reference ? 'set' : 'legnext';
			if (only && only !== name) continue;
			log(`${name}: starting queue mode`);
			results[name] = await soak({ reference, pack });
		}
	} finally {
		fs.rmSync(pack.dir, { recursive: true, force: true });
	}
	results.seconds = (Date.now() - started) / 1000;
	const dir = path.join(__dirname, '..', 'bench-output');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'soak.json'), `${JSON.stringify(results, null, 2)}\n`);
	console.log(soakTables(results));
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error?.stack ?? error);
		process.exit(1);
	},
);
