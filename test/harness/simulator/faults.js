// @ts-check
'use strict';
/**
 * Injectable faults. `inject()` merges; counted faults (`http500: 2`) are used up one matching
 * request at a time. A fault aims at requests by kind: `submit` (POST /api/v1/…), `job`
 * (GET /api/v1/job/…), `balance`, `all` (any API request; the default) or `files` (file downloads,
 * only when asked). Outages (`unreachable`, `unavailable`) last a number of requests, a stretch
 * of job time from the inject, or both (whichever runs out first).
 */

/** @typedef {'submit' | 'job' | 'balance' | 'all' | 'api' | 'files'} Target */
/** @typedef {'submit' | 'job' | 'balance' | 'other' | 'files'} RequestKind */

/**
 * @typedef {object} StatusFault
 * @property {number} code HTTP status (and body code)
 * @property {number} [count] how many requests (default 1)
 * @property {Target} [on] which requests (default `all`)
 * @property {number} [retryAfter] Retry-After header, seconds
 * @property {string} [message]
 * @property {string} [rawMessage]
 * @property {unknown} [detail]
 */

/**
 * @typedef {object} OutageFault
 * @property {Target} [on] which requests (default `all`)
 * @property {number} [forSeconds] job seconds from the inject it lasts (`advance()` and `timeScale` count)
 * @property {number} [count] how many matching requests it takes
 * @property {number} [retryAfter] `unavailable` only: Retry-After header, seconds
 * @property {string} [message] `unavailable` only
 * @property {string} [rawMessage] `unavailable` only
 * @property {number} [until] job time (ms) it ends, set by inject
 */

/**
 * @typedef {object} RefuseSubmitFault
 * @property {number | number[]} [nth] refuse the n-th submit (1-based) counted from the inject
 * @property {(body: unknown, info: {path: string, taskType: string}) => boolean} [when] refuse submits whose body matches
 * @property {number} [count] refuse at most this many (default: every one that matches)
 * @property {number} [code] HTTP status and body code (default 403)
 * @property {string | ((body: any) => string)} [message] or made from the submit's body (an echo of the request)
 * @property {string | ((body: any) => string)} [rawMessage] likewise
 * @property {number} [seen] submits counted so far (set by the simulator)
 */

/**
 * @typedef {object} Faults
 * @property {number} [failJobs] the next n created jobs end `failed`
 * @property {(body: unknown, info: {path: string, taskType: string}) => boolean} [failJobsWhen] jobs whose body matches end `failed`
 * @property {Partial<import('./jobs').JobError>} [failWith] override the failed jobs' error
 * @property {number} [http500] the next n matching requests answer 500
 * @property {Target} [http500On]
 * @property {StatusFault} [status] the next `count` matching requests answer `code`
 * @property {number} [nonJson] the next n matching requests answer 502 with an HTML page
 * @property {Target} [nonJsonOn]
 * @property {number} [dropConnection] the next n matching requests: handled (a submit creates its job), then the socket is destroyed
 * @property {Target} [dropConnectionOn]
 * @property {number} [dropBeforeCreate] the next n matching requests: socket destroyed before anything is done
 * @property {Target} [dropBeforeCreateOn]
 * @property {number} [slowResponses] delay every answer by this many real ms
 * @property {'normal' | 'missing' | 'twice' | 'late'} [callbacks] how callbacks of jobs created from now on go
 * @property {number} [lateBy] job seconds a `late` callback is late by (default 30)
 * @property {boolean} [progressCallbacks] also send a `processing` callback
 * @property {boolean} [expireFiles] file URLs answer 403 AccessDenied "Request has expired"
 * @property {string} [unknownStatus] jobs created from now on show this status to their first polls
 * @property {number} [unknownStatusPolls] how many polls see it (default 2)
 * @property {OutageFault} [unreachable] matching requests: the socket is destroyed at once, nothing answered
 * @property {OutageFault} [unavailable] matching requests answer 503 Service unavailable
 * @property {RefuseSubmitFault} [refuseSubmit] chosen submits answer an error; the others go on
 * @property {number} [cancelJobs] the next n created jobs end canceled (their points given back)
 * @property {(body: unknown, info: {path: string, taskType: string}) => boolean} [cancelJobsWhen] jobs whose body matches end canceled
 * @property {Partial<import('./jobs').JobError>} [cancelWith] override the canceled jobs' error (their reason)
 * @property {'canceled' | 'cancelled'} [cancelStatus] how canceled jobs spell their status (default `canceled`)
 * @property {string} [runningStatus] what jobs created from now on show instead of `processing` (e.g. `generating`)
 * @property {'refuse' | 'queue'} [overLimit] submits past the account's concurrency limit: 429 (the docs, default) or accepted and `queued` for a slot (the skills reference)
 * @property {'available' | 'missing'} [activeTasks] GET /api/account/active_tasks answers (default) or is an unknown route (404)
 * @property {'bare' | 'wrapped'} [activeTasksShape] its answer as the schema (default) or wrapped in `{code, message, data}` like the balance
 * @property {'imgUrls' | 'base64Array'} [blendShape] the Blend body this Legnext takes from now on: `imgUrls` + `aspect_ratio` (OpenAPI, default) or `base64Array` + `dimension` (docs' API reference)
 * @property {'zeroTime' | 'empty'} [pendingShape] jobs created from now on, before they end: Go's zero times (default) or `meta.*_at: ""` and per-operation empty outputs (Describe `prompts: []`, videos `video_urls: null`)
 * @property {'signed' | 'cdn'} [fileLinks] file links of jobs created from now on: signed `?Expires=…` (September 2025 examples) or unsigned `…/mj/<job>_<n>.png` (October 2025 on)
 * @property {'docs' | 'webapp'} [statusSpelling] running states of jobs created from now on: `pending`/`staged`/`processing` (docs, OpenAPI) or `queued`/`running` (web app)
 * @property {'underscore' | 'hyphen'} [taskTypeSpelling] task_type of jobs created from now on: `video_diffusion` (docs) or `video-diffusion` (SDKs)
 * @property {ErrorShape} [errorShape] the shape of every API error answer from now on (default: flat, or the error's own)
 * @property {'valid' | 'wrong' | 'stale' | 'missing' | 'bodyOnly'} [callbackSignature] with a `webhookSecret`: how callbacks of jobs created from now on are signed
 * @property {number} [staleBy] real seconds a `stale` signature's timestamp is old (default 3600)
 * @property {string} [callbackContentType] content-type of callbacks of jobs created from now on (default application/json)
 * @property {'wrapped' | 'bare'} [callbackShape] `{timestamp, data: Job}` (Legnext's web app, default) or the bare Job (the Python SDK)
 */

/** @typedef {'flat' | 'nested' | 'job'} ErrorShape see errors.js */

const KNOWN = new Set([
	'failJobs', 'failJobsWhen', 'failWith', 'http500', 'http500On', 'status', 'nonJson', 'nonJsonOn', 'dropConnection',
	'dropConnectionOn', 'dropBeforeCreate', 'dropBeforeCreateOn', 'slowResponses', 'callbacks', 'lateBy', 'progressCallbacks',
	'expireFiles', 'unknownStatus', 'unknownStatusPolls', 'unreachable', 'unavailable', 'refuseSubmit',
	'cancelJobs', 'cancelJobsWhen', 'cancelWith', 'cancelStatus', 'runningStatus', 'statusSpelling', 'fileLinks', 'overLimit', 'pendingShape', 'blendShape', 'activeTasks', 'activeTasksShape', 'taskTypeSpelling', 'errorShape',
	'callbackSignature', 'staleBy', 'callbackContentType', 'callbackShape',
]);
/** Faults whose value must be one of a list. */
const CHOICES = /** @type {Record<string, string[]>} */ ({
	cancelStatus: ['canceled', 'cancelled'],
	statusSpelling: ['docs', 'webapp'],
	fileLinks: ['signed', 'cdn'],
	overLimit: ['refuse', 'queue'],
	pendingShape: ['zeroTime', 'empty'],
	blendShape: ['imgUrls', 'base64Array'],
	activeTasks: ['available', 'missing'],
	activeTasksShape: ['bare', 'wrapped'],
	taskTypeSpelling: ['underscore', 'hyphen'],
	errorShape: ['flat', 'nested', 'job'],
	callbackSignature: ['valid', 'wrong', 'stale', 'missing', 'bodyOnly'],
	callbackShape: ['wrapped', 'bare'],
});
const TARGETS = new Set(['submit', 'job', 'balance', 'all', 'api', 'files']);
const CALLBACK_MODES = new Set(['normal', 'missing', 'twice', 'late']);

/**
 * @param {string} method
 * @param {string} path
 * @returns {RequestKind}
 */
function requestKind(method, path) {
	if (path.startsWith('/api/v1/job/')) return 'job';
	if (path === '/api/account/balance') return 'balance';
	if (method === 'POST' && path.startsWith('/api/v1/')) return 'submit';
	if (path.startsWith('/api/')) return 'other';
	return 'files';
}

/**
 * @param {Target | undefined} target
 * @param {RequestKind} kind
 */
function aims(target, kind) {
	const t = target ?? 'all';
	if (kind === 'files') return t === 'files';
	return t === 'all' || t === 'api' || t === kind;
}

/**
 * @param {string} name
 * @param {OutageFault} value
 * @param {number} now job time (ms)
 * @returns {OutageFault}
 */
function outage(name, value, now) {
	if (value.on !== undefined && !TARGETS.has(value.on)) throw new Error(`${name}.on must be one of ${[...TARGETS].join(', ')}`);
	if (value.forSeconds === undefined && value.count === undefined) throw new Error(`${name} needs forSeconds, count or both`);
	if (value.forSeconds !== undefined && !(value.forSeconds >= 0)) throw new Error(`${name}.forSeconds must be >= 0`);
	return { ...value, until: value.forSeconds === undefined ? undefined : now + value.forSeconds * 1000 };
}

/**
 * @param {RefuseSubmitFault} value
 * @returns {RefuseSubmitFault}
 */
function refusal(value) {
	if (value.nth === undefined && typeof value.when !== 'function') throw new Error('refuseSubmit needs nth, when or both');
	const code = value.code ?? 403;
	if (!Number.isInteger(code) || code < 400 || code > 599) throw new Error('refuseSubmit.code must be an HTTP error status');
	return { ...value, code, seen: 0 };
}

class FaultState {
	/** @param {() => number} [now] job time (ms), for outages measured in job time */
	constructor(now = Date.now) {
		this.now = now;
		/** @type {Faults} */
		this.current = {};
	}

	/**
	 * Merge faults (a later value replaces an earlier one).
	 * @param {Faults} faults
	 */
	inject(faults) {
		for (const [name, entry] of Object.entries(faults ?? {})) {
			/** @type {any} checked below, one fault at a time */
			const value = entry;
			if (!KNOWN.has(name)) throw new Error(`Unknown simulator fault "${name}". Known: ${[...KNOWN].join(', ')}`);
			if (name.endsWith('On') && value !== undefined && !TARGETS.has(value)) throw new Error(`${name} must be one of ${[...TARGETS].join(', ')}`);
			if (name === 'callbacks' && value !== undefined && !CALLBACK_MODES.has(value)) throw new Error(`callbacks must be one of ${[...CALLBACK_MODES].join(', ')}`);
			if (CHOICES[name] && value !== undefined && !CHOICES[name].includes(value)) throw new Error(`${name} must be one of ${CHOICES[name].join(', ')}`);
			if (name === 'status' && value) {
				if (!Number.isInteger(value.code) || value.code < 100 || value.code > 599) throw new Error('status.code must be an HTTP status');
				if (value.on !== undefined && !TARGETS.has(value.on)) throw new Error(`status.on must be one of ${[...TARGETS].join(', ')}`);
				/** @type {Record<string, unknown>} */ (this.current).status = { count: 1, ...value };
				continue;
			}
			if ((name === 'unreachable' || name === 'unavailable') && value) {
				this.current[name] = outage(name, value, this.now());
				continue;
			}
			if (name === 'refuseSubmit' && value) {
				this.current.refuseSubmit = refusal(value);
				continue;
			}
			/** @type {Record<string, unknown>} */ (this.current)[name] = value;
		}
	}

	reset() {
		this.current = {};
	}

	/**
	 * Use up one count of a counted fault if it aims at this request.
	 * @param {'http500' | 'nonJson' | 'dropConnection' | 'dropBeforeCreate'} name
	 * @param {RequestKind} kind
	 */
	take(name, kind) {
		const left = this.current[name] ?? 0;
		if (left <= 0) return false;
		const target = /** @type {Target | undefined} */ (this.current[/** @type {keyof Faults} */ (`${name}On`)]);
		if (!aims(target, kind)) return false;
		this.current[name] = left - 1;
		return true;
	}

	/**
	 * Use up one count of the `status` fault if it aims at this request.
	 * @param {RequestKind} kind
	 * @returns {StatusFault | undefined}
	 */
	takeStatus(kind) {
		const fault = this.current.status;
		if (!fault || (fault.count ?? 1) <= 0 || !aims(fault.on, kind)) return undefined;
		fault.count = (fault.count ?? 1) - 1;
		return fault;
	}

	/**
	 * The outage in force for this request, if any (uses up one of its count).
	 * @param {'unreachable' | 'unavailable'} name
	 * @param {RequestKind} kind
	 * @returns {OutageFault | undefined}
	 */
	takeOutage(name, kind) {
		const fault = this.current[name];
		if (!fault || !aims(fault.on, kind)) return undefined;
		if (fault.until !== undefined && this.now() >= fault.until) return undefined;
		if (fault.count !== undefined) {
			if (fault.count <= 0) return undefined;
			fault.count--;
		}
		return fault;
	}

	/**
	 * Counts a submit that reached the handler; the refusal when it is one of those chosen.
	 * @param {unknown} body parsed JSON (or the raw text)
	 * @param {{path: string, taskType: string}} info
	 * @returns {RefuseSubmitFault | undefined}
	 */
	takeRefusal(body, info) {
		const fault = this.current.refuseSubmit;
		if (!fault) return undefined;
		fault.seen = (fault.seen ?? 0) + 1;
		if (fault.count !== undefined && fault.count <= 0) return undefined;
		const nth = fault.nth === undefined ? [] : [fault.nth].flat();
		let chosen = nth.includes(fault.seen);
		if (!chosen && typeof fault.when === 'function') {
			try {
				chosen = Boolean(fault.when(body, info));
			} catch {
				chosen = false;
			}
		}
		if (!chosen) return undefined;
		if (fault.count !== undefined) fault.count--;
		return fault;
	}

	/**
	 * Whether a job about to be created ends canceled (uses up one `cancelJobs`).
	 * @param {unknown} body
	 * @param {{path: string, taskType: string}} info
	 */
	takeJobCancel(body, info) {
		if ((this.current.cancelJobs ?? 0) > 0) {
			this.current.cancelJobs = /** @type {number} */ (this.current.cancelJobs) - 1;
			return true;
		}
		const when = this.current.cancelJobsWhen;
		if (typeof when !== 'function') return false;
		try {
			return Boolean(when(body, info));
		} catch {
			return false;
		}
	}

	/**
	 * Whether a job about to be created fails (uses up one `failJobs`).
	 * @param {unknown} body
	 * @param {{path: string, taskType: string}} info
	 */
	takeJobFailure(body, info) {
		if ((this.current.failJobs ?? 0) > 0) {
			this.current.failJobs = /** @type {number} */ (this.current.failJobs) - 1;
			return true;
		}
		const when = this.current.failJobsWhen;
		if (typeof when === 'function') {
			try {
				return Boolean(when(body, info));
			} catch {
				return false;
			}
		}
		return false;
	}
}

module.exports = { FaultState, requestKind, aims };
