'use strict';
/**
 * Mirrors n8n's webhook server (packages/cli/src/abstract-server.ts routes and
 * webhooks/webhook-request-handler.ts): /webhook-waiting/<id>[/<suffix>], /webhook/<path> and
 * /rest/binary-data/signed (./binary-data.js) over
 * real HTTP on loopback. Exists so Legnext's callbacks (from the simulator) reach the engine the
 * way they reach a real n8n.
 */
const http = require('http');

const { decorateRequest, decorateResponse, sendErrorResponse, responseError } = require('./http');
const { ENDPOINTS } = require('./additional-data');

/** WebhookRequestHandler: sends what the webhook manager returned (unless the node answered). */
async function respond(res, response) {
	if (!response || response.noWebhookResponse === true || res.headersSent || res.writableEnded) return;
	res.statusCode = response.responseCode ?? 200;
	if (response.stream) {
		response.stream.pipe(res);
		return;
	}
	for (const [key, value] of Object.entries(response.headers ?? {})) res.setHeader(key, value);
	const { data } = response;
	if (data === undefined) res.end();
	else if (typeof data === 'string' || Buffer.isBuffer(data)) res.send(data);
	else res.json(data);
}

/**
 * @param {object} ctx the engine's parts (see harness.js)
 * @param {{ host: string, port: number }} listen
 * @returns {Promise<{ baseUrl: string, close: () => Promise<void> }>}
 */
async function startWebhookServer(ctx, { host, port }) {
	async function handleHttp(req, res) {
		try {
			const segments = req.path.split('/').filter(Boolean);
			const [first, ...rest] = segments;
			if (first === ENDPOINTS.webhookWaiting && (rest.length === 1 || rest.length === 2)) {
				const [executionId, suffix] = rest.map((segment) => decodeURIComponent(segment));
				return await respond(res, await ctx.waitingWebhooks.executeWaitingWebhook(req, res, executionId, suffix));
			}
			if (first === ENDPOINTS.webhook && rest.length > 0) {
				const webhookPath = decodeURIComponent(req.path.slice(`/${ENDPOINTS.webhook}/`.length));
				return await respond(res, await ctx.liveWebhooks.executeLiveWebhook(req, res, webhookPath));
			}
			if (req.method === 'GET' && req.path === `/${ENDPOINTS.rest}/binary-data/signed`) return await ctx.binaryData.getSigned(req, res);
			if (req.path === '/healthz') return res.json({ status: 'ok' });
			throw responseError(404, `Cannot ${req.method} ${req.path}`);
		} catch (error) {
			sendErrorResponse(res, error);
		}
	}

	const server = http.createServer((req, res) => {
		void handleHttp(decorateRequest(req), decorateResponse(res));
	});
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	return {
		baseUrl: `http://${host}:${address.port}/`,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				for (const socket of sockets) socket.destroy();
			}),
	};
}

module.exports = { startWebhookServer };
