'use strict';
/**
 * Just enough of express's request/response API on Node's http objects for n8n's webhook code
 * paths: what n8n's cli gives a node through `getRequestObject()` / `getResponseObject()`
 * (express 5 with n8n's rawBodyReader + parseBody, see packages/cli/src/middlewares/body-parser.ts).
 */
const querystring = require('querystring');
const zlib = require('zlib');

/** Adds express-like members to an IncomingMessage. */
function decorateRequest(req) {
	const url = new URL(req.url || '/', `http://${req.headers.host || '127.0.0.1'}`);
	const contentTypeHeader = String(req.headers['content-type'] || '');
	const [mediaType, ...parameters] = contentTypeHeader.split(';');
	const charset = parameters
		.map((p) => p.trim().split('='))
		.find(([key]) => key && key.toLowerCase() === 'charset');
	Object.assign(req, {
		originalUrl: req.url,
		path: url.pathname,
		hostname: url.hostname,
		host: req.headers.host,
		protocol: 'http',
		secure: false,
		ip: req.socket?.remoteAddress,
		query: querystring.parse(url.search.replace(/^\?/, '')),
		params: {},
		contentType: mediaType ? mediaType.trim().toLowerCase() : undefined,
		encoding: charset && charset[1] ? charset[1].replace(/"/g, '').toLowerCase() : 'utf-8',
		get(name) {
			const value = req.headers[String(name).toLowerCase()];
			return value;
		},
		header(name) {
			return req.headers[String(name).toLowerCase()];
		},
		async readRawBody() {
			if (req.rawBody) return;
			/** @type {NodeJS.ReadableStream} */
			let stream = req;
			const contentEncoding = req.headers['content-encoding'];
			if (contentEncoding === 'gzip') stream = req.pipe(zlib.createGunzip());
			else if (contentEncoding === 'deflate') stream = req.pipe(zlib.createInflate());
			const chunks = [];
			for await (const chunk of stream) chunks.push(Buffer.from(chunk));
			req.rawBody = Buffer.concat(chunks);
			req._body = true;
		},
	});
	return req;
}

/** n8n's parseBody (packages/cli/src/middlewares/body-parser.ts), minus XML. */
async function parseBody(req) {
	if (req.contentType?.startsWith('multipart/')) return;
	await req.readRawBody();
	const { rawBody, contentType, encoding } = req;
	if (!rawBody?.length) return;
	const text = () => rawBody.toString(encoding).replace(/^\uFEFF/, '');
	try {
		if (contentType === 'application/json') req.body = JSON.parse(text());
		else if (contentType === 'application/x-www-form-urlencoded') req.body = querystring.parse(text(), undefined, undefined, { maxKeys: 1000 });
		else if (contentType === 'text/plain') req.body = text();
	} catch (error) {
		const failure = new Error('Failed to parse request body');
		// @ts-ignore
		failure.httpStatusCode = 422;
		// @ts-ignore
		failure.description = error.message;
		throw failure;
	}
}

/** Adds express-like members to a ServerResponse. */
function decorateResponse(res) {
	Object.assign(res, {
		locals: {},
		status(code) {
			res.statusCode = code;
			return res;
		},
		sendStatus(code) {
			res.statusCode = code;
			res.end(String(code));
			return res;
		},
		set(field, value) {
			if (typeof field === 'object') {
				for (const [key, v] of Object.entries(field)) res.setHeader(key, v);
			} else {
				res.setHeader(field, value);
			}
			return res;
		},
		header(field, value) {
			return res.set(field, value);
		},
		get(field) {
			return res.getHeader(field);
		},
		type(contentType) {
			res.setHeader('content-type', contentType.includes('/') ? contentType : `application/${contentType}`);
			return res;
		},
		json(body) {
			if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
			res.end(JSON.stringify(body));
			return res;
		},
		send(body) {
			if (body === undefined || body === null) {
				res.end();
			} else if (Buffer.isBuffer(body)) {
				if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/octet-stream');
				res.end(body);
			} else if (typeof body === 'object') {
				return res.json(body);
			} else {
				if (!res.getHeader('content-type')) res.setHeader('content-type', 'text/html; charset=utf-8');
				res.end(String(body));
			}
			return res;
		},
		redirect(statusOrUrl, maybeUrl) {
			const [code, location] = typeof statusOrUrl === 'number' ? [statusOrUrl, maybeUrl] : [302, statusOrUrl];
			res.statusCode = code;
			res.setHeader('location', location);
			res.end();
			return res;
		},
		render(view, locals) {
			if (!res.getHeader('content-type')) res.setHeader('content-type', 'text/html; charset=utf-8');
			res.end(`<!-- view: ${view} -->${locals ? JSON.stringify(locals) : ''}`);
			return res;
		},
	});
	return res;
}

/** What n8n's ResponseHelper.sendErrorResponse answers for an error. */
function sendErrorResponse(res, error) {
	if (res.headersSent) {
		if (!res.writableEnded) res.end();
		return;
	}
	const code = Number(error?.httpStatusCode) || 500;
	const body = { code: code === 500 ? 0 : code, message: error?.message ?? 'Unknown error' };
	if (error?.hint) body.hint = error.hint;
	res.statusCode = code;
	res.setHeader('content-type', 'application/json; charset=utf-8');
	res.end(JSON.stringify(body));
}

/** An error with the HTTP status n8n's ResponseError subclasses carry. */
function responseError(httpStatusCode, message, hint) {
	const error = new Error(message);
	// @ts-ignore
	error.httpStatusCode = httpStatusCode;
	// @ts-ignore
	if (hint) error.hint = hint;
	return error;
}

module.exports = { decorateRequest, decorateResponse, parseBody, sendErrorResponse, responseError };
