// @ts-check
'use strict';
/**
 * Callback delivery: a POST of `{"timestamp": <ms>, "data": <Job>}` (application/json, unsigned,
 * as Legnext's own web app receives it). Each attempt is recorded; failures (refused, timeouts,
 * bad URLs) are recorded too and never thrown.
 */
const http = require('http');
const https = require('https');

/**
 * One callback attempt (simulator.callbacks entries).
 * @typedef {object} CallbackAttempt
 * @property {string} url
 * @property {string} jobId
 * @property {string} jobStatus data.status sent
 * @property {'final' | 'duplicate' | 'progress'} kind
 * @property {{timestamp: number, data: unknown}} body
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
	 * @returns {Promise<CallbackAttempt>}
	 */
	send(attempt) {
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
			const payload = Buffer.from(JSON.stringify(attempt.body));
			const client = url.protocol === 'https:' ? https : http;
			const request = client.request(url, {
				method: 'POST',
				agent: url.protocol === 'https:' ? this.secureAgent : this.agent,
				headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'Go-http-client/1.1' },
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

module.exports = { CallbackSender };
