// @ts-check
'use strict';
/**
 * Callback delivery: a POST of `{"timestamp": <ms>, "data": <Job>}` (application/json, as Legnext's
 * own web app receives it) or, with the fault `callbackShape: 'bare'`, the Job alone (as Legnext's
 * Python SDK parses it). Unsigned, as the docs and the web app have them, unless the account has a
 * webhook secret (the option `webhookSecret`): then signed as the Python SDK verifies,
 * `X-Legnext-Signature` = hex HMAC-SHA256 of `"<X-Legnext-Timestamp>." + raw body` with the secret.
 * Each attempt is recorded; failures (refused, timeouts, bad URLs) are recorded too and never thrown.
 */
const crypto = require('crypto');
const http = require('http');
const https = require('https');

/**
 * The signature headers of a callback, as the job's callback plan says. The timestamp is unix
 * seconds of real time (ASSUMPTION: the SDK reads it as a string and does not say its unit).
 * @param {string} payload the raw body
 * @param {import('./jobs').CallbackPlan} plan
 * @returns {Record<string, string>}
 */
function signatureHeaders(payload, plan) {
	if (!plan.secret || plan.signature === 'missing') return {};
	const hmac = (/** @type {string} */ text, secret = /** @type {string} */ (plan.secret)) => crypto.createHmac('sha256', secret).update(text).digest('hex');
	if (plan.signature === 'bodyOnly') return { 'x-legnext-signature': hmac(payload) };
	const timestamp = String(Math.floor(Date.now() / 1000) - (plan.signature === 'stale' ? plan.staleBy : 0));
	const signature = plan.signature === 'wrong' ? hmac(`${timestamp}.${payload}`, `${plan.secret}-not`) : hmac(`${timestamp}.${payload}`);
	return { 'x-legnext-signature': signature, 'x-legnext-timestamp': timestamp };
}

/**
 * One callback attempt (simulator.callbacks entries).
 * @typedef {object} CallbackAttempt
 * @property {string} url
 * @property {string} jobId
 * @property {string} jobStatus data.status sent
 * @property {'final' | 'duplicate' | 'progress'} kind
 * @property {unknown} body what was sent: `{timestamp, data: Job}` or the Job
 * @property {string} [payload] the raw body sent (set when sent)
 * @property {Record<string, string>} [headers] the headers sent (set when sent)
 * @property {number} at real ms when sent
 * @property {number} [status] HTTP status answered
 * @property {string} [responseBody] first 2 KB of the answer
 * @property {string} [error] why it failed (no answer)
 * @property {number} [finishedAt] real ms when done
 */

class CallbackSender {
	/**
	 * @param {{timeoutMs?: number}} [options]
	 */
	constructor(options = {}) {
		this.timeoutMs = options.timeoutMs ?? 10_000;
		/** @type {Set<http.ClientRequest>} */
		this.inFlight = new Set();
		this.agent = new http.Agent({ keepAlive: false });
		this.secureAgent = new https.Agent({ keepAlive: false, rejectUnauthorized: false });
	}

	/**
	 * POST `body` as JSON to `url`, filling `attempt` with the outcome.
	 * @param {CallbackAttempt} attempt
	 * @param {import('./jobs').CallbackPlan} [plan] signature, content type (default: unsigned JSON)
	 * @returns {Promise<CallbackAttempt>}
	 */
	send(attempt, plan) {
		return new Promise((resolve) => {
			/** @param {{status?: number, error?: string, responseBody?: string}} outcome */
			const finish = (outcome) => {
				if (attempt.finishedAt !== undefined) return;
				Object.assign(attempt, outcome, { finishedAt: Date.now() });
				resolve(attempt);
			};
			let url;
			try {
				url = new URL(attempt.url);
				if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
			} catch (error) {
				finish({ error: `invalid callback URL: ${error instanceof Error ? error.message : String(error)}` });
				return;
			}
			const text = JSON.stringify(attempt.body);
			const payload = Buffer.from(text);
			const headers = {
				'content-type': plan?.contentType ?? 'application/json',
				'content-length': String(payload.length),
				'user-agent': 'Go-http-client/1.1',
				...(plan ? signatureHeaders(text, plan) : {}),
			};
			attempt.payload = text;
			attempt.headers = headers;
			const client = url.protocol === 'https:' ? https : http;
			const request = client.request(url, {
				method: 'POST',
				agent: url.protocol === 'https:' ? this.secureAgent : this.agent,
				headers,
				timeout: this.timeoutMs,
			});
			this.inFlight.add(request);
			request.on('timeout', () => request.destroy(new Error(`timed out after ${this.timeoutMs} ms`)));
			request.on('error', (error) => {
				this.inFlight.delete(request);
				finish({ error: /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message });
			});
			request.on('response', (response) => {
				/** @type {Buffer[]} */
				const chunks = [];
				let size = 0;
				response.on('data', (chunk) => {
					if (size < 2048) chunks.push(chunk);
					size += chunk.length;
				});
				const done = () => {
					this.inFlight.delete(request);
					finish({ status: response.statusCode, responseBody: Buffer.concat(chunks).subarray(0, 2048).toString('utf8') });
				};
				response.on('end', done);
				response.on('error', done);
				response.on('close', done);
			});
			request.end(payload);
		});
	}

	/** Abort every callback still in flight (close / reset). */
	abortAll() {
		for (const request of this.inFlight) request.destroy(new Error('simulator closed'));
		this.inFlight.clear();
	}

	close() {
		this.abortAll();
		this.agent.destroy();
		this.secureAgent.destroy();
	}
}

module.exports = { CallbackSender, signatureHeaders };
