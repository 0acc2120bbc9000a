// @ts-check
'use strict';
/**
 * Where each injected fault takes a request, in the order Legnext's stack would meet it: an outage
 * before anything (the network, the load balancer), a gateway's HTML page, then after the key check
 * the counted errors and drops, and last the refusal of a chosen submit by the handler. Each returns
 * true when it answered (or dropped) the request.
 */
const { errorBody } = require('./errors');

/** @typedef {import('./faults').FaultState} FaultState */
/** @typedef {import('./faults').RequestKind} RequestKind */
/** @typedef {import('./reply').Reply} Reply */

/**
 * `retry-after` (seconds) and the exact `x-retry-after-ms`, when asked for.
 * @param {number | undefined} retryAfter
 * @returns {Record<string, string>}
 */
function retryHeaders(retryAfter) {
	if (retryAfter === undefined) return {};
	return { 'retry-after': String(retryAfter), 'x-retry-after-ms': String(Math.round(retryAfter * 1000)) };
}

/**
 * `unreachable` (socket destroyed on arrival) and `unavailable` (503), before anything else.
 * @param {FaultState} faults
 * @param {RequestKind} kind
 * @param {Reply} reply
 */
function answerOutage(faults, kind, reply) {
	if (faults.takeOutage('unreachable', kind)) {
		reply.destroy();
		return true;
	}
	const down = faults.takeOutage('unavailable', kind);
	if (!down) return false;
	const message = down.message ?? 'Service unavailable';
	reply.sendErrorBody(errorBody(503, message, down.rawMessage ?? 'service unavailable: upstream task service is restarting'), retryHeaders(down.retryAfter));
	return true;
}

/**
 * `nonJson`: a gateway's 502 HTML page.
 * @param {FaultState} faults
 * @param {RequestKind} kind
 * @param {Reply} reply
 */
function answerNonJson(faults, kind, reply) {
	if (!faults.take('nonJson', kind)) return false;
	reply.send(502, { 'content-type': 'text/html' }, '<html>Bad Gateway</html>');
	return true;
}

/**
 * After the key check: `dropBeforeCreate`, `status`, `http500`; `dropConnection` lets the request be
 * handled and loses its answer.
 * @param {FaultState} faults
 * @param {RequestKind} kind
 * @param {Reply} reply
 */
function answerBeforeHandling(faults, kind, reply) {
	if (faults.take('dropBeforeCreate', kind)) {
		reply.destroy();
		return true;
	}
	const status = faults.takeStatus(kind);
	if (status) {
		reply.sendErrorBody(errorBody(status.code, status.message, status.rawMessage, status.detail ?? null), retryHeaders(status.retryAfter));
		return true;
	}
	if (faults.take('http500', kind)) {
		reply.sendErrorBody(errorBody(500, 'Internal server error', 'internal server error: upstream task service unavailable'));
		return true;
	}
	if (faults.take('dropConnection', kind)) reply.dropOnSend();
	return false;
}

/**
 * `refuseSubmit`: the chosen submit answers an error and creates nothing.
 * @param {FaultState} faults
 * @param {unknown} body
 * @param {{path: string, taskType: string}} info
 * @param {Reply} reply
 */
function answerRefusal(faults, body, info, reply) {
	const refusal = faults.takeRefusal(body, info);
	if (!refusal) return false;
	const code = refusal.code ?? 403;
	// A message may be made from the body, as Legnext's errors sometimes quote the request.
	const said = (/** @type {unknown} */ text) => (typeof text === 'function' ? String(text(body)) : /** @type {string | undefined} */ (text));
	reply.sendErrorBody(errorBody(code, said(refusal.message), said(refusal.rawMessage)));
	return true;
}

module.exports = { answerOutage, answerNonJson, answerBeforeHandling, answerRefusal };
