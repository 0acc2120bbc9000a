// Calling n8n's webhooks from a test, and the Legnext Trigger's URL and token as the node makes them.
const path = require('node:path');

const { ROOT, delay } = require('./world');

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

module.exports = { callWebhook, triggerUrl, triggerToken };
