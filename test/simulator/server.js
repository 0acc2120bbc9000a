// @ts-check
'use strict';
/**
 * The Legnext API simulator: an HTTP server on loopback that plays Legnext for tests, benchmarks
 * and the demo. It checks keys and bodies like Legnext, runs jobs in simulated time (pending →
 * staged → processing → completed | failed), serves real PNG/MP4 files from signed URLs, posts
 * callbacks, enforces the per-key concurrency cap, and takes injectable faults.
 *
 *   const { startSimulator } = require('./simulator/server');
 *   const sim = await startSimulator({ apiKeys: ['k'], timeScale: 200 });
 *   // … sim.url, sim.requests, sim.jobs, sim.inject({ http500: 1 }), sim.reset() …
 *   await sim.close();
 *
 * See README.md next to this file for the options, the simulator object and the faults.
 */
const http = require('http');
const crypto = require('crypto');
const { createClock } = require('./clock');
const { ApiError, errorBody } = require('./errors');
const { ENDPOINTS, planSubmit, availableActions, DEFAULT_FOLLOW_UP_TTL_S } = require('./rules');
const { createJob, jobStatus, jobView, isTerminal, durationFor, isoTime } = require('./jobs');
const { signedUrl, answerFile } = require('./files');
const { CallbackSender } = require('./callbacks');
const { FaultState, requestKind } = require('./faults');

/** @typedef {import('./jobs').Job} Job */
/** @typedef {import('./jobs').DurationsOption} DurationsOption */
/** @typedef {import('./faults').Faults} Faults */
/** @typedef {import('./callbacks').CallbackAttempt} CallbackAttempt */

/**
 * @typedef {object} SimulatorOptions
 * @property {number} [port] 0 (default): a free port on 127.0.0.1
 * @property {string} [host] default 127.0.0.1
 * @property {string[]} [apiKeys] valid x-api-key values (default ['test-key'])
 * @property {string[]} [whitelistedKeys] keys allowed to use /edit and /upload-paint
 * @property {number} [timeScale] simulated seconds per real second (default 1)
 * @property {DurationsOption} [durations] job seconds per task type: {diffusion: {pending, processing}, …} or (taskType, job) => {pending, processing}
 * @property {number} [concurrencyLimit] non-terminal jobs per key (default 6; 0 = no cap)
 * @property {number} [callbackDelay] job seconds between a job's end and its callback (default 0)
 * @property {number | ((job: Job, index: number) => number)} [videoBytes] size of each MP4 (default 256 KiB)
 * @property {string} [fileBaseUrl] base of file URLs (default: the simulator's own URL)
 * @property {boolean | ((line: string) => void)} [log] a line per request (never the key)
 * @property {{points?: number, credits?: number, alertThreshold?: number}} [balance] starting balance of each key (default 100000 points, 3000 credits)
 * @property {number} [followUpTtl] job seconds a job can be followed up (upscale…) after it ended (default 3 days; 0 = forever)
 * @property {number} [fileTtl] real seconds file URLs stay valid (default 7 days)
 * @property {number} [maxBodyBytes] larger request bodies answer 413 (default 20 MB)
 * @property {number} [callbackTimeoutMs] real ms before a callback POST is abandoned (default 10000)
 */

/**
 * One request the simulator received (simulator.requests entries).
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {unknown} body parsed JSON, else the raw text; undefined when empty
 * @property {Record<string, string | string[] | undefined>} headers x-api-key replaced by '<redacted>'
 * @property {boolean} hasKey whether an x-api-key header was sent
 * @property {number} at real ms when it arrived
 * @property {number | undefined} status HTTP status answered (0 when the connection was dropped)
 * @property {boolean} [dropped] the connection was destroyed instead of answered
 * @property {string} [jobId] the job a submit created or a GET asked for
 */

/**
 * @typedef {object} Account
 * @property {number} id
 * @property {number} points
 * @property {number} credits
 * @property {number} alertThreshold
 * @property {boolean} whitelisted
 */

/**
 * @typedef {object} Simulator
 * @property {string} url base URL, e.g. http://127.0.0.1:PORT (API paths start with /api)
 * @property {number} port
 * @property {RecordedRequest[]} requests every request received (API and files)
 * @property {Map<string, Job>} jobs job_id → internal job record
 * @property {CallbackAttempt[]} callbacks every callback attempt
 * @property {() => number} createdJobs jobs created since start / reset
 * @property {(faults: Faults) => void} inject merge faults
 * @property {() => void} reset forget requests, jobs, callbacks, faults; restore balances
 * @property {(seconds: number) => void} advance jump simulated time ahead (jobs end, callbacks go)
 * @property {() => number} now simulated time (ms)
 * @property {(jobId: string) => Record<string, unknown> | undefined} view the Job object as GET job would show it now (no poll counted)
 * @property {() => Promise<void>} whenCallbacksSettled resolves when no callback POST is in flight
 * @property {() => Faults} faults the faults in force (remaining counts)
 * @property {string} demoKey the first API key
 * @property {() => Promise<void>} close stop the server, timers and sockets
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const FILE_PATH = /\/files\/([0-9a-fA-F-]{36})\/((?:grid|\d+)\.(?:png|mp4))$/;
const JOB_PATH = /^\/api\/v1\/job\/([^/]*)$/;

/**
 * Start a simulator.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const apiKeys = options.apiKeys ?? ['test-key'];
	const whitelisted = new Set(options.whitelistedKeys ?? []);
	const timeScale = options.timeScale ?? 1;
	const concurrencyLimit = options.concurrencyLimit ?? 6;
	const callbackDelay = options.callbackDelay ?? 0;
	const followUpTtlS = options.followUpTtl ?? DEFAULT_FOLLOW_UP_TTL_S;
	const fileTtlS = options.fileTtl ?? 7 * 24 * 3600;
	const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
	const videoBytesOption = options.videoBytes ?? 256 * 1024;
	/** @type {(job: Job, index: number) => number} */
	const videoBytes = typeof videoBytesOption === 'function' ? videoBytesOption : () => videoBytesOption;
	const log = typeof options.log === 'function' ? options.log : options.log ? (/** @type {string} */ line) => console.log(line) : undefined;

	const clock = createClock(timeScale);
	const faults = new FaultState();
	const sender = new CallbackSender({ timeoutMs: options.callbackTimeoutMs });
	const secret = crypto.randomBytes(16).toString('hex');
	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Map<string, Job>} */
	const jobs = new Map();
	/** @type {CallbackAttempt[]} */
	const callbacks = [];
	/** @type {Set<Promise<unknown>>} */
	const pendingCallbacks = new Set();
	let created = 0;
	let closed = false;

	/** @type {Map<string, Account>} key → account; the keys stay in this closure */
	const accounts = new Map();
	/** @type {Map<number, Account>} */
	const accountsById = new Map();
	function openAccounts() {
		accounts.clear();
		accountsById.clear();
		apiKeys.forEach((key, i) => {
			/** @type {Account} */
			const account = {
				id: 52 + i,
				points: options.balance?.points ?? 100_000,
				credits: options.balance?.credits ?? 3000,
				alertThreshold: options.balance?.alertThreshold ?? 10,
				whitelisted: whitelisted.has(key),
			};
			accounts.set(key, account);
			accountsById.set(account.id, account);
		});
	}
	openAccounts();

	let baseUrl = '';
	const fileBase = () => (options.fileBaseUrl ?? baseUrl).replace(/\/+$/, '');
	/** @param {Job} job */
	const fileUrlOf = (job) => (/** @type {string} */ name) => signedUrl(fileBase(), secret, job.id, name, job.expires);

	// -------------------------------------------------------------------------------------------
	// Job lifecycle

	/** Terminal accounting: a failed job gives its frozen points back. @param {Job} job */
	function settle(job) {
		if (job.settled || !isTerminal(jobStatus(job, clock.now()))) return;
		job.settled = true;
		const account = accountsById.get(job.accountId);
		if (job.willFail && account) {
			account.points += job.charge.points;
			account.credits += job.charge.credits;
		}
	}

	/**
	 * @param {Job} job
	 * @param {CallbackAttempt['kind']} kind
	 * @returns {Promise<void>}
	 */
	function postCallback(job, kind) {
		if (closed || !jobs.has(job.id)) return Promise.resolve();
		const view = jobView(job, clock.now(), fileUrlOf(job));
		/** @type {CallbackAttempt} */
		const attempt = { url: job.callback, jobId: job.id, jobStatus: String(view.status), kind, body: { timestamp: Date.now(), data: view }, at: Date.now() };
		callbacks.push(attempt);
		const sending = sender.send(attempt).then((done) => {
			log?.(`[legnext-sim] callback ${kind} ${done.jobStatus} job ${job.id} → ${done.status ?? done.error}`);
		});
		pendingCallbacks.add(sending);
		sending.finally(() => pendingCallbacks.delete(sending));
		return sending;
	}

	/** @param {Job} job */
	function schedule(job) {
		const plan = job.callbackPlan;
		if (job.callback && plan.progress && plan.mode !== 'missing') {
			job.timers.push(clock.at(job.startedAt, () => void postCallback(job, 'progress')));
		}
		job.timers.push(
			clock.at(job.endsAt, () => {
				settle(job);
				if (!job.callback || plan.mode === 'missing') return;
				const at = job.endsAt + plan.delay * 1000 + (plan.mode === 'late' ? plan.lateBy * 1000 : 0);
				job.timers.push(
					clock.at(at, () => {
						void postCallback(job, 'final').then(() => {
							if (plan.mode !== 'twice' || closed || !jobs.has(job.id)) return;
							job.timers.push(clock.at(Math.max(clock.now(), at) + 1000, () => void postCallback(job, 'duplicate')));
						});
					}),
				);
			}),
		);
	}

	/** @param {Account} account */
	function runningJobs(account) {
		const now = clock.now();
		return [...jobs.values()].filter((job) => job.accountId === account.id && !isTerminal(jobStatus(job, now)));
	}

	// -------------------------------------------------------------------------------------------
	// Endpoints

	/**
	 * @param {string} path
	 * @param {string} raw
	 * @param {Account} account
	 * @param {RecordedRequest} record
	 */
	function submit(path, raw, account, record) {
		if (raw.trim() === '') throw new ApiError(400, undefined, 'EOF: the request body is empty');
		let body;
		try {
			body = JSON.parse(raw);
		} catch (error) {
			throw new ApiError(400, undefined, `invalid JSON body: ${error instanceof Error ? error.message : String(error)}`);
		}
		const now = clock.now();
		const { plan, callback } = planSubmit(path, body, {
			now,
			followUpTtlS,
			whitelisted: account.whitelisted,
			lookup(jobId) {
				const job = jobs.get(jobId);
				if (!job || job.accountId !== account.id) return undefined;
				settle(job);
				return { id: job.id, taskType: job.taskType, status: jobStatus(job, now), plan: job.plan, actions: availableActions(job.plan), endedAt: job.endsAt };
			},
		});

		const available = account.points + account.credits;
		if (available < plan.frozen) {
			throw new ApiError(402, 'Insufficient credits', `insufficient balance: ${plan.taskType} needs ${plan.frozen} points, ${available} available`);
		}
		if (concurrencyLimit > 0) {
			const running = runningJobs(account);
			if (running.length >= concurrencyLimit) {
				const earliest = Math.min(...running.map((job) => job.endsAt));
				const waitMs = Math.max(1, Math.ceil(clock.realMsUntil(earliest)));
				throw new ApiError(429, 'Too many requests: concurrency limit reached', `concurrency limit reached: ${running.length} of ${concurrencyLimit} jobs are running`, {
					'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
					'x-retry-after-ms': String(waitMs),
				});
			}
		}

		const fromPoints = Math.min(account.points, plan.frozen);
		const charge = { points: fromPoints, credits: plan.frozen - fromPoints };
		account.points -= charge.points;
		account.credits -= charge.credits;

		const current = faults.current;
		const willFail = faults.takeJobFailure(body, { path, taskType: plan.taskType });
		const job = createJob({
			accountId: account.id,
			path,
			body,
			plan,
			callback,
			now,
			duration: durationFor(options.durations, plan.taskType, { taskType: plan.taskType, body, plan }),
			willFail,
			failWith: current.failWith,
			callbackPlan: { mode: current.callbacks ?? 'normal', delay: callbackDelay, lateBy: current.lateBy ?? 30, progress: Boolean(current.progressCallbacks) },
			unknownStatus: current.unknownStatus,
			unknownPolls: current.unknownStatusPolls,
			charge,
			fileTtlS,
		});
		jobs.set(job.id, job);
		created++;
		record.jobId = job.id;
		schedule(job);
		// The submit answer always shows the job as just queued.
		return jobView(job, now, fileUrlOf(job), 'pending');
	}

	/**
	 * @param {string} rawId
	 * @param {Account} account
	 * @param {RecordedRequest} record
	 */
	function getJob(rawId, account, record) {
		let id;
		try {
			id = decodeURIComponent(rawId).toLowerCase();
		} catch {
			id = rawId;
		}
		const job = jobs.get(id);
		if (!job || job.accountId !== account.id) throw new ApiError(404, 'job not found', 'job not found');
		record.jobId = job.id;
		settle(job);
		job.polls++;
		let override;
		if (job.unknownPolls > 0 && job.unknownStatus) {
			job.unknownPolls--;
			override = job.unknownStatus;
		}
		return jobView(job, clock.now(), fileUrlOf(job), override);
	}

	/** @param {Account} account */
	function balance(account) {
		const usd = Math.round(account.points + account.credits) / 1000;
		return {
			code: 200,
			message: 'success',
			data: {
				account_id: account.id,
				balance_usd: usd,
				available_credits: account.credits,
				available_points: account.points,
				alert_threshold: account.alertThreshold,
				low_balance_alert: usd < account.alertThreshold,
				updated_at: new Date(clock.now()).toISOString(),
			},
		};
	}

	// -------------------------------------------------------------------------------------------
	// HTTP

	/**
	 * @param {http.IncomingMessage} req
	 * @returns {Promise<{raw: Buffer, tooLarge: boolean}>}
	 */
	function readBody(req) {
		return new Promise((resolve, reject) => {
			/** @type {Buffer[]} */
			const chunks = [];
			let size = 0;
			let tooLarge = false;
			req.on('data', (/** @type {Buffer} */ chunk) => {
				size += chunk.length;
				if (size > maxBodyBytes) tooLarge = true;
				else chunks.push(chunk);
			});
			req.on('end', () => resolve({ raw: Buffer.concat(chunks), tooLarge }));
			req.on('error', reject);
		});
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const arrived = Date.now();
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const { raw, tooLarge } = await readBody(req);
		const text = raw.toString('utf8');
		/** @type {unknown} */
		let recordedBody;
		if (tooLarge) recordedBody = `<more than ${maxBodyBytes} bytes>`;
		else if (text.length > 0) {
			try {
				recordedBody = JSON.parse(text);
			} catch {
				recordedBody = text;
			}
		}
		const headers = { ...req.headers };
		const apiKey = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
		if ('x-api-key' in headers) headers['x-api-key'] = '<redacted>';
		if ('authorization' in headers) headers.authorization = '<redacted>';
		/** @type {RecordedRequest} */
		const record = {
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			body: recordedBody,
			headers,
			hasKey: apiKey !== undefined,
			at: arrived,
			status: undefined,
		};
		requests.push(record);
		let drop = false;

		/**
		 * @param {number} status
		 * @param {Record<string, string>} head
		 * @param {Buffer | string | import('stream').Readable} body
		 */
		const send = (status, head, body) => {
			const go = () => {
				if (res.writableEnded || res.destroyed) return;
				if (drop) {
					record.status = 0;
					record.dropped = true;
					if (typeof body === 'object' && 'destroy' in body && typeof body.destroy === 'function' && !Buffer.isBuffer(body)) body.destroy();
					req.socket.destroy();
					log?.(`[legnext-sim] ${method} ${path} → connection dropped`);
					return;
				}
				record.status = status;
				log?.(`[legnext-sim] ${method} ${path} → ${status} (${Date.now() - arrived} ms)`);
				if (typeof body === 'string' || Buffer.isBuffer(body)) {
					const bytes = typeof body === 'string' ? Buffer.from(body) : body;
					res.writeHead(status, { 'content-length': String(bytes.length), ...head });
					res.end(method === 'HEAD' ? undefined : bytes);
				} else {
					res.writeHead(status, head);
					if (method === 'HEAD') {
						body.destroy();
						res.end();
					} else {
						body.on('error', () => res.destroy());
						res.on('close', () => body.destroy());
						body.pipe(res);
					}
				}
			};
			const delay = faults.current.slowResponses ?? 0;
			if (delay > 0) clock.afterReal(delay, go);
			else go();
		};
		/** @param {number} status @param {unknown} json @param {Record<string, string>} [head] */
		const sendJson = (status, json, head = {}) => send(status, { 'content-type': JSON_TYPE, ...head }, JSON.stringify(json));
		/** @param {ApiError} error */
		const sendError = (error) => sendJson(error.status, error.body(), error.headers);

		const kind = requestKind(method, path);

		/** Faults that answer before the request is handled; true when one did. */
		const answeredByFault = () => {
			if (faults.take('dropBeforeCreate', kind)) {
				record.status = 0;
				record.dropped = true;
				req.socket.destroy();
				return true;
			}
			const status = faults.takeStatus(kind);
			if (status) {
				/** @type {Record<string, string>} */
				const head = {};
				if (status.retryAfter !== undefined) {
					head['retry-after'] = String(status.retryAfter);
					head['x-retry-after-ms'] = String(Math.round(status.retryAfter * 1000));
				}
				sendJson(status.code, errorBody(status.code, status.message, status.rawMessage, status.detail ?? null), head);
				return true;
			}
			if (faults.take('http500', kind)) {
				sendJson(500, errorBody(500, 'Internal server error', 'internal server error: upstream task service unavailable'));
				return true;
			}
			if (faults.take('dropConnection', kind)) drop = true;
			return false;
		};
		const nonJson = () => {
			if (!faults.take('nonJson', kind)) return false;
			send(502, { 'content-type': 'text/html' }, '<html>Bad Gateway</html>');
			return true;
		};

		// Files: the CDN, no key needed.
		const file = FILE_PATH.exec(path);
		if (kind === 'files') {
			if (!file || (method !== 'GET' && method !== 'HEAD')) {
				send(404, { 'content-type': 'text/plain; charset=utf-8' }, '404 page not found');
				return;
			}
			if (nonJson() || answeredByFault()) return;
			const answer = answerFile({
				jobId: file[1].toLowerCase(),
				name: file[2],
				query: url.searchParams,
				range: typeof req.headers.range === 'string' ? req.headers.range : undefined,
				jobs,
				now: clock.now(),
				secret,
				expired: Boolean(faults.current.expireFiles),
				videoBytes,
			});
			send(answer.status, answer.headers, answer.body);
			return;
		}

		// The API: route first (an unknown route is Go's plain 404), then key, then faults.
		const jobMatch = JOB_PATH.exec(path);
		/** @type {(account: Account) => unknown} */
		let route;
		if (method === 'POST' && ENDPOINTS[path]) route = (account) => submit(path, text, account, record);
		else if (method === 'GET' && jobMatch) route = (account) => getJob(jobMatch[1], account, record);
		else if (method === 'GET' && path === '/api/account/balance') route = (account) => balance(account);
		else {
			send(404, { 'content-type': 'text/plain; charset=utf-8' }, '404 page not found');
			return;
		}

		if (nonJson()) return;
		const account = apiKey === undefined ? undefined : accounts.get(apiKey);
		if (!account) {
			sendJson(401, errorBody(401, 'Failed to verify api key', 'Failed to verify api key'));
			return;
		}
		if (answeredByFault()) return;
		if (tooLarge) {
			sendError(new ApiError(413, 'Payload too large', `request body is larger than ${maxBodyBytes} bytes`));
			return;
		}
		try {
			sendJson(200, route(account));
		} catch (error) {
			if (error instanceof ApiError) sendError(error);
			else {
				log?.(`[legnext-sim] internal error: ${error instanceof Error ? error.stack : String(error)}`);
				sendJson(500, errorBody(500, 'Internal server error', `simulator bug: ${error instanceof Error ? error.message : String(error)}`));
			}
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			log?.(`[legnext-sim] request failed: ${error instanceof Error ? error.message : String(error)}`);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'content-type': JSON_TYPE });
				res.end(JSON.stringify(errorBody(500, 'Internal server error')));
			}
		});
	});
	server.keepAliveTimeout = 5000;
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => socket.destroy());

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	baseUrl = `http://${host}:${address.port}`;

	/** @type {Simulator} */
	const simulator = {
		url: baseUrl,
		port: address.port,
		requests,
		jobs,
		callbacks,
		demoKey: apiKeys[0],
		createdJobs: () => created,
		inject: (newFaults) => faults.inject(newFaults),
		faults: () => faults.current,
		reset() {
			for (const job of jobs.values()) for (const timer of job.timers) clock.cancel(timer);
			sender.abortAll();
			requests.length = 0;
			callbacks.length = 0;
			jobs.clear();
			faults.reset();
			created = 0;
			openAccounts();
		},
		advance: (seconds) => clock.advance(seconds),
		now: () => clock.now(),
		view(jobId) {
			const job = jobs.get(jobId);
			if (!job) return undefined;
			settle(job);
			return jobView(job, clock.now(), fileUrlOf(job));
		},
		async whenCallbacksSettled() {
			while (pendingCallbacks.size > 0) await Promise.allSettled([...pendingCallbacks]);
		},
		async close() {
			if (closed) return;
			closed = true;
			clock.clearAll();
			sender.close();
			const stopped = new Promise((resolve) => server.close(() => resolve(undefined)));
			server.closeAllConnections();
			for (const socket of sockets) socket.destroy();
			await stopped;
		},
	};
	return simulator;
}

module.exports = { startSimulator, isoTime };
