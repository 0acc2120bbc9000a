// @ts-check
'use strict';
/**
 * Reading a `multipart/form-data` body, as Legnext takes Upload Paint (its docs page; `openapi-complete.yaml`
 * in legnext-ai/sdks: `requestBody.content: multipart/form-data`). A part with `Content-Type:
 * application/json` (OpenAPI's default encoding for an object property of a multipart body: `canvas`,
 * `imgPos`, `mask`) is read as JSON; any other part as text. Node built-ins only.
 */

/**
 * @param {string | undefined} contentType the request's header
 * @returns {string | undefined} the boundary, when the body is multipart
 */
function multipartBoundary(contentType) {
	if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * The fields of a multipart body; throws on a malformed one (Legnext would answer 400).
 * @param {Buffer} raw
 * @param {string} boundary
 * @returns {Record<string, unknown>}
 */
function parseMultipart(raw, boundary) {
	const text = raw.toString('utf8');
	const delimiter = `--${boundary}`;
	if (!text.startsWith(delimiter)) throw new Error('multipart body does not start with its boundary');
	/** @type {Record<string, unknown>} */
	const fields = {};
	for (const part of text.split(delimiter).slice(1)) {
		if (part.startsWith('--')) break;
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd < 0) throw new Error('multipart part without headers');
		const headers = part.slice(2, headerEnd);
		const value = part.slice(headerEnd + 4).replace(/\r\n$/, '');
		const name = /name="([^"]*)"/i.exec(headers)?.[1];
		if (name === undefined) throw new Error('multipart part without a name');
		fields[name] = /content-type:\s*application\/json/i.test(headers) ? JSON.parse(value) : value;
	}
	return fields;
}

module.exports = { multipartBoundary, parseMultipart };
