// Calling n8n's webhooks from a test, and the Legnext Trigger's URL and token as the node makes them.
const path = require('node:path');

const { ROOT, delay, waitFor } = require('./world');

/**
 * Starts a workflow by its webhook; just after activation n8n may not have registered it yet (404),
 * for longer on a loaded machine (seen: over 10 s with several n8n processes on 2 cores).
 */
async function callWebhook(n8n, hook, body = {}) {
	let response = await n8n.webhook(hook, { body });
	for (let tries = 0; response.status === 404 && tries < 120; tries++) {
		await delay(500);
		response = await n8n.webhook(hook, { body });
	}
	if (response.status !== 200) throw new Error(`POST /webhook/${hook} answered ${response.status}: ${response.text}`);
	return response;
}

/** A Legnext Trigger's production URL: it listens on legnext/<its workflow's ID>. */
const triggerUrl = (n8nBaseUrl, workflowId) => `${n8nBaseUrl}/webhook/legnext/${workflowId}`;

/** The token a Legnext node adds to a trigger URL: the package's own derivation (from dist/). */
function triggerToken(apiKey, url) {
	const { callbackToken, triggerPathTail } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'triggerUrl.js'));
	return callbackToken(apiKey, triggerPathTail(url));
}

/**
 * Waits until n8n has registered the Legnext Trigger of `workflowId`: activation returns before its
 * production URL listens, by seconds on a loaded machine. Asks as the Legnext node does before it
 * sends a job (its probe, which starts nothing): until then the node rightly refuses to send.
 */
async function untilTriggerListens(n8n, workflowId, timeoutMs = 60000) {
	const url = `${triggerUrl(n8n.baseUrl, workflowId)}?legnextProbe=1`;
	await waitFor(
		async () => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			return !(response.status === 404 && /is not registered/i.test(await response.text()));
		},
		timeoutMs,
		`the Legnext Trigger of workflow ${workflowId} to listen`,
	);
}

module.exports = { callWebhook, triggerUrl, triggerToken, untilTriggerListens };
