'use strict';
/**
 * A day's traffic in compressed time, and the faults the soak plays on the simulator
 * (bench/soak.js): when each execution starts, which failed jobs, 5xx answers and callbacks repeated
 * or lost. Deterministic for a seed, so the Legnext soak and its Set reference start alike.
 */

/**
 * A day's traffic: quiet nights (00:00–06:00 and 18:00–24:00 at a quarter of the busiest hour), a busy
 * day between them (busiest at noon). Intensity at `x`, the fraction of the day (negative: the night
 * before).
 */
const intensity = (x) => 0.25 + (x >= 0.25 && x < 0.75 ? Math.sin(2 * Math.PI * (x - 0.25)) ** 2 : 0);

/**
 * Start offsets (ms from the day's midnight) of `count` executions: `warmUpMs` at noon's pace (the day
 * before's busiest hour), the last `leadMs` of the night before, then the day of `ms`. Memory is compared
 * between the day's first and last quarter; n8n's processes keep the high-water mark of the busiest hour
 * they have met (V8's heap, the expression isolates' native memory: bench/callback-rounds.js), so a day
 * that began in freshly started processes with nothing running would compare a cold start with a warm
 * evening. With the warm-up and the night before, the first quarter is a night after a busy day, as the
 * last is, and a process that keeps something per execution shows it as the difference.
 */
function dayArrivals(count, ms, { leadMs = 0, warmUpMs = 0 } = {}) {
	const steps = 4000;
	const before = warmUpMs + leadMs;
	const span = before + ms;
	const at = (t) => (t < -leadMs ? intensity(0.5) : intensity(t / ms));
	const cumulative = [0];
	for (let i = 1; i <= steps; i++) cumulative.push(cumulative[i - 1] + at(((i - 0.5) / steps) * span - before));
	const total = cumulative[steps];
	const times = [];
	let i = 0;
	for (let n = 0; n < count; n++) {
		const target = ((n + 0.5) / count) * total;
		while (cumulative[i + 1] < target) i++;
		const step = i + (target - cumulative[i]) / (cumulative[i + 1] - cumulative[i]);
		times.push(Math.round((step / steps) * span - before));
	}
	return times;
}

/** FNV-1a of a prompt: which jobs fail is a property of the prompt, the same in every run. */
function hash(text) {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return h;
}

/** 2 % of jobs end failed (Legnext's job status `failed`). */
const failsJob = (body) => hash(String(body?.text ?? '')) % 50 === 0;

/**
 * Plays the faults on the simulator until `stop()`: one 500 answer per 100 API requests (1 %), and
 * callbacks in windows of `windowMs`: normal, sent twice or lost (each about 1 window in 8; none lost
 * after `calmAfterMs`, so that paused executions end before the soak does). Returns what it did.
 */
function playFaults(simulator, { windowMs = 15_000, calmAfterMs, random = Math.random }) {
	const started = Date.now();
	const played = { http500: 0, windows: { normal: 0, twice: 0, missing: 0 } };
	let seenApi = 0;
	const api = () => simulator.requests.reduce((n, r) => n + (r.path.startsWith('/api/') ? 1 : 0), 0);
	const fiveHundreds = setInterval(() => {
		const now = api();
		while (now - seenApi >= 100) {
			seenApi += 100;
			simulator.inject({ http500: 1, http500On: 'all' });
			played.http500++;
		}
	}, 500);
	let window = 0;
	const choose = () => {
		// Every 8 windows: one sent twice, one lost (the draw picks which), the rest normal.
		const slot = window++ % 8;
		const [twice, missing] = [Math.floor(random() * 8), Math.floor(random() * 8)];
		const calm = Date.now() - started >= calmAfterMs;
		const mode = slot === twice ? 'twice' : slot === missing && !calm ? 'missing' : 'normal';
		played.windows[mode]++;
		simulator.inject({ callbacks: mode });
	};
	choose();
	const windows = setInterval(choose, windowMs);
	return {
		played,
		stop() {
			clearInterval(fiveHundreds);
			clearInterval(windows);
			simulator.inject({ callbacks: 'normal' });
		},
	};
}

/** A small seeded generator (mulberry32), so both soaks draw the same windows. */
function seeded(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

module.exports = { dayArrivals, failsJob, playFaults, seeded };
