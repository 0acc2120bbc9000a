'use strict';
// n8n's HTTP side for the host: the owner's sign-in (REST, session cookie), an API key, and a client of
// the public API (X-N8N-API-KEY) with the helpers tests need.
const { delay } = require('./supervise');

/** fetch with a timeout; JSON in and out; never throws for an HTTP status. */
async function httpRequest(url, { method = 'GET', body, headers = {}, timeoutMs = 30000 } = {}) {
	const init = { method, headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		if (!Object.keys(init.headers).some((h) => h.toLowerCase() === 'content-type')) {
			init.headers['content-type'] = 'application/json';
		}
	}
	const response = await fetch(url, init);
	const text = await response.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, ok: response.ok, headers: response.headers, text, json };
}

function httpError(what, response) {
	const error = new Error(`${what} answered HTTP ${response.status}: ${response.text.slice(0, 500)}`);
	error.status = response.status;
	error.body = response.json ?? response.text;
	return error;
}

/**
 * Signs the owner in: sets the owner up on a fresh instance, logs in on a reused user folder.
 * Returns the session cookie and `rest(path, {method, body})` for n8n's internal REST API.
 */
async function signInOwner({ baseUrl, owner, browserId }) {
	const restHeaders = { 'browser-id': browserId };
	let response = await httpRequest(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: restHeaders,
		body: { email: owner.email, firstName: owner.firstName, lastName: owner.lastName, password: owner.password },
	});
	if (!response.ok) {
		const setupError = response;
		response = await httpRequest(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers: restHeaders,
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
		if (!response.ok) {
			throw new Error(
				`Owner setup answered HTTP ${setupError.status} (${setupError.text.slice(0, 200)}) and login HTTP ${response.status} (${response.text.slice(0, 200)})`,
			);
		}
	}
	const cookie = (response.headers.getSetCookie?.() || [response.headers.get('set-cookie') || ''])
		.map((c) => c.split(';')[0])
		.filter((c) => c.startsWith('n8n-auth='))
		.join('; ');
	if (!cookie) throw new Error('n8n set no n8n-auth cookie on owner setup/login');
	const rest = async (p, { method = 'GET', body, headers = {} } = {}) => {
		const r = await httpRequest(`${baseUrl}${p.startsWith('/rest/') ? p : `/rest${p.startsWith('/') ? '' : '/'}${p}`}`, {
			method,
			body,
			headers: { ...restHeaders, cookie, ...headers },
		});
		if (!r.ok) throw httpError(`${method} ${p}`, r);
		return r.json && 'data' in r.json ? r.json.data : r.json;
	};

	/** Every node type n8n loaded (its /types/nodes.json, which wants a logged-in user). */
	async function nodeTypes() {
		const r = await httpRequest(`${baseUrl}/types/nodes.json`, { headers: { ...restHeaders, cookie }, timeoutMs: 60000 });
		if (!r.ok || !Array.isArray(r.json)) throw httpError('GET /types/nodes.json', r);
		return r.json;
	}
	return { cookie, rest, nodeTypes };
}

/** A public-API key with every scope the instance offers. */
async function createApiKey(rest) {
	const scopes = await rest('/api-keys/scopes');
	const created = await rest('/api-keys', {
		method: 'POST',
		body: { label: `legnext-n8n-host ${new Date().toISOString()}`, expiresAt: null, scopes },
	});
	const apiKey = created.rawApiKey || created.apiKey;
	if (!apiKey) throw new Error(`POST /rest/api-keys returned no key: ${JSON.stringify(created).slice(0, 300)}`);
	return apiKey;
}

// ---------------------------------------------------------------------------------------------
// Public API client (X-N8N-API-KEY) with the helpers tests need.

function createClient({ baseUrl, apiKey }) {
	/** `timeoutMs`: httpRequest's 30 s unless given (n8n's Retry answers only when the execution has ended). */
	async function api(p, { method = 'GET', body, query, headers = {}, timeoutMs } = {}) {
		let url = /^https?:/.test(p) ? p : `${baseUrl}${p.startsWith('/api/') ? p : `/api/v1${p.startsWith('/') ? '' : '/'}${p}`}`;
		if (query) {
			const qs = new URLSearchParams(
				Object.entries(query).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]),
			).toString();
			if (qs) url += `${url.includes('?') ? '&' : '?'}${qs}`;
		}
		const response = await httpRequest(url, { method, body, timeoutMs, headers: { 'X-N8N-API-KEY': apiKey, ...headers } });
		if (!response.ok) throw httpError(`${method} ${url}`, response);
		return response.json ?? response.text;
	}

	/** Executions, newest first (follows the cursor up to `limit` entries). */
	async function listExecutions(workflowId, { includeData = false, status, limit = 100 } = {}) {
		const all = [];
		let cursor;
		do {
			const page = await api('/executions', {
				query: { workflowId, includeData, status, limit: Math.min(250, limit - all.length), cursor },
			});
			all.push(...(page.data || []));
			cursor = page.nextCursor;
		} while (cursor && all.length < limit);
		return all;
	}

	const getExecution = (id) => api(`/executions/${id}`, { query: { includeData: true } });

	/**
	 * Polls executions (with their data) until `predicate(execution)` is true for one, and returns it.
	 * `predicate` may also be a workflow id (string): the first finished execution of that workflow.
	 */
	async function waitForExecution(predicate, timeoutMs = 60000, { workflowId, intervalMs = 500 } = {}) {
		let test = predicate;
		if (typeof predicate === 'string') {
			workflowId = workflowId || predicate;
			test = (execution) => execution.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution.status);
		}
		const deadline = Date.now() + timeoutMs;
		let seen = [];
		for (;;) {
			seen = await listExecutions(workflowId, { includeData: true, limit: 50 });
			for (const summary of seen) {
				if (await test(summary)) return summary;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`No matching execution within ${timeoutMs} ms; saw ${seen.map((e) => `${e.id}:${e.status}`).join(', ') || 'none'}`,
				);
			}
			await delay(intervalMs);
		}
	}

	const getWorkflow = (id) => api(`/workflows/${id}`);
	const activateWorkflow = (id) => api(`/workflows/${id}/activate`, { method: 'POST' });
	const deactivateWorkflow = (id) => api(`/workflows/${id}/deactivate`, { method: 'POST' });

	/** Calls a production webhook: `webhook('my-path', {body})`. */
	async function webhook(webhookPath, { method = 'POST', body, headers = {}, timeoutMs = 60000 } = {}) {
		return httpRequest(`${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`, { method, body, headers, timeoutMs });
	}

	return {
		api,
		listExecutions,
		getExecution,
		waitForExecution,
		getWorkflow,
		activateWorkflow,
		deactivateWorkflow,
		webhook,
	};
}

module.exports = { httpRequest, httpError, signInOwner, createApiKey, createClient };
