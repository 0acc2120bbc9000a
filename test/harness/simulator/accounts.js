// @ts-check
'use strict';
/**
 * Accounts, one per API key: the balance a submit freezes its cost from and a failed (or canceled)
 * job gives back, the balance endpoint's answer, and the per-key concurrency cap (429 with
 * Retry-After). Exists so money and the cap live in one place; the keys never leave this closure.
 *
 * What a job can spend is credits plus bonus points, 1000 of either = 1 USD (the SDK repository's
 * recorded balance: 71000 credits + 1048 points = 72.048 USD; the OpenAPI example: 3000 + 1068 =
 * 4.068). A submit is refused (402) only when both together cannot pay. Which is spent first is not
 * published: ASSUMPTION, bonus points first, then credits. `available_*` are net of what running jobs
 * hold, as Legnext's web app computes the available balance (credits + points − frozen).
 */
const { ApiError } = require('./errors');
const { isTerminal, jobStatus, spelled } = require('./jobs');

/**
 * @typedef {object} Account
 * @property {number} id
 * @property {number} points
 * @property {number} credits
 * @property {number} alertThreshold
 * @property {boolean} whitelisted
 * @property {string | undefined} webhookSecret signs this account's callbacks (callbacks.js)
 */

/**
 * @param {object} options
 * @param {string[]} options.apiKeys
 * @param {string[]} [options.whitelistedKeys]
 * @param {{points?: number, credits?: number, alertThreshold?: number}} [options.balance]
 * @param {string | Record<string, string>} [options.webhookSecret] every key's secret, or per key
 * @param {number} options.concurrencyLimit 0 = none
 * @param {import('./clock').Clock} options.clock
 * @param {Map<string, import('./jobs').Job>} options.jobs
 */
function createAccounts({ apiKeys, whitelistedKeys = [], balance, webhookSecret, concurrencyLimit, clock, jobs }) {
	const whitelisted = new Set(whitelistedKeys);
	/** @type {Map<string, Account>} key → account */
	const byKey = new Map();
	/** @type {Map<number, Account>} */
	const byId = new Map();

	/** (Re)opens every key's account with the starting balance. */
	function open() {
		byKey.clear();
		byId.clear();
		apiKeys.forEach((key, i) => {
			/** @type {Account} */
			const account = {
				id: 52 + i,
				points: balance?.points ?? 100_000,
				credits: balance?.credits ?? 3000,
				alertThreshold: balance?.alertThreshold ?? 10,
				whitelisted: whitelisted.has(key),
				webhookSecret: typeof webhookSecret === 'string' ? webhookSecret || undefined : webhookSecret?.[key],
			};
			byKey.set(key, account);
			byId.set(account.id, account);
		});
	}
	open();

	/** Jobs of the account that have not ended (running, or queued for a slot). @param {Account} account */
	function runningJobs(account) {
		const now = clock.now();
		return [...jobs.values()].filter((job) => job.accountId === account.id && !isTerminal(jobStatus(job, now)));
	}

	/**
	 * When a job submitted now gets a slot under the account's limit (job time ms), first come first
	 * served: not before the jobs queued ahead of it, and at the first moment from then on when fewer
	 * than `concurrencyLimit` jobs hold one. Slots only free up after the last queued job got its own.
	 * @param {Account} account
	 */
	function firstFreeSlot(account) {
		const now = clock.now();
		const open = runningJobs(account);
		const notBefore = Math.max(now, ...open.map((job) => job.admittedAt));
		const holding = (/** @type {number} */ t) => open.filter((job) => job.admittedAt <= t && t < job.endsAt).length;
		const moments = [notBefore, ...open.map((job) => job.endsAt).filter((end) => end > notBefore).sort((a, b) => a - b)];
		return moments.find((t) => holding(t) < concurrencyLimit) ?? notBefore;
	}

	/**
	 * A submit's checks and charge: 402 when the balance is short; over the cap 429 (the docs), or
	 * with `overLimit: 'queue'` the job is accepted and waits `queued` for a slot (the skills
	 * reference: "auto-queued… no action needed"). Else the cost is frozen (points first, then
	 * credits); the charge and when the job gets its slot are returned.
	 * @param {Account} account
	 * @param {import('./rules-plans').Plan} plan
	 * @param {'refuse' | 'queue'} [overLimit]
	 * @returns {{charge: {points: number, credits: number}, admittedAt: number | undefined}} `admittedAt` only when queued
	 */
	function freeze(account, plan, overLimit = 'refuse') {
		const available = account.points + account.credits;
		if (available < plan.frozen) {
			throw new ApiError(402, 'Insufficient credits', `insufficient balance: ${plan.taskType} needs ${plan.frozen} points, ${available} available`);
		}
		let admittedAt;
		if (concurrencyLimit > 0) {
			const running = runningJobs(account);
			if (running.length >= concurrencyLimit && overLimit === 'queue') {
				admittedAt = firstFreeSlot(account);
			} else if (running.length >= concurrencyLimit) {
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
		return { charge, admittedAt };
	}

	/**
	 * Terminal accounting, once per job: a failed job gives its frozen points back (the docs' job
	 * lifecycle); so does a canceled one (ASSUMPTION). @param {import('./jobs').Job} job
	 */
	function settle(job) {
		if (job.settled || !isTerminal(jobStatus(job, clock.now()))) return;
		job.settled = true;
		const account = byId.get(job.accountId);
		if (job.willFail && account) {
			account.points += job.charge.points;
			account.credits += job.charge.credits;
		}
	}

	/** GET /api/account/balance @param {Account} account */
	function balanceAnswer(account) {
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

	/**
	 * GET /api/account/active_tasks, in `ActiveTasksResponse`'s shape (legnext-ai/sdks,
	 * `openapi/openapi-complete.yaml`): the account's jobs that have not ended, its limit, and each
	 * task's progress. No recorded answer exists: whether Legnext wraps it in `{code, message, data}`
	 * like the balance (`activeTasksShape: 'wrapped'`), and how `progress` and `estimated_time` are
	 * reckoned (here from the job's own timeline), are ASSUMPTIONS.
	 * @param {Account} account
	 * @param {'bare' | 'wrapped'} [shape]
	 */
	function activeTasksAnswer(account, shape = 'bare') {
		const now = clock.now();
		const tasks = runningJobs(account).map((job) => {
			const status = jobStatus(job, now);
			const running = status !== 'queued' && now >= job.startedAt;
			const progress = running ? Math.min(99, Math.round(((now - job.startedAt) / Math.max(1, job.endsAt - job.startedAt)) * 100)) : 0;
			return {
				job_id: job.id,
				task_type: job.shownTaskType,
				status: spelled(job, status),
				created_at: new Date(job.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
				progress,
				estimated_time: Math.max(0, Math.ceil((job.endsAt - now) / 1000)),
			};
		});
		const answer = {
			account_id: `00000000-0000-4000-8000-${String(account.id).padStart(12, '0')}`,
			total_active: tasks.length,
			concurrent_limit: concurrencyLimit,
			tasks,
			updated_at: new Date(now).toISOString(),
		};
		return shape === 'wrapped' ? { code: 200, message: 'success', data: answer } : answer;
	}

	return { open, activeTasksAnswer, byKey: (/** @type {string} */ key) => byKey.get(key), freeze, settle, balanceAnswer, runningJobs, concurrencyLimit };
}

module.exports = { createAccounts };
