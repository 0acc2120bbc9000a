// @ts-check
'use strict';
/**
 * The Legnext API simulator: an HTTP server on loopback that plays Legnext for tests, benchmarks
 * and the demo. It checks keys and bodies like Legnext, runs jobs in simulated time (pending →
 * staged → processing → completed | failed), serves real PNG/MP4 files from signed URLs, posts
 * callbacks, enforces the per-key concurrency cap, and takes injectable faults.
 *
 *   const { startSimulator } = require('./harness/simulator/server');
 *   const sim = await startSimulator({ apiKeys: ['k'], timeScale: 200 });
 *   // … sim.url, sim.requests, sim.jobs, sim.inject({ http500: 1 }), sim.reset() …
 *   await sim.close();
 *
 * See README.md next to this file for the options, the simulator object and the faults. This file
 * receives and routes requests and builds the simulator object; what Legnext does with a request is
 * in endpoints.js (rules*.js, jobs.js, accounts.js, lifecycle.js), the faults around it in
 * fault-answers.js (faults.js), the sending in reply.js, the CDN in files.js.
 */
const http = require('http');
const crypto = require('crypto');
const { createClock } = require('./clock');
const { ApiError, errorBody } = require('./errors');
const { ENDPOINTS, DEFAULT_FOLLOW_UP_TTL_S } = require('./rules');
const { jobView, isoTime } = require('./jobs');
const { signedUrl, cdnUrl, cdnFile, answerFile } = require('./files');
const { CallbackSender } = require('./callbacks');
const { FaultState, requestKind } = require('./faults');
const { createAccounts } = require('./accounts');
const { createLifecycle } = require('./lifecycle');
const { createEndpoints } = require('./endpoints');
const { createReply, JSON_TYPE } = require('./reply');
const { answerOutage, answerNonJson, answerBeforeHandling, answerRefusal } = require('./fault-answers');
const { multipartBoundary, parseMultipart } = require('./multipart');

/** @typedef {import('./jobs').Job} Job */
/** @typedef {import('./jobs').DurationsOption} DurationsOption */
/** @typedef {import('./faults').Faults} Faults */
/** @typedef {import('./callbacks').CallbackAttempt} CallbackAttempt */
/** @typedef {import('./accounts').Account} Account */

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
 * @property {number} [fileTtl] real seconds a job's files (and its signed links) last (default 30 days: the docs' output-storage page)
 * @property {number} [maxBodyBytes] larger request bodies answer 413 (default 20 MB)
 * @property {number} [callbackTimeoutMs] real ms before a callback POST is abandoned (default 10000)
 * @property {string | Record<string, string>} [webhookSecret] the account's webhook secret (one for every key, or per key): callbacks are signed with it
 * @property {(shape: import('./prices').PriceShape, published: number) => number | undefined} [prices] what the account is charged for a request shape instead of the pricing page's price (undefined: the page's)
 * @property {'uuid' | 'numeric'} [jobIdFormat] job IDs: UUIDs (default) or numeric like `1868588555208310784`
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
 * @typedef {object} Simulator
 * @property {string} url base URL, e.g. http://127.0.0.1:PORT (API paths start with /api)
 * @property {number} port
 * @property {RecordedRequest[]} requests every request received (API and files)
 * @property {Map<string, Job>} jobs job_id → internal job record
 * @property {CallbackAttempt[]} callbacks every callback attempt
 * @property {import('./input-images').ImageFetch[]} imageFetches every input image fetched (./input-images.js)
 * @property {() => number} createdJobs jobs created since start / reset
 * @property {(faults: Faults) => void} inject merge faults
 * @property {() => void} reset forget requests, jobs, callbacks, faults; restore balances
 * @property {(seconds: number) => void} advance jump simulated time ahead (jobs end, callbacks go)
 * @property {() => number} now simulated time (ms)
 * @property {(jobId: string) => Record<string, unknown> | undefined} view the Job object as GET job would show it now (no poll counted)
 * @property {(options?: {withinSeconds?: number}) => Promise<void>} whenCallbacksSettled resolves when no callback POST is in flight
 *   nor due (within `withinSeconds` of job time)
 * @property {() => Faults} faults the faults in force (remaining counts)
 * @property {string} demoKey the first API key
 * @property {() => Promise<void>} close stop the server, timers and sockets
 */

const FILE_PATH = /\/files\/([0-9A-Za-z-]{1,64})\/((?:grid|\d+)\.(?:png|mp4))$/;
const JOB_PATH = /^\/api\/v1\/job\/([^/]*)$/;
const PLAIN_404 = { 'content-type': 'text/plain; charset=utf-8' };

/**
 * @param {http.IncomingMessage} req
 * @param {number} maxBodyBytes
 * @returns {Promise<{raw: Buffer, tooLarge: boolean}>}
 */
function readBody(req, maxBodyBytes) {
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

/** The body as recorded: parsed JSON, else the text; undefined when empty. @param {string} text */
function parsedOrText(text) {
	if (text.length === 0) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * Start a simulator.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const apiKeys = options.apiKeys ?? ['test-key'];
	const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
	const videoBytesOption = options.videoBytes ?? 256 * 1024;
	/** @type {(job: Job, index: number) => number} */
	const videoBytes = typeof videoBytesOption === 'function' ? videoBytesOption : () => videoBytesOption;
	const log = typeof options.log === 'function' ? options.log : options.log ? (/** @type {string} */ line) => console.log(line) : undefined;

	const clock = createClock(options.timeScale ?? 1);
	const faults = new FaultState(() => clock.now());
	const sender = new CallbackSender({ timeoutMs: options.callbackTimeoutMs });
	const secret = crypto.randomBytes(16).toString('hex');
	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Map<string, Job>} */
	const jobs = new Map();
	/** @type {CallbackAttempt[]} */
	const callbacks = [];
	/** @type {import('./input-images').ImageFetch[]} */
	const imageFetches = [];
	let closed = false;

	let baseUrl = '';
	const fileBase = () => (options.fileBaseUrl ?? baseUrl).replace(/\/+$/, '');
	/** @param {Job} job */
	const fileUrlOf = (job) => (/** @type {string} */ name) =>
		job.fileLinks === 'cdn' ? cdnUrl(fileBase(), job.id, name) : signedUrl(fileBase(), secret, job.id, name, job.expires);

	const accounts = createAccounts({
		apiKeys,
		whitelistedKeys: options.whitelistedKeys,
		balance: options.balance,
		webhookSecret: options.webhookSecret,
		concurrencyLimit: options.concurrencyLimit ?? 6,
		clock,
		jobs,
	});
	const lifecycle = createLifecycle({ clock, jobs, accounts, sender, callbacks, fileUrlOf, isClosed: () => closed, log });
	const endpoints = createEndpoints({
		clock,
		jobs,
		accounts,
		faults,
		lifecycle,
		fileUrlOf,
		settings: {
			durations: options.durations,
			callbackDelay: options.callbackDelay ?? 0,
			followUpTtlS: options.followUpTtl ?? DEFAULT_FOLLOW_UP_TTL_S,
			fileTtlS: options.fileTtl ?? 30 * 24 * 3600,
			prices: options.prices,
			jobIdFormat: options.jobIdFormat,
			fetchImages: options.fetchImages ?? true,
		},
		imageFetches,
	});

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const arrived = Date.now();
		const url = new URL(req.url ?? '/', 'http://simulator.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const { raw, tooLarge } = await readBody(req, maxBodyBytes);
		const text = raw.toString('utf8');
		const headers = { ...req.headers };
		const apiKey = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
		if ('x-api-key' in headers) headers['x-api-key'] = '<redacted>';
		if ('authorization' in headers) headers.authorization = '<redacted>';
		// A multipart body (Upload Paint, as Legnext publishes it) is recorded and handled as its fields.
		const boundary = multipartBoundary(req.headers['content-type']);
		/** @type {Record<string, unknown> | undefined} */
		let form;
		let formError;
		if (boundary && !tooLarge) {
			try {
				form = parseMultipart(raw, boundary);
			} catch (error) {
				formError = error instanceof Error ? error.message : String(error);
			}
		}
		/** @type {RecordedRequest} */
		const record = {
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			body: tooLarge ? `<more than ${maxBodyBytes} bytes>` : (form ?? parsedOrText(text)),
			headers,
			hasKey: apiKey !== undefined,
			at: arrived,
			status: undefined,
		};
		requests.push(record);
		const reply = createReply({ req, res, record, arrived, faults, clock, log });
		const kind = requestKind(method, path);
		if (answerOutage(faults, kind, reply)) return;

		// Files: the CDN, no key needed.
		const signedFile = FILE_PATH.exec(path);
		const file = signedFile ? { jobId: signedFile[1].toLowerCase(), name: signedFile[2] } : cdnFile(path);
		if (kind === 'files') {
			if (!file || (method !== 'GET' && method !== 'HEAD')) return reply.send(404, PLAIN_404, '404 page not found');
			if (answerNonJson(faults, kind, reply) || answerBeforeHandling(faults, kind, reply)) return;
			const answer = answerFile({
				jobId: file.jobId,
				name: file.name,
				unsigned: !signedFile,
				query: url.searchParams,
				range: typeof req.headers.range === 'string' ? req.headers.range : undefined,
				jobs,
				now: clock.now(),
				secret,
				expired: Boolean(faults.current.expireFiles),
				videoBytes,
			});
			return reply.send(answer.status, answer.headers, answer.body);
		}

		// The API: route first (an unknown route is Go's plain 404), then key, then faults.
		const jobMatch = JOB_PATH.exec(path);
		/** @type {(account: Account) => unknown} */
		let route;
		if (method === 'POST' && ENDPOINTS[path]) route = (account) => endpoints.submit(path, text, account, record, form);
		else if (method === 'GET' && jobMatch) route = (account) => endpoints.getJob(jobMatch[1], account, record);
		else if (method === 'GET' && path === '/api/account/balance') route = (account) => accounts.balanceAnswer(account);
		// A Legnext without the endpoint (fault `activeTasks: 'missing'`) answers Go's plain 404, as for any unknown route.
		else if (method === 'GET' && path === '/api/account/active_tasks' && faults.current.activeTasks !== 'missing') {
			route = (account) => accounts.activeTasksAnswer(account, faults.current.activeTasksShape);
		}
		else return reply.send(404, PLAIN_404, '404 page not found');

		if (answerNonJson(faults, kind, reply)) return;
		const account = apiKey === undefined ? undefined : accounts.byKey(apiKey);
		if (!account) return reply.sendErrorBody(errorBody(401, 'Failed to verify api key', ''));
		if (answerBeforeHandling(faults, kind, reply)) return;
		if (tooLarge) return reply.sendError(new ApiError(413, 'Payload too large', `request body is larger than ${maxBodyBytes} bytes`));
		if (formError) return reply.sendError(new ApiError(400, undefined, `invalid multipart body: ${formError}`));
		if (method === 'POST' && answerRefusal(faults, record.body, { path, taskType: ENDPOINTS[path].taskType }, reply)) return;
		try {
			reply.sendJson(200, await route(account));
		} catch (error) {
			if (error instanceof ApiError) reply.sendError(error);
			else {
				log?.(`[legnext-sim] internal error: ${error instanceof Error ? error.stack : String(error)}`);
				reply.sendErrorBody(errorBody(500, 'Internal server error', `simulator bug: ${error instanceof Error ? error.message : String(error)}`));
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
		imageFetches,
		demoKey: apiKeys[0],
		createdJobs: endpoints.createdJobs,
		inject: (newFaults) => faults.inject(newFaults),
		faults: () => faults.current,
		reset() {
			lifecycle.cancelAll();
			sender.abortAll();
			requests.length = 0;
			callbacks.length = 0;
			imageFetches.length = 0;
			jobs.clear();
			faults.reset();
			endpoints.resetCount();
			accounts.open();
		},
		advance: (seconds) => clock.advance(seconds),
		now: () => clock.now(),
		view(jobId) {
			const job = jobs.get(jobId);
			if (!job) return undefined;
			accounts.settle(job);
			return jobView(job, clock.now(), fileUrlOf(job));
		},
		whenCallbacksSettled: lifecycle.whenCallbacksSettled,
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
