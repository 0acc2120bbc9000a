// @ts-check
'use strict';
/**
 * Legnext's request rules, endpoint by endpoint: required fields, types, ranges, and what a
 * follow-up may refer to. Each rule turns a valid body into a Plan (task type, what the job will
 * produce, what it costs) or throws an ApiError (400 naming the field; 404 for an unknown parent
 * job; 403 for whitelist-only endpoints; 413 for an oversized image).
 *
 * These are the simulator's own copies of the rules, written from legnext-api.md and the OpenAPI
 * spec; it never borrows the node's, so a mistake in the node cannot hide behind a shared rule.
 * Wrong JSON types answer like Legnext's Go backend would ("json: cannot unmarshal string into Go
 * struct field PanRequest.direction of type int").
 */
const { ApiError, badRequest, WHITELIST_MESSAGE } = require('./errors');
const { Reader, goType, isHttpUrl, MAX_TEXT } = require('./rules-reader');
const { DEFAULT_FOLLOW_UP_TTL_S, flag, availableActions } = require('./rules-plans');

/** @typedef {import('./rules-plans').Plan} Plan */
/** @typedef {import('./rules-plans').RuleContext} RuleContext */

/**
 * @typedef {object} Endpoint
 * @property {string} taskType
 * @property {string} struct Go struct name for type errors
 * @property {boolean} [whitelistOnly] 403 unless the key is whitelisted
 * @property {(r: Reader, ctx: RuleContext) => Plan} plan
 */

/** @type {Record<string, Endpoint>} POST path → rule */
const ENDPOINTS = {
	...require('./rules-images').ENDPOINTS,
	...require('./rules-follow-ups').ENDPOINTS,
	...require('./rules-video').ENDPOINTS,
};

/**
 * Validate a submit body for `path` and plan the job.
 * @param {string} path e.g. `/api/v1/diffusion`
 * @param {unknown} body parsed JSON
 * @param {RuleContext} ctx
 * @returns {{plan: Plan, callback: string | undefined}}
 */
function planSubmit(path, body, ctx) {
	const endpoint = ENDPOINTS[path];
	if (!endpoint) throw new Error(`no rule for ${path}`);
	if (endpoint.whitelistOnly && !ctx.whitelisted) {
		// As recorded for /edit in Legnext's SDK test results: a job-shaped body with the reason in `error`.
		throw new ApiError(403, WHITELIST_MESSAGE, '', undefined, 'job');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw badRequest(`json: cannot unmarshal ${goType(body)} into Go value of type ${endpoint.struct}`);
	}
	const reader = new Reader(/** @type {Record<string, unknown>} */ (body), endpoint.struct);
	const callback = reader.callback();
	const plan = endpoint.plan(reader, ctx);
	return { plan, callback };
}

module.exports = { ENDPOINTS, planSubmit, availableActions, isHttpUrl, flag, DEFAULT_FOLLOW_UP_TTL_S, MAX_TEXT };
