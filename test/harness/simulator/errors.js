// @ts-check
'use strict';
/**
 * Legnext's error answers, in the three shapes its own material shows (legnext-api.md, "Error
 * bodies"): `flat` `{code, message, raw_message, detail}` (the docs: the seed's 400, Getting
 * started), `nested` `{error: {code, message, raw_message, detail}}` (the SDKs' ErrorResponse and
 * Error schemas), `job` a job-shaped body with `status: "failed"` and the reason in `error` (a 403 of
 * /edit recorded in the SDK repository's test results). `code` is the HTTP status.
 */

/** @typedef {{code: number, message: string, raw_message: string, detail: unknown}} LegnextErrorBody */
/** @typedef {'flat' | 'nested' | 'job'} ErrorShape */

/** What Legnext answered /edit for an account not on its whitelist (SDK_EDIT_ENDPOINT_TEST_RESULTS.md). */
const WHITELIST_MESSAGE = 'This feature is only available for whitelisted accounts. Please upgrade your plan or contact customer support to access this feature.';

/** The message Legnext uses for each status when nothing more specific is known. */
const DEFAULT_MESSAGES = /** @type {Record<number, string>} */ ({
	400: 'Invalid request parameters',
	401: 'Failed to verify api key',
	402: 'Insufficient credits',
	403: 'Sensitive content detected',
	404: 'job not found',
	413: 'Payload too large',
	422: 'Unprocessable entity: invalid parameter values',
	429: 'Too many requests: concurrency limit reached',
	500: 'Internal server error',
	502: 'Bad gateway',
	503: 'Service unavailable',
});

/**
 * An error a handler throws to answer with a Legnext error body.
 */
class ApiError extends Error {
	/**
	 * @param {number} status HTTP status (also the body's `code`)
	 * @param {string} [message] Legnext's short message
	 * @param {string} [rawMessage] the detailed reason (names the field for 400s)
	 * @param {Record<string, string>} [headers] extra response headers
	 * @param {ErrorShape} [shape] the body's shape (default flat)
	 */
	constructor(status, message, rawMessage, headers, shape) {
		super(message ?? DEFAULT_MESSAGES[status] ?? 'Error');
		this.status = status;
		this.rawMessage = rawMessage ?? this.message;
		/** @type {Record<string, string>} */
		this.headers = headers ?? {};
		/** @type {unknown} */
		this.detail = null;
		/** @type {ErrorShape | undefined} */
		this.shape = shape;
	}

	/** @returns {LegnextErrorBody} */
	body() {
		return { code: this.status, message: this.message, raw_message: this.rawMessage, detail: this.detail };
	}
}

/**
 * 400 `Invalid request parameters`, with a raw_message naming the field.
 * @param {string} rawMessage
 */
function badRequest(rawMessage) {
	return new ApiError(400, DEFAULT_MESSAGES[400], rawMessage);
}

/**
 * A Legnext error body for any status.
 * @param {number} status
 * @param {string} [message]
 * @param {string} [rawMessage]
 * @param {unknown} [detail]
 * @returns {LegnextErrorBody}
 */
function errorBody(status, message, rawMessage, detail = null) {
	const text = message ?? DEFAULT_MESSAGES[status] ?? 'Error';
	return { code: status, message: text, raw_message: rawMessage ?? text, detail };
}

/**
 * A flat error body in one of Legnext's three shapes.
 * @param {LegnextErrorBody} body
 * @param {ErrorShape} shape
 */
function shapedError(body, shape) {
	if (shape === 'nested') return { error: { ...body } };
	if (shape === 'job') {
		return {
			job_id: '',
			model: '',
			task_type: '',
			status: 'failed',
			config: { service_mode: '', webhook_config: { endpoint: '', secret: '' } },
			input: null,
			output: null,
			meta: null,
			detail: null,
			logs: null,
			error: { code: body.code, raw_message: body.raw_message === body.message ? '' : body.raw_message, message: body.message, detail: body.detail },
		};
	}
	return body;
}

module.exports = { ApiError, badRequest, errorBody, shapedError, DEFAULT_MESSAGES, WHITELIST_MESSAGE };
