// @ts-check
'use strict';
/**
 * Legnext fetches the input images a job names (Blend's imgUrls, an image URL, the first frame of
 * Image to Video, a mask, --end / --sref / --cref URLs in a prompt) itself. The simulator does too,
 * for real, before it creates the job, so a URL Legnext could not open (n8n's signed binary URL of a
 * local n8n, an expired token, a page that is not an image) fails the job here as it would there.
 *
 * The rule when a fetch fails is an ASSUMPTION: Legnext documents none. What Midjourney relays do
 * (the job is accepted, its points frozen, then it ends `failed` with "failed to fetch image"; the
 * points come back as for any failed job) is what this plays: code 10003, message "Image fetch
 * failed", raw_message naming the URL and the reason. Limits: an answer must be 2xx, `image/*`, at
 * most 10 MB (legnext-api.md: Retexture's "≤ 10 MB"; 100 MB for Topaz, Legnext's Topaz page), within 10 s.
 *
 * URLs on the domains RFC 2606 reserves for examples (example.com, example.net, example.org and
 * their subdomains) stand in the tests for an image Legnext can fetch, and are not fetched.
 */
const http = require('http');
const https = require('https');

const MB = 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
const URL_PATTERN = /https?:\/\/[^\s"'<>]+/g;

/**
 * The image URLs a submit body names.
 * @param {string} path
 * @param {any} body
 * @returns {string[]}
 */
function inputImageUrls(path, body) {
	if (!body || typeof body !== 'object') return [];
	/** @type {unknown[]} */
	const found = [];
	if (Array.isArray(body.imgUrls)) found.push(...body.imgUrls);
	found.push(body.imgUrl, body.imageLink, body.image_url, body.mask?.url);
	for (const text of [body.text, body.prompt]) {
		if (typeof text === 'string' && (path === '/api/v1/diffusion' || path === '/api/v1/video-diffusion')) found.push(...(text.match(URL_PATTERN) ?? []));
	}
	const urls = found.filter((url) => typeof url === 'string' && /^https?:\/\//i.test(url));
	return [...new Set(/** @type {string[]} */ (urls))].filter((url) => !isExampleUrl(url));
}

/** @param {string} url */
function isExampleUrl(url) {
	try {
		const host = new URL(url).hostname.toLowerCase();
		return /(^|\.)example\.(com|net|org)$/.test(host);
	} catch {
		return false;
	}
}

/**
 * @typedef {object} ImageFetch
 * @property {string} url
 * @property {number} [status]
 * @property {string} [contentType]
 * @property {number} [bytes]
 * @property {string} [error] why it does not count as an image Legnext could read
 */

/**
 * GET one URL as Legnext would; resolves with what came back, never rejects.
 * @param {string} url
 * @param {number} maxBytes
 * @returns {Promise<ImageFetch>}
 */
function fetchImage(url, maxBytes) {
	return new Promise((resolve) => {
		/** @type {ImageFetch} */
		const result = { url };
		const done = (/** @type {string | undefined} */ error) => {
			if (error && !result.error) result.error = error;
			resolve(result);
		};
		let request;
		try {
			const client = url.startsWith('https:') ? https : http;
			request = client.get(url, { timeout: FETCH_TIMEOUT_MS }, (response) => {
				result.status = response.statusCode;
				result.contentType = String(response.headers['content-type'] ?? '');
				if (!result.status || result.status < 200 || result.status > 299) {
					response.resume();
					return done(`HTTP ${result.status}`);
				}
				if (!result.contentType.toLowerCase().startsWith('image/')) {
					response.resume();
					return done(`not an image (content-type ${result.contentType || 'none'})`);
				}
				let bytes = 0;
				response.on('data', (chunk) => {
					bytes += chunk.length;
					if (bytes > maxBytes) {
						result.bytes = bytes;
						response.destroy();
						done(`larger than ${maxBytes / MB} MB`);
					}
				});
				response.on('end', () => {
					result.bytes = bytes;
					done(bytes === 0 ? 'empty file' : undefined);
				});
				response.on('error', (error) => done(error.message));
			});
		} catch (error) {
			return done(error instanceof Error ? error.message : String(error));
		}
		request.on('timeout', () => request.destroy(new Error(`no answer within ${FETCH_TIMEOUT_MS / 1000} s`)));
		request.on('error', (error) => done(/** @type {any} */ (error).code ?? error.message));
	});
}

/**
 * Fetches every input image of a submit; the first that fails decides the job's failure.
 * @param {string} path
 * @param {any} body
 * @param {ImageFetch[]} record where fetches are recorded
 * @returns {Promise<{code: number, message: string, raw_message: string} | undefined>}
 */
async function fetchInputImages(path, body, record) {
	const maxBytes = path === '/api/v1/enhance-upscale' ? 100 * MB : 10 * MB;
	const fetches = await Promise.all(inputImageUrls(path, body).map((url) => fetchImage(url, maxBytes)));
	record.push(...fetches);
	const failed = fetches.find((fetch) => fetch.error);
	if (!failed) return undefined;
	return { code: 10003, message: 'Image fetch failed', raw_message: `failed to fetch image ${failed.url}: ${failed.error}` };
}

module.exports = { inputImageUrls, fetchInputImages, fetchImage, isExampleUrl };
