import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { adviceFor, errorShapedJobStatus, legnextErrorOf, legnextWords } from './apiErrors';
import type { LegnextJob } from './job';
import { RETRY_POLICIES, withRetries, type Attempt, type RetryPolicy } from './retry';
import { multipartBody } from './multipart';
import { maskSecrets } from './secrets';

export const CREDENTIAL_TYPE = 'legnextApi';
/** Legnext's API, when the credential names no Base URL. */
export const DEFAULT_BASE_URL = 'https://api.legnext.ai';

export type ApiContext = IExecuteFunctions | IWebhookFunctions | IHookFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with /api. */
	path: string;
	body?: IDataObject;
	/** How the body is sent: JSON (default), or `multipart/form-data` where Legnext publishes it so (Upload Paint). */
	encoding?: 'json' | 'multipart';
	/**
	 * Another shape of the same request, for an endpoint whose sources disagree (Blend: `imgUrls` or
	 * `base64Array`). Sent once when Legnext answers 400 naming one of `namedBy` (a 400 creates and
	 * charges nothing); built only then, as it may read files.
	 */
	otherShape?: { namedBy: string[]; build(): Promise<ApiRequest> };
}

/**
 * How a request may be repeated. `read` changes nothing at Legnext, so any temporary failure is
 * retried. `submit` creates a paid job, so it is repeated only when Legnext certainly did not take
 * it: a 429, or a connection that never opened. A 500 or a dropped answer may hide a created job.
 */
export type RequestKind = 'read' | 'submit';

export interface RequestOptions {
	kind: RequestKind;
	itemIndex?: number;
	/** Clock time after which the request is not tried again (the item's Time Limit). */
	giveUpAt?: number;
	/** Read before each try after the first: an error ends the tries with it (the run stopped meanwhile). */
	stop?: () => Error | undefined;
}

/** A failed exchange, before it becomes an n8n error. */
interface Failure {
	status?: number;
	body?: unknown;
	retryAfterMs?: number;
	networkCode?: string;
	/** Whether the request certainly never reached Legnext. */
	neverSent?: boolean;
}

// A connection that was refused or a name that did not resolve: the request never left n8n.
const NEVER_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

interface Connection {
	baseUrl: string;
	apiKey: string;
}

async function connection(ctx: ApiContext): Promise<Connection> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	return { baseUrl, apiKey: String(credentials.apiKey ?? '') };
}

function cancelSignal(ctx: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** Calls Legnext, retrying what may be retried, and turns every failure into a readable n8n error. */
export async function legnextRequest<T = IDataObject>(
	ctx: ApiContext,
	request: ApiRequest,
	options: RequestOptions,
): Promise<T> {
	if (!request.otherShape) return await sendRequest<T>(ctx, request, options);
	const { namedBy, build } = request.otherShape;
	const first = await sendRequest<T>(ctx, request, options).then(
		(value) => ({ value }),
		(error: Error) => ({ error }),
	);
	if ('value' in first) return first.value;
	if (!namesField(first.error, namedBy)) throw first.error;
	return await oneAtATime(async () => await sendRequest<T>(ctx, await build(), options));
}

/**
 * The other shape may carry files (Blend's base64 images, up to 5 × 10 MB and their text): one such
 * request is built and sent at a time in an n8n process, so memory stays bounded however many
 * items and executions run.
 */
let otherShapeTurn: Promise<void> = Promise.resolve();
async function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
	const before = otherShapeTurn;
	let done = () => {};
	otherShapeTurn = new Promise<void>((resolve) => (done = resolve));
	try {
		await before;
		return await run();
	} finally {
		done();
	}
}

/** A 400 whose words name one of these fields (Legnext's "base64Array is required"). */
function namesField(error: unknown, fields: string[]): boolean {
	if (!(error instanceof NodeApiError) || Number(error.httpCode) !== 400) return false;
	const said = `${error.description ?? ''} ${error.message}`;
	return fields.some((field) => new RegExp(`\\b${field}\\b`, 'i').test(said));
}

async function sendRequest<T>(ctx: ApiContext, request: ApiRequest, options: RequestOptions): Promise<T> {
	const { baseUrl, apiKey } = await connection(ctx);
	const signal = cancelSignal(ctx);
	let tries = 0;
	const tryOnce = async (): Promise<Attempt<T>> => {
		const stopped = tries++ > 0 ? options.stop?.() : undefined;
		if (stopped) return { failure: { toError: () => stopped } };
		const result = await attemptRequest(ctx, baseUrl, request, signal);
		if (!('failed' in result)) return { value: result.body as T };
		const failure = result.failed;
		return {
			failure: {
				policy: retryPolicy(failure, options.kind),
				retryAfterMs: failure.retryAfterMs,
				toError: (attempts) => toNodeError(ctx, request, failure, { ...options, attempts, baseUrl, apiKey }),
			},
		};
	};
	return await withRetries(tryOnce, signal, () => cancelledError(ctx, options.itemIndex), options.giveUpAt);
}

/** Reads a job: the one status read that polling, resuming and the trigger all use. */
export async function getJob(ctx: ApiContext, jobId: string, itemIndex?: number): Promise<LegnextJob> {
	return await legnextRequest<LegnextJob>(ctx, { method: 'GET', path: `/api/v1/job/${encodeURIComponent(jobId)}` }, { kind: 'read', itemIndex });
}

/**
 * Whether an error from legnextRequest is a passing trouble (no connection, 429, 5xx, an answer that
 * is not JSON) rather than Legnext's answer to this request (a 4xx).
 */
export function isTemporary(error: unknown): boolean {
	return error instanceof NodeApiError && error.context?.temporary === true;
}

export function cancelledError(ctx: ApiContext, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex });
}

async function attemptRequest(
	ctx: ApiContext,
	baseUrl: string,
	request: ApiRequest,
	signal: AbortSignal | undefined,
): Promise<{ body: unknown } | { failed: Failure }> {
	let response: { statusCode: number; headers: IDataObject; body: unknown };
	const multipart = request.encoding === 'multipart' && request.body ? multipartBody(request.body) : undefined;
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			body: multipart ? multipart.body : request.body,
			...(multipart ? { headers: { 'content-type': multipart.contentType } } : {}),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 60_000,
			abortSignal: signal,
		});
	} catch (error) {
		const networkCode = networkErrorCode(error);
		return {
			failed: { networkCode, neverSent: NEVER_SENT_CODES.includes(networkCode) },
		};
	}
	const { statusCode, headers, body } = response;
	const refused = errorShapedJobStatus(body);
	if (statusCode >= 200 && statusCode < 300 && isJsonBody(body) && refused === undefined) return { body };
	if (statusCode >= 200 && statusCode < 300 && refused !== undefined) return { failed: { status: refused, body } };
	return {
		failed: {
			status: statusCode,
			body,
			retryAfterMs: parseRetryAfter(headers['retry-after']),
		},
	};
}

function isJsonBody(body: unknown): boolean {
	return typeof body === 'object' && body !== null;
}

/** The retry policy that applies to this failure, or undefined when it must not be retried. */
function retryPolicy(failure: Failure, kind: RequestKind): RetryPolicy | undefined {
	if (kind === 'submit') {
		if (failure.status === 429) return RETRY_POLICIES.submitRefused;
		if (failure.neverSent) return RETRY_POLICIES.submitNotSent;
		return undefined;
	}
	const temporary =
		failure.networkCode !== undefined ||
		failure.status === 429 ||
		(failure.status !== undefined && failure.status >= 500);
	return temporary ? RETRY_POLICIES.read : undefined;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: unknown): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The system error code under n8n's and axios' wrapping (ECONNREFUSED, ECONNRESET, ETIMEDOUT…). */
function networkErrorCode(error: unknown): string {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return 'ENETWORK';
}

interface ErrorContext extends RequestOptions {
	attempts: number;
	baseUrl: string;
	apiKey: string;
}

/**
 * Builds a fresh error rather than wrapping the HTTP client's: the client's error holds the
 * request headers, and with them the API key.
 */
function toNodeError(ctx: ApiContext, request: ApiRequest, failure: Failure, context: ErrorContext): NodeApiError {
	const error = describeFailure(ctx, request, failure, context);
	// Read by polling: a passing trouble does not end a wait for a job that exists.
	const status = failure.status ?? 0;
	error.context.temporary = failure.networkCode !== undefined || status === 429 || status >= 500 || !isJsonBody(failure.body);
	return error;
}

function describeFailure(ctx: ApiContext, request: ApiRequest, failure: Failure, context: ErrorContext): NodeApiError {
	const node = ctx.getNode();
	const { itemIndex, attempts, apiKey } = context;
	const item = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
	const tried = attempts > 1 ? ` n8n tried ${attempts} times.` : '';

	if (failure.networkCode) {
		const host = context.baseUrl.replace(/^https?:\/\//, '');
		const unsure =
			context.kind === 'submit' && !failure.neverSent
				? ' The job may have been created: look at your Legnext dashboard before running this item again.'
				: '';
		const error = new NodeApiError(node, { networkCode: failure.networkCode } as JsonObject, {
			message: `Could not reach Legnext at ${host}${item}`,
			description: `The connection failed (${failure.networkCode}).${tried} Check the Base URL in the Legnext API credential and that n8n can reach it.${unsure}`,
			itemIndex,
		});
		// Read by the router: a request that never left n8n certainly created no job.
		error.context.neverSent = failure.neverSent === true;
		return error;
	}

	const status = failure.status ?? 0;
	const body = typeof failure.body === 'object' && failure.body !== null ? (failure.body as IDataObject) : {};
	if (!isJsonBody(failure.body)) {
		return new NodeApiError(node, { httpCode: String(status) } as JsonObject, {
			message: `Legnext answered ${request.method} ${request.path} with something that is not JSON (HTTP ${status})${item}`,
			description: `A proxy or gateway may be in the way, or Legnext is having trouble.${tried} Check the Base URL in the credential and try again later.`,
			httpCode: String(status),
			itemIndex,
		});
	}

	const words = legnextErrorOf(body);
	const legnextMessage = maskSecrets(words?.message ?? '', apiKey);
	const rawMessage = maskSecrets(words?.rawMessage ?? '', apiKey);
	const said = maskSecrets(legnextWords(words), apiKey);
	const advice = adviceFor(status, request.path, said);
	return new NodeApiError(
		node,
		{ httpCode: String(status), message: legnextMessage, raw_message: rawMessage, code: (words?.code as JsonObject[string]) ?? status } as JsonObject,
		{
			message: `${advice.title}${item}`,
			description: `Legnext said: ${said || `HTTP ${status}`}. ${advice.fix}${tried}`,
			httpCode: String(status),
			itemIndex,
		},
	);
}
