// @ts-check
'use strict';
/**
 * Jobs: the internal record, the lifecycle computed from job time
 * (pending → staged → processing → completed | failed), and the Job object as Legnext shows it,
 * shaped exactly like the examples in shared/seeds/.
 */
const crypto = require('crypto');
const { availableActions } = require('./rules');
const { seed32 } = require('./media');
const { textOutput } = require('./text-output');

/** Go's zero time: how Legnext shows a time that has not happened yet. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
/**
 * Statuses after which a job never changes: the docs' `completed` and `failed`, and `canceled`, which
 * Legnext's web app knows (types/api.ts); `cancelled` is the other spelling a client may meet.
 */
const TERMINAL = new Set(['completed', 'failed', 'canceled', 'cancelled']);

/** @typedef {import('./rules').Plan} Plan */
/** @typedef {{pending: number, processing: number}} Duration simulated seconds */
/**
 * Job seconds: `{pending, processing}`, or one number (the whole job, pending included).
 * @typedef {Partial<Duration> | number} DurationChoice
 */
/** @typedef {Record<string, DurationChoice> | ((taskType: string, job: {taskType: string, body: unknown, plan: Plan}) => DurationChoice | undefined)} DurationsOption */
/** @typedef {{code: number, message: string, raw_message: string, detail: unknown}} JobError */

/**
 * Typical durations (job seconds), from the ranges in legnext-api.md: middle of each range.
 * @type {Record<string, Duration>}
 */
const DEFAULT_DURATIONS = {
	diffusion: { pending: 3, processing: 57 }, // 30–90 s
	variation: { pending: 3, processing: 72 }, // 60–90 s
	reroll: { pending: 3, processing: 72 },
	blend: { pending: 3, processing: 72 },
	upscale: { pending: 3, processing: 102 }, // 90–120 s
	inpaint: { pending: 3, processing: 102 },
	outpaint: { pending: 3, processing: 102 },
	pan: { pending: 3, processing: 102 },
	remix: { pending: 3, processing: 102 },
	edit: { pending: 3, processing: 102 },
	upload_paint: { pending: 3, processing: 102 },
	describe: { pending: 2, processing: 43 }, // 30–60 s
	shorten: { pending: 2, processing: 28 }, // 20–40 s
	enhance: { pending: 3, processing: 72 },
	retexture: { pending: 3, processing: 72 },
	remove_background: { pending: 2, processing: 20 },
	enhance_upscale: { pending: 3, processing: 60 },
	video_diffusion: { pending: 5, processing: 235 }, // 3–5 min
	extend_video: { pending: 5, processing: 235 },
	video_upscale: { pending: 5, processing: 295 }, // 4–6 min
};

/**
 * Midjourney's speed flags in a job's prompt, applied to the per-task-type durations (defaults or a
 * `durations` table; a `durations` function's answer is taken as is). legnext-api.md and the seeds
 * say nothing of speed, so the figures are Midjourney's own claims: `--draft` (V7 Draft Mode)
 * renders about 10x faster; `--turbo` is about 4x faster than fast mode. `--fast` is the default.
 * `--relax` is "not available" on Legnext (its site): such a job runs as a fast one (ASSUMPTION).
 */
const SPEED = {
	draft: { processing: 0.1 },
	turbo: { processing: 0.25 },
};
const SPEED_FLAG = /(?:^|\s)--(turbo|relax|fast)(?=\s|$)/gi;
const DRAFT_FLAG = /(?:^|\s)--draft(?=\s|$)/i;

/**
 * @param {Duration} duration
 * @param {Plan} plan
 * @returns {Duration}
 */
function atPromptSpeed(duration, plan) {
	if (plan.output === 'text') return duration; // describe / shorten read a prompt, they do not render it
	let { pending, processing } = duration;
	if (DRAFT_FLAG.test(plan.prompt)) processing *= SPEED.draft.processing;
	// The last speed flag wins, as Midjourney reads its parameters.
	const mode = [...plan.prompt.matchAll(SPEED_FLAG)].pop()?.[1]?.toLowerCase();
	if (mode === 'turbo') processing *= SPEED.turbo.processing;
	return { pending, processing };
}

/**
 * @param {DurationChoice | undefined} choice
 * @param {Duration} base what a part left out takes
 * @returns {Duration}
 */
function durationOf(choice, base) {
	if (typeof choice === 'number') {
		const pending = Math.min(base.pending, choice / 10);
		return { pending, processing: choice - pending };
	}
	return { pending: Number(choice?.pending ?? base.pending), processing: Number(choice?.processing ?? base.processing) };
}

/**
 * How callbacks go for one job (a snapshot of the faults when it was created).
 * @typedef {object} CallbackPlan
 * @property {'normal' | 'missing' | 'twice' | 'late'} mode
 * @property {number} delay job seconds between the end and the callback
 * @property {number} lateBy extra job seconds for `late`
 * @property {boolean} progress also send a `processing` callback
 * @property {string} [secret] the account's webhook secret: callbacks are signed (callbacks.js)
 * @property {'valid' | 'wrong' | 'stale' | 'missing' | 'bodyOnly'} signature how they are signed
 * @property {number} staleBy real seconds a `stale` timestamp is old
 * @property {string} contentType
 * @property {'wrapped' | 'bare'} shape `{timestamp, data: Job}` or the Job alone
 */

/**
 * The simulator's record of a job (simulator.jobs values).
 * @typedef {object} Job
 * @property {string} id job_id
 * @property {number} accountId the account (API key) that owns it; the key itself is never stored here
 * @property {string} taskType
 * @property {string} path endpoint it was submitted to
 * @property {unknown} body the request body as received
 * @property {Plan} plan what it produces
 * @property {string} callback callback URL, '' if none
 * @property {number} createdAt job time (ms)
 * @property {number} admittedAt job time it got a slot under the account's limit (before it: `queued`)
 * @property {number} stagedAt job time it shows `staged`
 * @property {number} startedAt job time it shows `processing`
 * @property {number} endsAt job time it becomes terminal
 * @property {boolean} willFail ends `failed` (or canceled, when `willCancel`): its points are given back
 * @property {boolean} willCancel ends `canceled` (spelled `cancelStatus`)
 * @property {'canceled' | 'cancelled'} cancelStatus
 * @property {JobError} failure the error it fails (or is canceled) with
 * @property {string} runningStatus what `processing` is called (`generating` with the fault `runningStatus`)
 * @property {'zeroTime' | 'empty'} pendingShape how a job not ended shows its times and output (fault `pendingShape`)
 * @property {'signed' | 'cdn'} fileLinks the style of its file links (fault `fileLinks`)
 * @property {'docs' | 'webapp'} statusSpelling how running states are spelled (fault `statusSpelling`)
 * @property {string} shownTaskType task_type as shown (hyphens with the fault `taskTypeSpelling: 'hyphen'`)
 * @property {{points: number, credits: number}} charge what was frozen from the account
 * @property {boolean} settled terminal accounting done
 * @property {string | undefined} unknownStatus status shown to the first polls (fault `unknownStatus`)
 * @property {number} unknownPolls polls left that see `unknownStatus`
 * @property {CallbackPlan} callbackPlan
 * @property {number} expires file URLs' Expires (unix seconds, real time)
 * @property {string} seed
 * @property {number} polls GET job requests served for it
 * @property {Array<import('./clock').SimTimer>} timers
 */

/** @param {number} ms */
function isoTime(ms) {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A new job's durations: a `durations` function's answer exactly (a number is the whole job);
 * else the table's entry (or `default`) or the built-in one, at the prompt's speed.
 * @param {DurationsOption | undefined} option
 * @param {string} taskType
 * @param {{taskType: string, body: unknown, plan: Plan}} job
 * @returns {Duration}
 */
function durationFor(option, taskType, job) {
	const base = DEFAULT_DURATIONS[taskType] ?? { pending: 3, processing: 60 };
	const exact = typeof option === 'function' ? option(taskType, job) : undefined;
	const duration =
		exact !== undefined
			? durationOf(exact, base)
			: atPromptSpeed(durationOf(typeof option === 'object' ? option[taskType] ?? option.default : undefined, base), job.plan);
	if (!(duration.pending >= 0) || !(duration.processing >= 0)) throw new Error(`durations for ${taskType} must be >= 0 seconds`);
	return duration;
}

/**
 * @param {Plan} plan
 * @param {Partial<JobError> | undefined} override
 * @returns {JobError}
 */
function failureFor(plan, override) {
	const what = plan.output === 'videos' ? 'Video generation' : plan.output === 'text' ? 'Prompt analysis' : 'Image generation';
	return {
		code: 10001,
		message: `${what} failed: banned prompt`,
		raw_message: 'banned prompt detected: the prompt violates the content policy',
		detail: null,
		...override,
	};
}

/**
 * The error a canceled job shows. Legnext documents no cancel: ASSUMPTION, a reason in `error` as a
 * failed job has one.
 * @param {Partial<JobError> | undefined} override
 * @returns {JobError}
 */
function cancelFor(override) {
	return { code: 10002, message: 'Job canceled', raw_message: 'the task was canceled by the service before it finished', detail: null, ...override };
}

/**
 * @param {object} args
 * @param {number} args.accountId
 * @param {string} args.path
 * @param {unknown} args.body
 * @param {Plan} args.plan
 * @param {string | undefined} args.callback
 * @param {number} args.now job time (ms)
 * @param {number} [args.admittedAt] job time it gets a slot under the account's limit (default `now`); until then `queued`
 * @param {Duration} args.duration
 * @param {boolean} args.willFail
 * @param {Partial<JobError>} [args.failWith]
 * @param {{status: 'canceled' | 'cancelled', with?: Partial<JobError>}} [args.cancel] the job ends canceled
 * @param {string} [args.runningStatus] default `processing`
 * @param {'zeroTime' | 'empty'} [args.pendingShape] a job not ended: Go's zero times, or `""` times and per-operation empty outputs
 * @param {'signed' | 'cdn'} [args.fileLinks] signed `?Expires=…&Signature=…` links (default) or unsigned CDN links `…/mj/<job>_<n>.png`
 * @param {'docs' | 'webapp'} [args.statusSpelling] running states as the docs spell them (`pending`/`staged`/`processing`) or the web app (`queued`/`running`)
 * @param {'underscore' | 'hyphen'} [args.taskTypeSpelling] default `underscore` (the docs' examples)
 * @param {string} [args.id] the job's ID (default a UUID)
 * @param {CallbackPlan} args.callbackPlan
 * @param {string} [args.unknownStatus]
 * @param {number} [args.unknownPolls]
 * @param {{points: number, credits: number}} args.charge
 * @param {number} args.fileTtlS
 * @returns {Job}
 */
function createJob(args) {
	const id = args.id ?? crypto.randomUUID();
	const willFail = args.willFail || args.cancel !== undefined;
	const pendingMs = args.duration.pending * 1000;
	const processingMs = args.duration.processing * 1000;
	// Queued past the account's limit, a job's own pending starts when it gets its slot.
	const admittedAt = Math.max(args.now, args.admittedAt ?? args.now);
	const startedAt = admittedAt + pendingMs;
	// A failing job gives up part-way through processing.
	const endsAt = startedAt + (willFail ? processingMs * 0.4 : processingMs);
	return {
		id,
		accountId: args.accountId,
		taskType: args.plan.taskType,
		path: args.path,
		body: args.body,
		plan: args.plan,
		callback: args.callback ?? '',
		createdAt: args.now,
		admittedAt,
		stagedAt: admittedAt + pendingMs * 0.75,
		startedAt,
		endsAt,
		willFail,
		willCancel: args.cancel !== undefined,
		cancelStatus: args.cancel?.status ?? 'canceled',
		failure: args.cancel ? cancelFor(args.cancel.with) : failureFor(args.plan, args.failWith),
		runningStatus: args.runningStatus ?? 'processing',
		statusSpelling: args.statusSpelling ?? 'docs',
		fileLinks: args.fileLinks ?? 'signed',
		pendingShape: args.pendingShape ?? 'zeroTime',
		shownTaskType: args.taskTypeSpelling === 'hyphen' ? args.plan.taskType.replace(/_/g, '-') : args.plan.taskType,
		charge: args.charge,
		settled: false,
		unknownStatus: args.unknownStatus,
		unknownPolls: args.unknownStatus ? (args.unknownPolls ?? 2) : 0,
		callbackPlan: args.callbackPlan,
		expires: Math.floor(Date.now() / 1000 + args.fileTtlS),
		seed: args.plan.seed ?? String(seed32(`seed/${id}`)),
		polls: 0,
		timers: [],
	};
}

/**
 * The job's status at job time `now`.
 * @param {Job} job
 * @param {number} now
 */
function jobStatus(job, now) {
	if (now < job.admittedAt) return 'queued';
	if (now < job.stagedAt) return 'pending';
	if (now < job.startedAt) return 'staged';
	if (now < job.endsAt) return job.runningStatus;
	if (job.willCancel) return job.cancelStatus;
	return job.willFail ? 'failed' : 'completed';
}

/** The web app's words for the running states (`types` of leggiemint/Legnext-frontend): not started `queued`, then `running`. */
const WEBAPP_SPELLING = /** @type {Record<string, string>} */ ({ pending: 'queued', staged: 'queued', processing: 'running' });
const NOT_STARTED = new Set(['pending', 'staged', 'queued']);

/**
 * A status as this job shows it: the docs' spelling, or the web app's with `statusSpelling: 'webapp'`.
 * @param {Job} job
 * @param {string} status
 */
function spelled(job, status) {
	return job.statusSpelling === 'webapp' ? (WEBAPP_SPELLING[status] ?? status) : status;
}

/** @param {string} status */
function isTerminal(status) {
	return TERMINAL.has(status);
}

/**
 * File names a finished job serves: `grid.png` and `0.png`…`3.png`, `0.png`, or `0.mp4`….
 * @param {Job} job
 * @returns {string[]}
 */
function jobFileNames(job) {
	const { output, count } = job.plan;
	const range = Array.from({ length: count }, (_, n) => n);
	if (output === 'images') return ['grid.png', ...range.map((n) => `${n}.png`)];
	if (output === 'image') return range.map((n) => `${n}.png`);
	if (output === 'videos') return range.map((n) => `${n}.mp4`);
	return [];
}

/**
 * The Job object as Legnext returns it (submit answer, GET job, callback `data`).
 * @param {Job} job
 * @param {number} now job time (ms)
 * @param {(name: string) => string} fileUrl signed URL of one of the job's files
 * @param {string} [statusOverride] shown instead of the real status (fault `unknownStatus`)
 */
function jobView(job, now, fileUrl, statusOverride) {
	const real = jobStatus(job, now);
	const status = spelled(job, statusOverride ?? real);
	const terminal = isTerminal(status);
	const started = !NOT_STARTED.has(status) && now >= job.startedAt;
	const canceled = status === 'canceled' || status === 'cancelled';
	// Before it ends: the placeholders of the job's kind; the docs' Describe and video upscale pages
	// show `prompts: []` and `video_urls: null` (fault `pendingShape: 'empty'`), the others no more.
	/** @type {Record<string, unknown>} */
	let output = { image_url: '', image_urls: null, seed: '' };
	if (job.pendingShape === 'empty' && job.plan.output === 'videos') output = { video_urls: null, seed: '' };
	else if (job.pendingShape === 'empty' && job.plan.output === 'text') output = { ...output, prompts: [] };
	if (status === 'completed') {
		const { output: kind } = job.plan;
		const names = jobFileNames(job);
		if (kind === 'images') {
			output = {
				image_url: fileUrl('grid.png'),
				image_urls: names.slice(1).map(fileUrl),
				seed: job.seed,
				available_actions: availableActions(job.plan),
			};
		} else if (kind === 'image') {
			const url = fileUrl(names[0]);
			output = {
				image_url: url,
				image_urls: [url],
				seed: job.plan.mjActions ? job.seed : '',
				available_actions: availableActions(job.plan),
			};
		} else if (kind === 'videos') {
			output = { video_urls: names.map(fileUrl) };
		} else {
			output = { image_url: '', image_urls: null, seed: '', ...textOutput(job) };
		}
	}
	const failed = status === 'failed' || canceled;
	// A time that has not come: Go's zero time (the diffusion page), or "" (fault `pendingShape: 'empty'`).
	const notYet = job.pendingShape === 'empty' ? '' : ZERO_TIME;
	return {
		job_id: job.id,
		model: 'midjourney',
		task_type: job.shownTaskType,
		status,
		config: { service_mode: 'public', webhook_config: { endpoint: job.callback, secret: '' } },
		input: null,
		output,
		meta: {
			created_at: job.pendingShape === 'empty' && !started && !terminal ? '' : isoTime(job.createdAt),
			started_at: started ? isoTime(job.startedAt) : notYet,
			ended_at: terminal ? isoTime(job.endsAt) : notYet,
			usage: { type: 'point', frozen: job.plan.frozen, consume: status === 'completed' ? job.plan.frozen : 0 },
		},
		detail: null,
		logs: [],
		error: failed ? { ...job.failure } : { code: 0, raw_message: '', message: '', detail: null },
	};
}

module.exports = { DEFAULT_DURATIONS, SPEED, ZERO_TIME, createJob, jobStatus, spelled, jobView, jobFileNames, isTerminal, durationFor, isoTime };
