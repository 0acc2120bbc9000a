/** How long Legnext's jobs typically take, in seconds, by task type (Legnext's own figures). */
const TYPICAL_SECONDS: Record<string, [number, number]> = {
	diffusion: [30, 90],
	variation: [60, 90],
	reroll: [60, 90],
	blend: [60, 90],
	upscale: [90, 120],
	inpaint: [90, 120],
	outpaint: [90, 120],
	pan: [90, 120],
	remix: [90, 120],
	describe: [30, 60],
	shorten: [20, 40],
	video_diffusion: [180, 300],
	extend_video: [180, 300],
	video_upscale: [240, 360],
};
const OTHER_TASKS: [number, number] = [20, 120];

/** Within the typical window, checks come at most this far apart: the delay in noticing a finished job. */
const MAX_DETECTION_DELAY_MS = 5_000;
const MIN_INTERVAL_MS = 2_000;
/** A job running late is checked less and less often, up to this interval. */
const LATE_INTERVAL_CAP_MS = 15_000;

export function typicalDuration(taskType: string | undefined): { minMs: number; maxMs: number } {
	const [min, max] = TYPICAL_SECONDS[taskType ?? ''] ?? OTHER_TASKS;
	return { minMs: min * 1000, maxMs: max * 1000 };
}

/**
 * When to check a job next, from how long it has run. No check before the shortest typical time
 * (nothing to see yet), then checks at most 5 s apart through the typical window, then a
 * widening interval for a job that runs late.
 */
export function nextCheckDelay(taskType: string | undefined, elapsedMs: number): number {
	const { minMs, maxMs } = typicalDuration(taskType);
	if (elapsedMs < minMs) return minMs - elapsedMs;
	const windowInterval = Math.min(MAX_DETECTION_DELAY_MS, Math.max(MIN_INTERVAL_MS, (maxMs - minMs) / 12));
	if (elapsedMs < maxMs) return windowInterval;
	const lateness = (elapsedMs - maxMs) / (maxMs - minMs || maxMs);
	return Math.min(LATE_INTERVAL_CAP_MS, windowInterval * (1 + lateness));
}
