// @ts-check
'use strict';
/**
 * What the simulator's images show: a picture made from the job's prompt and seed that a person
 * recognises — a sky in the prompt's colours and time of day, the sun or moon, hills or sea, the
 * prompt's subject where it names one the simulator can draw (a boat, a lighthouse, a house, a tree,
 * a mountain), and the prompt's words in a caption. The same prompt and seed give the same bytes, so
 * a file `npm run demo` writes can be compared byte for byte with the one in docs/images/.
 * Test code only (no runtime dependency): plain loops over an RGB buffer.
 */

/** 3x5 pixel glyphs, row by row ('#' = ink). */
const GLYPHS = {
	A: ['.#.', '#.#', '###', '#.#', '#.#'], B: ['##.', '#.#', '##.', '#.#', '##.'], C: ['.##', '#..', '#..', '#..', '.##'],
	D: ['##.', '#.#', '#.#', '#.#', '##.'], E: ['###', '#..', '##.', '#..', '###'], F: ['###', '#..', '##.', '#..', '#..'],
	G: ['.##', '#..', '#.#', '#.#', '.##'], H: ['#.#', '#.#', '###', '#.#', '#.#'], I: ['###', '.#.', '.#.', '.#.', '###'],
	J: ['..#', '..#', '..#', '#.#', '.#.'], K: ['#.#', '#.#', '##.', '#.#', '#.#'], L: ['#..', '#..', '#..', '#..', '###'],
	M: ['#.#', '###', '###', '#.#', '#.#'], N: ['##.', '#.#', '#.#', '#.#', '#.#'], O: ['.#.', '#.#', '#.#', '#.#', '.#.'],
	P: ['##.', '#.#', '##.', '#..', '#..'], Q: ['.#.', '#.#', '#.#', '##.', '.##'], R: ['##.', '#.#', '##.', '#.#', '#.#'],
	S: ['.##', '#..', '.#.', '..#', '##.'], T: ['###', '.#.', '.#.', '.#.', '.#.'], U: ['#.#', '#.#', '#.#', '#.#', '###'],
	V: ['#.#', '#.#', '#.#', '#.#', '.#.'], W: ['#.#', '#.#', '###', '###', '#.#'], X: ['#.#', '#.#', '.#.', '#.#', '#.#'],
	Y: ['#.#', '#.#', '.#.', '.#.', '.#.'], Z: ['###', '..#', '.#.', '#..', '###'], 0: ['###', '#.#', '#.#', '#.#', '###'],
	1: ['.#.', '##.', '.#.', '.#.', '###'], 2: ['##.', '..#', '.#.', '#..', '###'], 3: ['##.', '..#', '.#.', '..#', '##.'],
	4: ['#.#', '#.#', '###', '..#', '..#'], 5: ['###', '#..', '##.', '..#', '##.'], 6: ['.##', '#..', '###', '#.#', '###'],
	7: ['###', '..#', '.#.', '.#.', '.#.'], 8: ['###', '#.#', '###', '#.#', '###'], 9: ['###', '#.#', '###', '..#', '##.'],
	'-': ['...', '...', '###', '...', '...'], "'": ['.#.', '.#.', '...', '...', '...'], ',': ['...', '...', '...', '.#.', '#..'],
};

/** Colour words a prompt may use, and the colour each gives the picture. */
const COLOURS = {
	red: [200, 40, 40], orange: [235, 130, 40], yellow: [240, 210, 60], gold: [220, 170, 50], green: [60, 150, 70],
	blue: [50, 100, 200], teal: [40, 150, 150], purple: [130, 60, 170], violet: [140, 90, 200], pink: [235, 130, 170],
	brown: [130, 85, 50], black: [25, 25, 30], white: [240, 240, 235], gray: [130, 130, 135], grey: [130, 130, 135],
};

/** Skies by time of day: top and horizon colours. */
const SKIES = {
	dawn: [[90, 110, 190], [250, 190, 150]],
	sunrise: [[90, 110, 190], [250, 180, 120]],
	sunset: [[70, 50, 120], [250, 140, 70]],
	night: [[10, 15, 45], [40, 50, 100]],
	rain: [[80, 85, 95], [150, 155, 165]],
	rainy: [[80, 85, 95], [150, 155, 165]],
	storm: [[50, 55, 65], [110, 115, 125]],
	day: [[70, 140, 220], [180, 215, 245]],
};

/**
 * A tiny deterministic generator (xorshift32), also the simulator's MP4 filler (media.js).
 * @param {number} seed
 * @returns {() => number} next unsigned 32-bit number
 */
function xorshift(seed) {
	let x = seed >>> 0 || 0x9e3779b9;
	return () => {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		return x;
	};
}

const SUBJECTS = ['boat', 'lighthouse', 'house', 'tree', 'mountain'];

/** @param {number} seed @returns {() => number} a deterministic number in [0, 1) */
function random(seed) {
	const next = xorshift(seed);
	return () => next() / 4294967296;
}

/** @param {string} text */
function hash32(text) {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
	return h || 1;
}

/** The prompt without Midjourney flags (`--ar 16:9`), as words. @param {string} prompt */
function promptWords(prompt) {
	return prompt
		.replace(/--\S+(?:\s+[^-\s]\S*)?/g, ' ')
		.replace(/https?:\/\/\S+/g, ' ')
		.split(/[^A-Za-z0-9'-]+/)
		.filter(Boolean);
}

/** @param {number[]} a @param {number[]} b @param {number} t */
const mix = (a, b, t) => a.map((v, c) => Math.round(v * (1 - t) + b[c] * t));

/**
 * The RGB pixels of one picture.
 * @param {{prompt: string, seed: string | number, index: number | string, size: number}} scene
 * @returns {Uint8Array} size*size*3 bytes
 */
function drawPicture({ prompt, seed, index, size }) {
	const words = promptWords(prompt);
	const lower = words.map((w) => w.toLowerCase());
	const next = random(hash32(`${lower.join(' ')}|${seed}|${index}`));
	const rgb = new Uint8Array(size * size * 3);
	const put = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number[]} */ colour) => {
		if (x < 0 || y < 0 || x >= size || y >= size) return;
		rgb.set(colour, ((y | 0) * size + (x | 0)) * 3);
	};
	const fill = (/** @type {(x: number, y: number) => boolean} */ inside, /** @type {number[]} */ colour, x0 = 0, y0 = 0, x1 = size, y1 = size) => {
		for (let y = Math.max(0, y0 | 0); y < Math.min(size, y1); y++) for (let x = Math.max(0, x0 | 0); x < Math.min(size, x1); x++) if (inside(x, y)) put(x, y, colour);
	};

	// Sky: the prompt's time of day, else a day sky; a colour word tints it.
	const time = lower.find((w) => w in SKIES) ?? (next() < 0.25 ? 'sunset' : 'day');
	const tint = lower.map((w) => COLOURS[/** @type {keyof COLOURS} */ (w)]).find(Boolean);
	const [top, low] = SKIES[/** @type {keyof SKIES} */ (time)].map((c) => (tint ? mix(c, tint, 0.35) : c));
	const horizon = Math.round(size * (0.55 + next() * 0.1));
	for (let y = 0; y < size; y++) {
		const colour = mix(top, low, Math.min(1, y / horizon));
		for (let x = 0; x < size; x++) put(x, y, colour);
	}
	// Sun or moon.
	const night = time === 'night';
	const sr = size * (0.07 + next() * 0.05);
	const sx = size * (0.15 + next() * 0.7);
	const sy = horizon * (0.25 + next() * 0.4);
	if (time !== 'rain' && time !== 'rainy' && time !== 'storm') {
		fill((x, y) => (x - sx) ** 2 + (y - sy) ** 2 <= sr * sr, night ? [235, 235, 215] : [255, 225, 120], sx - sr, sy - sr, sx + sr + 1, sy + sr + 1);
	}
	// Ground: sea when the prompt has water, else hills.
	const water = lower.some((w) => ['sea', 'ocean', 'lake', 'pond', 'river', 'boat', 'ship', 'lighthouse', 'wave', 'waves'].includes(w));
	const groundColour = water ? mix([30, 80, 140], tint ?? [30, 80, 140], 0.3) : mix([70, 130, 60], tint ?? [70, 130, 60], 0.3);
	const phase = next() * 6.28;
	const amp = size * (water ? 0.01 : 0.06);
	for (let x = 0; x < size; x++) {
		const top = horizon + Math.sin(x / (size / 5) + phase) * amp;
		for (let y = Math.max(0, Math.floor(top)); y < size; y++) put(x, y, mix(groundColour, [10, 20, 30], (y - top) / size));
	}
	if (water) for (let y = horizon + 3; y < size; y += Math.max(3, size >> 5)) fill((x) => (x + y * 3) % (size >> 2) < size >> 4, mix(groundColour, [255, 255, 255], 0.35), 0, y, size, y + 1);
	if (time === 'rain' || time === 'rainy' || time === 'storm') {
		for (let n = 0; n < size; n++) {
			const x0 = next() * size;
			const y0 = next() * size;
			for (let k = 0; k < size / 16; k++) put(x0 + k / 2, y0 + k, [200, 205, 220]);
		}
	}

	// The subject the prompt names, else one picked by the seed.
	const subject = SUBJECTS.find((s) => lower.includes(s)) ?? SUBJECTS[Math.floor(next() * SUBJECTS.length)];
	const cx = size * (0.3 + next() * 0.4);
	const main = tint ?? [200, 60, 50];
	if (subject === 'boat') {
		const w = size * 0.28;
		const by = horizon + size * 0.06;
		fill((x, y) => y >= by && y <= by + w * 0.25 && Math.abs(x - cx) <= w / 2 - (y - by), [240, 240, 230]);
		fill((x, y) => x >= cx && y <= by - 1 && y >= by - w * 0.9 && x - cx <= (y - (by - w * 0.9)) * 0.55, mix(main, [255, 255, 255], 0.5));
		fill((x, y) => Math.abs(x - cx) < Math.max(1, size / 128), [90, 60, 40], 0, by - w * 0.9, size, by);
	} else if (subject === 'lighthouse') {
		const base = horizon + size * 0.05;
		const h = size * 0.45;
		fill((x, y) => y >= base - h && y <= base && Math.abs(x - cx) <= size * (0.03 + 0.03 * ((y - (base - h)) / h)), [245, 245, 240]);
		for (let k = 0; k < 3; k++) fill((x, y) => Math.abs(x - cx) <= size * 0.06, main, 0, base - h + h * (0.25 + k * 0.28), size, base - h + h * (0.25 + k * 0.28) + h * 0.1);
		fill((x, y) => (x - cx) ** 2 + (y - (base - h - size * 0.02)) ** 2 <= (size * 0.035) ** 2, [255, 230, 120]);
	} else if (subject === 'house') {
		const w = size * 0.3;
		const by = horizon + size * 0.1;
		fill(() => true, mix(main, [240, 230, 210], 0.6), cx - w / 2, by - w * 0.6, cx + w / 2, by);
		fill((x, y) => y >= by - w - 1 && Math.abs(x - cx) <= (y - (by - w)) * 1.25, main, 0, by - w, size, by - w * 0.6 + 1);
		fill(() => true, [80, 50, 30], cx - w * 0.08, by - w * 0.3, cx + w * 0.08, by);
	} else if (subject === 'tree') {
		const by = horizon + size * 0.08;
		fill(() => true, [100, 65, 35], cx - size * 0.02, by - size * 0.15, cx + size * 0.02, by);
		fill((x, y) => (x - cx) ** 2 + (y - (by - size * 0.25)) ** 2 <= (size * 0.13) ** 2, mix([40, 120, 50], tint ?? [40, 120, 50], 0.3));
	} else {
		const peak = horizon - size * 0.35;
		fill((x, y) => y >= peak + Math.abs(x - cx) * 1.1 && y <= horizon + 2, [110, 105, 115]);
		fill((x, y) => y >= peak + Math.abs(x - cx) * 1.1 && y <= peak + size * 0.08, [245, 245, 250]);
	}

	// The prompt's words in a caption band, as large as the picture allows.
	const scale = Math.max(1, Math.floor(size / 96));
	const perLine = Math.floor((size - 2 * scale) / (4 * scale));
	const caption = words.join(' ').toUpperCase().slice(0, perLine);
	const band = 7 * scale;
	fill(() => true, [20, 20, 25], 0, size - band, size, size);
	[...caption].forEach((char, n) => {
		const glyph = GLYPHS[/** @type {keyof GLYPHS} */ (char)];
		if (!glyph) return;
		glyph.forEach((row, gy) =>
			[...row].forEach((ink, gx) => {
				if (ink === '#') fill(() => true, [245, 245, 240], scale + (n * 4 + gx) * scale, size - band + scale + gy * scale, scale + (n * 4 + gx + 1) * scale, size - band + scale + (gy + 1) * scale);
			}),
		);
	});
	return rgb;
}

module.exports = { drawPicture, promptWords, xorshift };
