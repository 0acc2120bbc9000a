// @ts-check
'use strict';
/**
 * Simulated time. Jobs live in "job time" (simulated milliseconds); `timeScale` simulated
 * seconds pass per real second, and `advance()` jumps ahead. Timers are set in job time and
 * re-armed when time jumps, so a job ends on time whether anybody polls it or not.
 */

/** Node's setTimeout cannot wait longer than this; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * @typedef {object} SimTimer
 * @property {number} at job time (ms) to fire at
 * @property {() => void} fn
 * @property {NodeJS.Timeout | undefined} handle
 */

/**
 * @typedef {object} Clock
 * @property {number} timeScale
 * @property {() => number} now job time in ms (starts at the real time the simulator started)
 * @property {(simMs: number) => number} realMsUntil real ms until the job time `simMs` (0 if past)
 * @property {(at: number, fn: () => void) => SimTimer} at run `fn` at job time `at`
 * @property {(realMs: number, fn: () => void) => SimTimer} afterReal run `fn` after `realMs` real ms (not moved by advance)
 * @property {(timer: SimTimer) => void} cancel
 * @property {(seconds: number) => void} advance jump job time ahead by `seconds`; due timers fire
 * @property {() => void} clearAll cancel every timer
 */

/**
 * @param {number} timeScale simulated seconds per real second (> 0)
 * @returns {Clock}
 */
function createClock(timeScale) {
	if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
	const realStart = Date.now();
	let offset = 0;
	/** @type {Set<SimTimer>} sim-time timers */
	const simTimers = new Set();
	/** @type {Set<SimTimer>} real-time timers */
	const realTimers = new Set();

	const now = () => realStart + (Date.now() - realStart) * timeScale + offset;
	/** @param {number} simMs */
	const realMsUntil = (simMs) => Math.max(0, (simMs - now()) / timeScale);

	/** @param {SimTimer} timer */
	function arm(timer) {
		const wait = realMsUntil(timer.at);
		timer.handle = setTimeout(() => {
			if (!simTimers.has(timer)) return;
			if (now() < timer.at - 0.5) return arm(timer); // fired early or re-armed from a capped wait
			simTimers.delete(timer);
			timer.fn();
		}, Math.min(Math.ceil(wait), MAX_TIMER_MS));
	}

	/** @type {Clock} */
	const clock = {
		timeScale,
		now,
		realMsUntil,
		at(at, fn) {
			/** @type {SimTimer} */
			const timer = { at, fn, handle: undefined };
			simTimers.add(timer);
			arm(timer);
			return timer;
		},
		afterReal(realMs, fn) {
			/** @type {SimTimer} */
			const timer = { at: 0, fn, handle: undefined };
			realTimers.add(timer);
			timer.handle = setTimeout(() => {
				realTimers.delete(timer);
				fn();
			}, Math.max(0, Math.min(realMs, MAX_TIMER_MS)));
			return timer;
		},
		cancel(timer) {
			clearTimeout(timer.handle);
			simTimers.delete(timer);
			realTimers.delete(timer);
		},
		advance(seconds) {
			if (!(seconds >= 0)) throw new Error(`advance() needs seconds >= 0, got ${seconds}`);
			offset += seconds * 1000;
			// Fire what is now due, in order, then re-arm the rest.
			const timers = [...simTimers].sort((a, b) => a.at - b.at);
			for (const timer of timers) clearTimeout(timer.handle);
			for (const timer of timers) {
				if (!simTimers.has(timer)) continue;
				if (timer.at <= now()) {
					simTimers.delete(timer);
					timer.fn();
				} else arm(timer);
			}
		},
		clearAll() {
			for (const timer of [...simTimers, ...realTimers]) clearTimeout(timer.handle);
			simTimers.clear();
			realTimers.clear();
		},
	};
	return clock;
}

module.exports = { createClock };
