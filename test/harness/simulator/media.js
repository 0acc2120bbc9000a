// @ts-check
'use strict';
/**
 * The files Legnext's CDN serves: real PNG images (made with zlib) and real MP4 videos
 * (`ftyp` + `moov` + `mdat` boxes). Bytes are deterministic per (job id, file name) and differ per
 * index. Videos are produced as a stream in blocks, so even a 64 MB video is never held in memory,
 * and any byte range can be produced on its own (for HTTP Range requests).
 */
const crypto = require('crypto');
const zlib = require('zlib');
const { Readable } = require('stream');

const { drawPicture, xorshift } = require('./pictures');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** @type {Uint32Array} */
const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** @param {Buffer} buf */
function crc32(buf) {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** 32 bits of SHA-256 of `key`: the seed of everything drawn for a file. @param {string} key */
function seed32(key) {
	return crypto.createHash('sha256').update(key).digest().readUInt32BE(0) || 1;
}


/**
 * @param {string} type four-letter chunk type
 * @param {Buffer} data
 */
function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/**
 * Encode an RGB image (8 bits per channel) as PNG.
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} rgb width*height*3 bytes, row by row
 */
function encodePng(width, height, rgb) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type: truecolour
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // no interlace
	const stride = width * 3;
	const raw = Buffer.alloc((stride + 1) * height);
	for (let y = 0; y < height; y++) {
		raw[y * (stride + 1)] = 0; // filter: none
		Buffer.from(rgb.buffer, rgb.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
	}
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * What a file shows: the job's prompt and seed (./pictures.js). A file asked for without them (a
 * test that names only a job ID) draws from the job ID.
 * @typedef {{prompt?: string, seed?: string | number}} Scene
 */

/**
 * One generated image as PNG bytes.
 * @param {string} jobId
 * @param {number | string} index image number (0–3) or any name
 * @param {number} [size] pixels per side (default 64)
 * @param {Scene} [scene]
 */
function imagePng(jobId, index, size = 64, scene = {}) {
	return encodePng(size, size, drawPicture({ prompt: scene.prompt ?? '', seed: scene.seed ?? jobId, index, size }));
}

/**
 * The 2x2 grid of a job: its four images side by side (0 top left, 1 top right, 2, 3 below).
 * @param {string} jobId
 * @param {number} [size] pixels per side of each image (default 64; the grid is twice that)
 * @param {Scene} [scene]
 */
function gridPng(jobId, size = 64, scene = {}) {
	const full = size * 2;
	const rgb = new Uint8Array(full * full * 3);
	for (let n = 0; n < 4; n++) {
		const part = drawPicture({ prompt: scene.prompt ?? '', seed: scene.seed ?? jobId, index: n, size });
		const ox = (n % 2) * size;
		const oy = Math.floor(n / 2) * size;
		for (let y = 0; y < size; y++) {
			rgb.set(part.subarray(y * size * 3, (y + 1) * size * 3), ((oy + y) * full + ox) * 3);
		}
	}
	return encodePng(full, full, rgb);
}

/** @param {Buffer} buf */
function isPng(buf) {
	return buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE);
}

// ---------------------------------------------------------------------------------------------
// MP4

/**
 * @param {string} type
 * @param {Buffer} payload
 */
function box(type, payload) {
	const header = Buffer.alloc(8);
	header.writeUInt32BE(8 + payload.length, 0);
	header.write(type, 4, 'ascii');
	return Buffer.concat([header, payload]);
}

/** `ftyp`: ISO base media, compatible with isom/iso2/avc1/mp41. */
function ftypBox() {
	const payload = Buffer.alloc(24);
	payload.write('isom', 0, 'ascii');
	payload.writeUInt32BE(0x200, 4);
	payload.write('isomiso2avc1mp41', 8, 'ascii');
	return box('ftyp', payload);
}

/**
 * `moov` with a version-0 `mvhd` (movie header).
 * @param {number} durationMs
 */
function moovBox(durationMs) {
	const mvhd = Buffer.alloc(100);
	// version+flags 0; creation/modification time 0
	mvhd.writeUInt32BE(1000, 12); // timescale: ms
	mvhd.writeUInt32BE(Math.max(0, Math.round(durationMs)) >>> 0, 16); // duration
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
	const matrix = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
	matrix.forEach((value, i) => mvhd.writeUInt32BE(value, 36 + i * 4));
	mvhd.writeUInt32BE(1, 96); // next track id
	return box('moov', box('mvhd', mvhd));
}

/** Payload bytes are drawn in blocks of this size; any block can be made on its own. */
const MP4_BLOCK = 64 * 1024;

/**
 * @typedef {object} Mp4Layout
 * @property {Buffer} head ftyp + moov + mdat header
 * @property {number} total total file size in bytes
 * @property {number} seed
 */

/**
 * @param {string} key e.g. `<job_id>/1`
 * @param {number} totalBytes wanted file size (raised to the smallest valid file if lower)
 * @param {number} durationMs
 * @returns {Mp4Layout}
 */
function mp4Layout(key, totalBytes, durationMs) {
	const prefix = Buffer.concat([ftypBox(), moovBox(durationMs)]);
	let total = Math.max(Math.floor(totalBytes), prefix.length + 8);
	let mdatHeader;
	const mdatSize = total - prefix.length;
	if (mdatSize <= 0xffffffff) {
		mdatHeader = Buffer.alloc(8);
		mdatHeader.writeUInt32BE(mdatSize, 0);
		mdatHeader.write('mdat', 4, 'ascii');
	} else {
		// 64-bit "largesize" form.
		mdatHeader = Buffer.alloc(16);
		mdatHeader.writeUInt32BE(1, 0);
		mdatHeader.write('mdat', 4, 'ascii');
		mdatHeader.writeBigUInt64BE(BigInt(mdatSize), 8);
		total = Math.max(total, prefix.length + 16);
	}
	return { head: Buffer.concat([prefix, mdatHeader]), total, seed: seed32(key) };
}

/**
 * One block of the `mdat` payload.
 * @param {number} seed
 * @param {number} block block number
 */
function mp4Block(seed, block) {
	const next = xorshift((seed ^ Math.imul(block + 1, 0x9e3779b1)) >>> 0);
	const buf = Buffer.allocUnsafe(MP4_BLOCK);
	const words = new Uint32Array(buf.buffer, buf.byteOffset, MP4_BLOCK / 4);
	for (let i = 0; i < words.length; i++) words[i] = next();
	return buf;
}

/**
 * A video as a stream, optionally only bytes `start`..`end` (inclusive, like HTTP ranges).
 * @param {string} key e.g. `<job_id>/1`; different keys give different bytes
 * @param {{totalBytes: number, durationMs?: number, start?: number, end?: number}} options
 * @returns {Readable & {totalBytes: number}}
 */
function mp4Stream(key, options) {
	const layout = mp4Layout(key, options.totalBytes, options.durationMs ?? 4000);
	const start = Math.max(0, options.start ?? 0);
	const end = Math.min(layout.total - 1, options.end ?? layout.total - 1);
	let position = start;
	const stream = new Readable({
		read() {
			if (position > end) {
				this.push(null);
				return;
			}
			let chunk;
			if (position < layout.head.length) {
				chunk = layout.head.subarray(position, Math.min(layout.head.length, end + 1));
			} else {
				const offset = position - layout.head.length;
				const block = Math.floor(offset / MP4_BLOCK);
				const from = offset - block * MP4_BLOCK;
				const to = Math.min(MP4_BLOCK, end + 1 - layout.head.length - block * MP4_BLOCK);
				chunk = mp4Block(layout.seed, block).subarray(from, to);
			}
			position += chunk.length;
			this.push(chunk);
		},
	});
	return Object.assign(stream, { totalBytes: layout.total });
}

/**
 * The size a video of `totalBytes` really has (at least the smallest valid file).
 * @param {number} totalBytes
 */
function mp4Size(totalBytes) {
	return mp4Layout('', totalBytes, 0).total;
}

/**
 * A whole video in memory (for small sizes in tests).
 * @param {string} key
 * @param {number} totalBytes
 * @param {number} [durationMs]
 * @returns {Promise<Buffer>}
 */
async function mp4Buffer(key, totalBytes, durationMs) {
	/** @type {Buffer[]} */
	const chunks = [];
	for await (const chunk of mp4Stream(key, { totalBytes, durationMs })) chunks.push(chunk);
	return Buffer.concat(chunks);
}

module.exports = { imagePng, gridPng, encodePng, isPng, crc32, mp4Stream, mp4Size, mp4Buffer, seed32, PNG_SIGNATURE };
