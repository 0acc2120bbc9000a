// @ts-check
'use strict';
/**
 * Legnext's error answers. Every API error has the body `{code, message, raw_message, detail}`
 * with `code` equal to the HTTP status (see legnext-api.md, "Errors").
 */

/** @typedef {{code: number, message: string, raw_message: string, detail: unknown}} LegnextErrorBody */

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
	 */
	constructor(status, message, rawMessage, headers) {
		super(message ?? DEFAULT_MESSAGES[status] ?? 'Error');
		this.status = status;
		this.rawMessage = rawMessage ?? this.message;
		/** @type {Record<string, string>} */
		this.headers = headers ?? {};
		/** @type {unknown} */
		this.detail = null;
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

module.exports = { ApiError, badRequest, errorBody, DEFAULT_MESSAGES };
