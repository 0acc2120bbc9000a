import type { IDataObject } from 'n8n-workflow';

import { maskSecrets } from './secrets';
import { findTaskType } from './taskTypes';

/** A Legnext job as the API returns it (GET /api/v1/job/{job_id}, every submit, every callback). */
export interface LegnextJob {
	job_id: string;
	model?: string;
	task_type?: string;
	status?: string;
	config?: { service_mode?: string; webhook_config?: { endpoint?: string; secret?: string } };
	input?: unknown;
	output?: LegnextJobOutput | null;
	meta?: {
		created_at?: string;
		started_at?: string;
		ended_at?: string;
		usage?: { type?: string; frozen?: number; consume?: number };
	} | null;
	detail?: unknown;
	logs?: unknown[];
	error?: LegnextJobError | null;
}

export interface LegnextJobOutput {
	image_url?: string;
	image_urls?: string[] | null;
	seed?: string;
	video_urls?: string[] | null;
	available_actions?: IDataObject;
	promptEn?: string;
	description?: string;
	finalPrompt?: string;
	prompts?: string[];
	[key: string]: unknown;
}

export interface LegnextJobError {
	code?: number;
	message?: string;
	raw_message?: string;
	detail?: unknown;
}

/**
 * Statuses after which a job never changes: the docs' `completed` and `failed`, and `canceled`,
 * which Legnext's web app knows (`cancelled` is the other spelling). Anything else, even a status
 * nobody documented (`generating`, `retry`), is still running.
 */
export const TERMINAL_STATUSES = ['completed', 'failed', 'canceled', 'cancelled'] as const;

/**
 * Running statuses in both of Legnext's spellings: the docs and the OpenAPI enum say
 * `pending`/`staged`/`processing`, its web app `queued`/`running` (and a job queued past the
 * account's limit shows `queued`). Not yet started: `pending`, `staged`, `queued`.
 */
export const WAITING_STATUSES = ['pending', 'staged', 'queued'] as const;
export const RUNNING_STATUSES = [...WAITING_STATUSES, 'processing', 'running'] as const;

/**
 * A status as one word for each ending, compared the same way everywhere: trimmed, lower case
 * (a callback may say `"Completed"` or `"COMPLETED "`), `cancelled` read as Legnext's `canceled`.
 */
export function normalStatus(status: string | undefined): string {
	const value = String(status ?? '').trim().toLowerCase();
	return value === 'cancelled' ? 'canceled' : value;
}

export function isTerminal(job: LegnextJob): boolean {
	return (TERMINAL_STATUSES as readonly string[]).includes(normalStatus(job.status));
}

/** A job Legnext has not started yet (queued behind others, or past the account's limit). */
export function isWaitingToStart(job: LegnextJob): boolean {
	return (WAITING_STATUSES as readonly string[]).includes(normalStatus(job.status));
}

/** A status Legnext publishes for a running job, in either spelling; any other still means running. */
export function isPublishedRunningStatus(status: string | undefined): boolean {
	return (RUNNING_STATUSES as readonly string[]).includes(normalStatus(status));
}

export function isCanceled(job: LegnextJob): boolean {
	return normalStatus(job.status) === 'canceled';
}

/** A job that ended without its result: failed, or canceled. */
export function isFailed(job: LegnextJob): boolean {
	return normalStatus(job.status) === 'failed' || isCanceled(job);
}

/**
 * What is wrong with a job ID before it is sent, or undefined. Legnext judges an ID's format (its
 * examples are UUIDs, but a docs example uses `1868588555208310784`); the node only keeps what
 * protects the user: an ID is not empty, has no spaces, and is not a URL (a pasted image or
 * callback link would only earn a 404 after a round trip).
 */
export function jobIdProblem(value: string): string | undefined {
	if (!value) return 'is empty';
	if (/\s/.test(value)) return `"${value.slice(0, 60)}" has spaces in it`;
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/')) return `"${value.slice(0, 60)}" is a URL or a path, not a job ID`;
	return undefined;
}

/** Whether a parsed body looks like a job at all (a callback, or an answer from a proxy). */
export function looksLikeJob(value: unknown): value is LegnextJob {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as IDataObject).job_id === 'string' &&
		typeof (value as IDataObject).status === 'string'
	);
}

/** Legnext writes "0001-01-01T00:00:00Z" (Go's zero time) or "" for a time that has not come yet. */
export function toTimestamp(value: string | undefined | null): string | null {
	if (!value || value.startsWith('0001-01-01')) return null;
	return value;
}

/** The job's failure, or null: Legnext sends `{code: 0, message: ""}` on every job that did not fail. */
export function jobFailure(job: LegnextJob): IDataObject | null {
	const error = job.error ?? {};
	const hasFailure = Boolean(error.code) || Boolean(error.message) || Boolean(error.raw_message);
	if (!hasFailure && !isFailed(job)) return null;
	// Legnext's words may quote the job's callback URL, with its token or signature.
	const detail = error.detail ? (JSON.parse(maskSecrets(JSON.stringify(error.detail))) as IDataObject) : null;
	return {
		code: error.code ?? null,
		message: maskSecrets(String(error.message || error.raw_message || (isCanceled(job) ? 'the job was canceled' : 'Legnext did not give a reason'))),
		rawMessage: maskSecrets(String(error.raw_message ?? '')),
		detail,
	};
}

function nonEmptyStrings(values: unknown): string[] {
	return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/**
 * A job's files. Legnext's `image_url` is the grid for four-image tasks, but the image itself for
 * one-image tasks (Upscale, Remove Background …), where `image_urls` may repeat it or be empty.
 */
export function jobFileUrls(job: LegnextJob): { images: string[]; grid: string | null; videos: string[] } {
	const output = job.output ?? {};
	const images = nonEmptyStrings(output.image_urls);
	const imageUrl = output.image_url ? output.image_url : null;
	const isGrid = imageUrl !== null && findTaskType(job.task_type)?.outputs === 'grid' && !images.includes(imageUrl);
	if (imageUrl && !isGrid && images.length === 0) images.push(imageUrl);
	return { images, grid: isGrid ? imageUrl : null, videos: nonEmptyStrings(output.video_urls) };
}

/**
 * The job as a workflow wants it: flat, camelCase, no placeholders.
 * Legnext's `error` becomes `jobError`: n8n treats any item whose `json.error` is set as a failed
 * run (and Retry On Fail would submit the paid job again), so no output may carry `error`.
 */
export function simplifyJob(job: LegnextJob): IDataObject {
	const output = job.output ?? {};
	const files = jobFileUrls(job);
	const usage = job.meta?.usage;
	const simplified: IDataObject = {
		jobId: job.job_id,
		status: job.status ?? null,
		taskType: job.task_type ?? null,
		imageUrls: files.images,
		gridUrl: files.grid,
		videoUrls: files.videos,
		seed: output.seed ? output.seed : null,
	};
	for (const key of ['promptEn', 'description', 'finalPrompt'] as const) {
		if (typeof output[key] === 'string' && output[key]) simplified[key] = output[key];
	}
	if (Array.isArray(output.prompts)) simplified.prompts = output.prompts;
	if (output.available_actions) simplified.availableActions = output.available_actions;
	simplified.usage = usage
		? { type: usage.type ?? null, frozen: usage.frozen ?? 0, consume: usage.consume ?? 0 }
		: null;
	simplified.jobError = jobFailure(job);
	simplified.callbackUrl = withoutSecrets(job.config?.webhook_config?.endpoint);
	simplified.createdAt = toTimestamp(job.meta?.created_at);
	simplified.startedAt = toTimestamp(job.meta?.started_at);
	simplified.endedAt = toTimestamp(job.meta?.ended_at);
	return simplified;
}

const SECRET_PARAMETER = /token|signature|secret|key/i;

/**
 * Where the callback went, without its secret: a trigger's token or a resume URL's signature
 * would let anyone who can read executions forge callbacks.
 */
function withoutSecrets(url: string | undefined | null): string | null {
	if (!url) return null;
	try {
		const parsed = new URL(url);
		for (const name of [...parsed.searchParams.keys()]) {
			if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, '***');
		}
		return parsed.toString();
	} catch {
		return null;
	}
}

/** The job as Legnext sent it, but with `error` moved to `jobError` (see simplifyJob). */
export function rawJob(job: LegnextJob): IDataObject {
	const raw: IDataObject = { ...(job as unknown as IDataObject) };
	delete raw.error;
	const endpoint = job.config?.webhook_config?.endpoint;
	if (endpoint) {
		raw.config = { ...job.config, webhook_config: { ...job.config?.webhook_config, endpoint: withoutSecrets(endpoint) } };
	}
	raw.jobError = jobFailure(job);
	return raw;
}

export type OutputShape = 'simplified' | 'raw';

export function jobToJson(job: LegnextJob, shape: OutputShape): IDataObject {
	return shape === 'raw' ? rawJob(job) : simplifyJob(job);
}
