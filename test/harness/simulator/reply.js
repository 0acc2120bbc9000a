// @ts-check
'use strict';
/**
 * Answering one request: JSON, text, bytes or a stream (HEAD without a body), recorded in
 * simulator.requests; or the socket destroyed instead (a dropped connection). Answers wait for the
 * `slowResponses` fault. Exists so the router and the fault answers send alike.
 */

const { shapedError } = require('./errors');

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * @typedef {object} Reply
 * @property {(status: number, head: Record<string, string>, body: Buffer | string | import('stream').Readable) => void} send
 * @property {(status: number, json: unknown, head?: Record<string, string>) => void} sendJson
 * @property {(error: import('./errors').ApiError) => void} sendError an ApiError, in its shape (or the fault `errorShape`'s)
 * @property {(body: import('./errors').LegnextErrorBody, head?: Record<string, string>, shape?: import('./errors').ErrorShape) => void} sendErrorBody a flat error body (status = its code), shaped alike
 * @property {() => void} destroy destroy the socket now, answering nothing
 * @property {() => void} dropOnSend handle the request, then destroy the socket instead of answering
 */

/**
 * @param {object} args
 * @param {import('http').IncomingMessage} args.req
 * @param {import('http').ServerResponse} args.res
 * @param {{method: string, path: string, status: number | undefined, dropped?: boolean}} args.record
 * @param {number} args.arrived real ms
 * @param {import('./faults').FaultState} args.faults
 * @param {import('./clock').Clock} args.clock
 * @param {((line: string) => void) | undefined} args.log
 * @returns {Reply}
 */
function createReply({ req, res, record, arrived, faults, clock, log }) {
	const { method, path } = record;
	let drop = false;

	function destroy() {
		record.status = 0;
		record.dropped = true;
		req.socket.destroy();
		log?.(`[legnext-sim] ${method} ${path} → connection dropped`);
	}

	/** @type {Reply['send']} */
	function send(status, head, body) {
		const go = () => {
			if (res.writableEnded || res.destroyed) return;
			if (drop) {
				if (typeof body === 'object' && 'destroy' in body && typeof body.destroy === 'function' && !Buffer.isBuffer(body)) body.destroy();
				destroy();
				return;
			}
			record.status = status;
			log?.(`[legnext-sim] ${method} ${path} → ${status} (${Date.now() - arrived} ms)`);
			if (typeof body === 'string' || Buffer.isBuffer(body)) {
				const bytes = typeof body === 'string' ? Buffer.from(body) : body;
				res.writeHead(status, { 'content-length': String(bytes.length), ...head });
				res.end(method === 'HEAD' ? undefined : bytes);
			} else {
				res.writeHead(status, head);
				if (method === 'HEAD') {
					body.destroy();
					res.end();
				} else {
					body.on('error', () => res.destroy());
					res.on('close', () => body.destroy());
					body.pipe(res);
				}
			}
		};
		const delay = faults.current.slowResponses ?? 0;
		if (delay > 0) clock.afterReal(delay, go);
		else go();
	}

	/** @type {Reply['sendJson']} */
	const sendJson = (status, json, head = {}) => send(status, { 'content-type': JSON_TYPE, ...head }, JSON.stringify(json));

	/** @type {Reply['sendErrorBody']} */
	const sendErrorBody = (body, head = {}, shape) => sendJson(body.code, shapedError(body, faults.current.errorShape ?? shape ?? 'flat'), head);

	return {
		send,
		sendJson,
		sendError: (error) => sendErrorBody(error.body(), error.headers, error.shape),
		sendErrorBody,
		destroy,
		dropOnSend: () => {
			drop = true;
		},
	};
}

module.exports = { createReply, JSON_TYPE };
