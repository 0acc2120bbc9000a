'use strict';
// n8n in queue mode on this machine: Postgres and Redis (services.js), a main process (start.js's
// startN8n, which also imports, installs the package, signs the owner in), two workers and a webhook
// processor, each process with its own user folder holding the package, ports and log.
//
//   const q = await startQueue({ packageTarball, credentials, workflows });
//   q.main (startN8n's object: API, REST), q.webhook.baseUrl, q.workers[i].{logs, stop, kill}
//   await q.stop();
//
// Every process gets the same N8N_ENCRYPTION_KEY, EXECUTIONS_MODE=queue, Postgres and Redis, and
// N8N_WEBHOOK_URL pointing at the webhook processor (the URL a worker hands Legnext for callbacks and
// resumes). Main keeps serving production webhooks too (mainWebhooks: false turns that off with
// N8N_DISABLE_PRODUCTION_MAIN_PROCESS), so a test can call both. Binary data: n8n's default in
// queue mode (`database`), as the filesystem one is not shared between processes.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { spawnSupervised, endChild, tail, delay } = require('./supervise');
const { startN8n, freePort } = require('./start');
const { httpRequest } = require('./client');
const { startPostgres, startRedis, serversMissing } = require('./services');

/** An n8n process besides main (`worker`, `webhook`): started, awaited until its readiness URL says 200. */
async function startProcess({ name, command, args = [], main, env, readyUrl, readyTimeoutMs = 120000 }) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `legnext-n8n-${name}-`));
	// The package as n8n installed it for main: a copy, as each machine of a cluster has its own.
	fs.cpSync(path.join(main.userFolder, '.n8n', 'nodes'), path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	const logFile = path.join(userFolder, `n8n-${name}.log`);
	const fullEnv = { ...main.env, N8N_USER_FOLDER: userFolder, ...env };
	const fd = fs.openSync(logFile, 'a');
	let proc;
	try {
		proc = spawnSupervised(main.nodeBin, [main.n8nBin, command, ...args], { cwd: userFolder, env: fullEnv, logFd: fd });
	} finally {
		fs.closeSync(fd);
	}
	let exitInfo;
	const exited = proc.exited.catch((error) => ({ code: null, signal: error.message }));
	exited.then((info) => (exitInfo = info));
	const deadline = Date.now() + readyTimeoutMs;
	for (;;) {
		if (exitInfo) throw new Error(`n8n ${command} (${name}) exited during start (code ${exitInfo.code})\n${tail(logFile, 30)}`);
		if (Date.now() > deadline) throw new Error(`n8n ${command} (${name}) not ready after ${readyTimeoutMs / 1000} s\n${tail(logFile, 30)}`);
		const ok = await httpRequest(readyUrl, { timeoutMs: 2000 }).then((r) => r.status === 200, () => false);
		if (ok) break;
		await delay(500);
	}
	const logs = () => {
		try {
			return fs.readFileSync(logFile, 'utf8');
		} catch {
			return '';
		}
	};
	return {
		name,
		pid: proc.child.pid,
		userFolder,
		logFile,
		logs,
		exited,
		/** Whether this process's log says it ran execution `id` (workers log "Worker started execution <id>"). */
		ranExecution: (id) => new RegExp(`Worker started execution ${id}\\b`).test(logs()),
		/** A clean stop (n8n's graceful shutdown). */
		stop: async () => {
			await endChild(proc.child, proc.exited);
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
		/** The machine dies: SIGKILL for the whole process group, nothing finishes. */
		kill: async () => {
			try {
				process.kill(-proc.child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
			await exited;
		},
	};
}

/**
 * Starts Postgres, Redis, main (with `options` as for startN8n: packageTarball, credentials,
 * workflows, activate, env, version...), `workers` workers (default 2, `workerConcurrency` each,
 * default 10) and a webhook processor. Returns {main, workers, webhook, startWorker, startWebhook, stop, timings}.
 */
async function startQueue(options = {}) {
	const missing = serversMissing();
	if (missing) throw new Error(`Queue mode needs Postgres and Redis: ${missing}`);
	const log = options.log || ((line) => process.stderr.write(`${line}\n`));
	const t0 = Date.now();
	const servicesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-queue-services-'));
	fs.chmodSync(servicesDir, 0o755); // Postgres runs as its own user and must reach its folder
	const queue = { workers: [], webhook: null, main: null, postgres: null, redis: null };
	let workerCount = 0;

	queue.stop = async () => {
		// n8n's processes first (they hold connections), then the servers.
		await Promise.all([...queue.workers, queue.webhook].filter(Boolean).map((p) => p.stop().catch(() => {})));
		if (queue.main) await queue.main.stop().catch(() => {});
		if (queue.redis) await queue.redis.stop().catch(() => {});
		if (queue.postgres) await queue.postgres.stop().catch(() => {});
		fs.rmSync(servicesDir, { recursive: true, force: true });
	};

	try {
		const taken = [];
		const port = async () => {
			const p = await freePort(taken);
			taken.push(p);
			return p;
		};
		[queue.postgres, queue.redis] = await Promise.all([
			port().then((p) => startPostgres({ dir: path.join(servicesDir, 'postgres'), port: p })),
			port().then((p) => startRedis({ dir: path.join(servicesDir, 'redis'), port: p })),
		]);
		const servicesMs = Date.now() - t0;
		log(`[n8n-host] Postgres on ${queue.postgres.port}, Redis on ${queue.redis.port} (${servicesMs} ms)`);

		const mainPort = Number(options.port) || (await port());
		const webhookPort = Number(options.webhookPort) || (await port());
		const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
		const common = {
			...queue.postgres.env,
			...queue.redis.env,
			EXECUTIONS_MODE: 'queue',
			N8N_ENCRYPTION_KEY: options.encryptionKey || crypto.randomBytes(24).toString('hex'),
			N8N_WEBHOOK_URL: `${webhookBaseUrl}/`,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: options.mainWebhooks === false ? 'true' : 'false',
			...(options.env || {}),
		};
		queue.main = await startN8n({ ...options, port: mainPort, brokerPort: await port(), env: common, log });
		queue.startWorker = async () => {
			const n = ++workerCount;
			const healthPort = await port();
			const worker = await startProcess({
				name: `worker${n}`,
				command: 'worker',
				args: [`--concurrency=${options.workerConcurrency || 10}`],
				main: queue.main,
				env: { QUEUE_HEALTH_CHECK_PORT: healthPort, N8N_PORT: await port(), N8N_RUNNERS_BROKER_PORT: await port() },
				readyUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
			});
			queue.workers.push(worker);
			return worker;
		};
		const startWebhook = async () => {
			queue.webhook = await startProcess({
				name: 'webhook',
				command: 'webhook',
				main: queue.main,
				env: { N8N_PORT: webhookPort, N8N_RUNNERS_BROKER_PORT: await port() },
				readyUrl: `${webhookBaseUrl}/healthz/readiness`,
			});
			queue.webhook.baseUrl = webhookBaseUrl;
			queue.webhook.webhookUrl = `${webhookBaseUrl}/webhook/`;
		};
		// A webhook processor again on the same port, after `queue.webhook.stop()` (a restart).
		queue.startWebhook = startWebhook;
		const workers = options.workers ?? 2;
		await Promise.all([startWebhook(), ...Array.from({ length: workers }, () => queue.startWorker())]);
		queue.timings = { servicesMs, startMs: Date.now() - t0 };
		log(`[n8n-host] queue mode ready after ${Math.round(queue.timings.startMs / 1000)} s: main ${queue.main.baseUrl}, webhook processor ${webhookBaseUrl}, ${workers} workers`);
		return queue;
	} catch (error) {
		await queue.stop().catch(() => {});
		throw error;
	}
}

module.exports = { startQueue, serversMissing };
