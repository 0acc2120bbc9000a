// @ts-check
'use strict';
/**
 * Legnext's file CDN, in its two published link styles: signed URLs like
 * `https://image.legnext.ai/…png?Expires=…&Signature=…` (an OSS/S3-style bucket; September 2025
 * examples) and unsigned CDN links `https://cdn.legnext.ai/mj/<job>_<n>.png` (examples from October
 * 2025 on; fault `fileLinks: 'cdn'`). No API key is needed. A signed link with a missing or wrong
 * signature, past its `Expires`, or under the `expireFiles` fault answers 403 with an XML error body;
 * an unsigned link past the files' life (or under `expireFiles`) 404 NoSuchKey, as a deleted file.
 * PNGs and MP4s are served with their content-type and content-length; single byte ranges work.
 */
const crypto = require('crypto');
const { imagePng, gridPng, mp4Stream, mp4Size } = require('./media');
const { jobFileNames, jobStatus } = require('./jobs');

/** @typedef {import('./jobs').Job} Job */

/**
 * @param {string} secret
 * @param {string} path `/files/<job_id>/<name>`
 * @param {number} expires unix seconds
 */
function signature(secret, path, expires) {
	return crypto.createHmac('sha1', secret).update(`GET\n\n\n${expires}\n${path}`).digest('base64');
}

/**
 * @param {string} base e.g. `http://127.0.0.1:4010` (no trailing slash)
 * @param {string} secret
 * @param {string} jobId
 * @param {string} name `grid.png`, `0.png`, `1.mp4`…
 * @param {number} expires unix seconds
 */
function signedUrl(base, secret, jobId, name, expires) {
	const path = `/files/${jobId}/${name}`;
	return `${base}${path}?Expires=${expires}&Signature=${encodeURIComponent(signature(secret, path, expires))}`;
}

/** `/mj/<job>_<n>.png` (the SDK's recorded images), `/mj/<job>_grid.png` (the skills reference's grid), `/mj/<job>_<n>.mp4`. */
const CDN_PATH = /\/mj\/([0-9A-Za-z-]{1,64})_((?:grid|\d+))\.(png|mp4)$/;

/**
 * An unsigned CDN link: nothing in it expires; the file itself is deleted when its life ends.
 * @param {string} base
 * @param {string} jobId
 * @param {string} name `grid.png`, `0.png`, `1.mp4`…
 */
function cdnUrl(base, jobId, name) {
	const [stem, extension] = name.split('.');
	return `${base}/mj/${jobId}_${stem}.${extension}`;
}

/**
 * The job and file name an unsigned CDN path names, or undefined.
 * @param {string} path
 */
function cdnFile(path) {
	const match = CDN_PATH.exec(path);
	return match ? { jobId: match[1].toLowerCase(), name: `${match[2]}.${match[3]}` } : undefined;
}

/**
 * @param {string} code
 * @param {string} message
 */
function xmlError(code, message) {
	const requestId = crypto.randomBytes(12).toString('hex').toUpperCase();
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>${requestId}</RequestId>\n  <HostId>image.legnext.ai</HostId>\n</Error>\n`;
}

/**
 * @typedef {object} FileAnswer
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {Buffer | import('stream').Readable | string} body
 */

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {FileAnswer}
 */
function xmlAnswer(status, code, message) {
	return { status, headers: { 'content-type': 'application/xml' }, body: xmlError(code, message) };
}

/**
 * Parse a single `Range: bytes=…` header.
 * @param {string | undefined} header
 * @param {number} size
 * @returns {{start: number, end: number} | 'unsatisfiable' | undefined}
 */
function parseRange(header, size) {
	if (!header) return undefined;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (match[1] === '' && match[2] === '')) return undefined; // ignored, like most CDNs
	let start;
	let end;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) return 'unsatisfiable';
		start = Math.max(0, size - suffix);
		end = size - 1;
	} else {
		start = Number(match[1]);
		end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	}
	if (start >= size || start > end) return 'unsatisfiable';
	return { start, end };
}

/**
 * Answer a file request.
 * @param {object} args
 * @param {string} args.jobId
 * @param {string} args.name
 * @param {URLSearchParams} args.query
 * @param {string | undefined} args.range the Range header
 * @param {Map<string, Job>} args.jobs
 * @param {number} args.now job time
 * @param {string} args.secret
 * @param {boolean} args.expired fault `expireFiles`
 * @param {boolean} [args.unsigned] an unsigned CDN link (no signature to check)
 * @param {(job: Job, index: number) => number} args.videoBytes
 * @returns {FileAnswer}
 */
function answerFile(args) {
	const path = `/files/${args.jobId}/${args.name}`;
	const noSuchKey = () => xmlAnswer(404, 'NoSuchKey', 'The specified key does not exist.');
	if (args.unsigned) {
		if (args.expired) return noSuchKey();
	} else {
		if (args.expired) return xmlAnswer(403, 'AccessDenied', 'Request has expired');
		const expires = args.query.get('Expires');
		const given = args.query.get('Signature');
		if (!expires || !given) return xmlAnswer(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
		const wanted = signature(args.secret, path, Number(expires));
		if (!/^\d+$/.test(expires) || given.length !== wanted.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(wanted))) {
			return xmlAnswer(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
		}
		if (Number(expires) * 1000 < Date.now()) return xmlAnswer(403, 'AccessDenied', 'Request has expired');
	}

	const job = args.jobs.get(args.jobId);
	// An unsigned link is only as good as its file: past the files' life the file is gone.
	if (!job || jobStatus(job, args.now) !== 'completed' || !jobFileNames(job).includes(args.name) || (args.unsigned && job.expires * 1000 < Date.now())) {
		return noSuchKey();
	}
	const etag = `"${crypto.createHash('md5').update(`${path}/${job.plan.imageSize}`).digest('hex').toUpperCase()}"`;
	const common = { etag, 'accept-ranges': 'bytes', 'last-modified': new Date(job.endsAt).toUTCString(), 'cache-control': 'max-age=2592000' };
	const index = args.name === 'grid.png' ? -1 : Number.parseInt(args.name, 10);

	if (args.name.endsWith('.png')) {
		const size = job.plan.imageSize ?? 64;
		// A picture of the prompt and seed; a job of one image made from a parent's image (an upscale)
		// shows that image, larger.
		const parent = job.plan.output === 'image' && job.plan.parentId ? args.jobs.get(job.plan.parentId) : undefined;
		const scene = { prompt: job.plan.prompt, seed: parent ? parent.seed : job.seed };
		const picture = parent ? (job.plan.parentIndex ?? index) : index;
		const bytes = index < 0 ? gridPng(job.id, size, scene) : imagePng(job.id, picture, size, scene);
		const range = parseRange(args.range, bytes.length);
		if (range === 'unsatisfiable') return { status: 416, headers: { 'content-range': `bytes */${bytes.length}` }, body: '' };
		if (range) {
			const part = bytes.subarray(range.start, range.end + 1);
			return {
				status: 206,
				headers: { ...common, 'content-type': 'image/png', 'content-length': String(part.length), 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` },
				body: part,
			};
		}
		return { status: 200, headers: { ...common, 'content-type': 'image/png', 'content-length': String(bytes.length) }, body: bytes };
	}

	const total = mp4Size(args.videoBytes(job, index));
	const key = `${job.id}/${index}`;
	const durationMs = (job.plan.videoSeconds ?? 4) * 1000;
	const range = parseRange(args.range, total);
	if (range === 'unsatisfiable') return { status: 416, headers: { 'content-range': `bytes */${total}` }, body: '' };
	if (range) {
		return {
			status: 206,
			headers: { ...common, 'content-type': 'video/mp4', 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${total}` },
			body: mp4Stream(key, { totalBytes: total, durationMs, start: range.start, end: range.end }),
		};
	}
	return {
		status: 200,
		headers: { ...common, 'content-type': 'video/mp4', 'content-length': String(total) },
		body: mp4Stream(key, { totalBytes: total, durationMs }),
	};
}

module.exports = { signedUrl, cdnUrl, cdnFile, signature, answerFile, xmlError, parseRange };
