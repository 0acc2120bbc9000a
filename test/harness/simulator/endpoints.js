// @ts-check
'use strict';
/**
 * The API's handlers once a request is routed and its key known: a submit (validate, charge, create
 * the job, start its life) and a job read (GET /api/v1/job/{id}). Exists to keep what Legnext does
 * with a request apart from how the simulator receives it (server.js) and the faults around it.
 */
const { ApiError } = require('./errors');
const { planSubmit, availableActions } = require('./rules');
const { priceShape } = require('./rules-plans');
const { createJob, jobStatus, jobView, durationFor } = require('./jobs');
const { fetchInputImages } = require('./input-images');

/**
 * @param {object} deps
 * @param {import('./clock').Clock} deps.clock
 * @param {Map<string, import('./jobs').Job>} deps.jobs
 * @param {ReturnType<typeof import('./accounts').createAccounts>} deps.accounts
 * @param {import('./faults').FaultState} deps.faults
 * @param {ReturnType<typeof import('./lifecycle').createLifecycle>} deps.lifecycle
 * @param {(job: import('./jobs').Job) => (name: string) => string} deps.fileUrlOf
 * @param {Settings} deps.settings
 * @param {import('./input-images').ImageFetch[]} deps.imageFetches where input image fetches are recorded
 */
function createEndpoints({ clock, jobs, accounts, faults, lifecycle, fileUrlOf, settings, imageFetches }) {
	let created = 0;
	let sequence = 0;

	/** A new job's ID: a UUID like every example but one, or a numeric ID like the Topaz docs' `1868588555208310784`. */
	function newJobId() {
		if (settings.jobIdFormat !== 'numeric') return undefined;
		return ((BigInt(Date.now()) << 22n) | BigInt(sequence++ & 0x3fffff)).toString();
	}

	/**
	 * POST /api/v1/<endpoint>
	 * @param {string} path
	 * @param {string} raw the body as sent
	 * @param {import('./accounts').Account} account
	 * @param {{jobId?: string}} record the recorded request, given the new job's id
	 * @param {Record<string, unknown>} [form] the fields of a multipart body (./multipart.js), instead of JSON
	 */
	async function submit(path, raw, account, record, form) {
		if (raw.trim() === '') throw new ApiError(400, undefined, 'EOF: the request body is empty');
		let body = form;
		if (body === undefined) {
			try {
				body = JSON.parse(raw);
			} catch (error) {
				throw new ApiError(400, undefined, `invalid JSON body: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		// Input images are fetched first (./input-images.js); from here on the submit runs without a pause.
		const fetchFailure = settings.fetchImages ? await fetchInputImages(path, body, imageFetches) : undefined;
		const now = clock.now();
		const { plan, callback } = planSubmit(path, body, {
			now,
			followUpTtlS: settings.followUpTtlS,
			whitelisted: account.whitelisted,
			blendShape: faults.current.blendShape,
			lookup(jobId) {
				const job = jobs.get(jobId);
				if (!job || job.accountId !== account.id) return undefined;
				accounts.settle(job);
				return { id: job.id, taskType: job.taskType, status: jobStatus(job, now), plan: job.plan, actions: availableActions(job.plan), endedAt: job.endsAt };
			},
		});
		// The pricing page's price, unless the test plays an account charged otherwise (the seed's `--draft` job froze 80).
		const charged = settings.prices?.(priceShape(plan.taskType, plan), plan.frozen);
		if (charged !== undefined) plan.frozen = charged;
		const { charge, admittedAt } = accounts.freeze(account, plan, faults.current.overLimit);

		const current = faults.current;
		const info = { path, taskType: plan.taskType };
		// A job whose input image cannot be fetched fails; else the faults say whether it is canceled or fails.
		const canceled = !fetchFailure && faults.takeJobCancel(body, info);
		const willFail = Boolean(fetchFailure) || (!canceled && faults.takeJobFailure(body, info));
		const job = createJob({
			id: newJobId(),
			accountId: account.id,
			path,
			body,
			plan,
			callback,
			now,
			admittedAt,
			duration: durationFor(settings.durations, plan.taskType, { taskType: plan.taskType, body, plan }),
			willFail,
			failWith: fetchFailure ?? current.failWith,
			cancel: canceled ? { status: current.cancelStatus ?? 'canceled', with: current.cancelWith } : undefined,
			runningStatus: current.runningStatus,
			statusSpelling: current.statusSpelling,
			fileLinks: current.fileLinks,
			pendingShape: current.pendingShape,
			taskTypeSpelling: current.taskTypeSpelling,
			callbackPlan: {
				mode: current.callbacks ?? 'normal',
				delay: settings.callbackDelay,
				lateBy: current.lateBy ?? 30,
				progress: Boolean(current.progressCallbacks),
				secret: account.webhookSecret,
				signature: current.callbackSignature ?? 'valid',
				staleBy: current.staleBy ?? 3600,
				contentType: current.callbackContentType ?? 'application/json',
				shape: current.callbackShape ?? 'wrapped',
			},
			unknownStatus: current.unknownStatus,
			unknownPolls: current.unknownStatusPolls,
			charge,
			fileTtlS: settings.fileTtlS,
		});
		jobs.set(job.id, job);
		created++;
		record.jobId = job.id;
		lifecycle.schedule(job);
		// The submit answer shows the job as just queued: `pending`, or `queued` past the account's limit.
		return jobView(job, now, fileUrlOf(job), job.admittedAt > now ? 'queued' : 'pending');
	}

	/**
	 * GET /api/v1/job/{id}
	 * @param {string} rawId
	 * @param {import('./accounts').Account} account
	 * @param {{jobId?: string}} record
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
		accounts.settle(job);
		job.polls++;
		let override;
		if (job.unknownPolls > 0 && job.unknownStatus) {
			job.unknownPolls--;
			override = job.unknownStatus;
		}
		return jobView(job, clock.now(), fileUrlOf(job), override);
	}

	return {
		submit,
		getJob,
		createdJobs: () => created,
		resetCount: () => {
			created = 0;
		},
	};
}

/**
 * @typedef {object} Settings
 * @property {import('./jobs').DurationsOption} [durations]
 * @property {number} callbackDelay
 * @property {number} followUpTtlS
 * @property {number} fileTtlS
 * @property {(shape: import('./prices').PriceShape, published: number) => number | undefined} [prices] what the account is charged instead of the published price
 * @property {'uuid' | 'numeric'} [jobIdFormat]
 * @property {boolean} fetchImages
 */

module.exports = { createEndpoints };
