'use strict';
/**
 * Row 3 of the benchmark (bench/rows.js runs it in its own process). One run per process: bench/run.js
 * repeats it in fresh processes and reports the median, because RSS that a process has grown once is
 * not given back, so a second run in the same process would measure less.
 */
const { setTimeScale, startEngine, legnextWorkflow, imageToVideo, assertRun, startChildSimulator, gcFunction } = require('../lib');

// Row 3: peak memory growth while downloading 4 videos of 64 MB

async function memory({ timeScale = 400, videoBytes = 64 * 1024 * 1024, sampleMs = 10 } = {}) {
	const gc = gcFunction();
	setTimeScale(timeScale);
	const simulator = await startChildSimulator({ timeScale, concurrencyLimit: 0, videoBytes, smallVideoBytes: 256 * 1024 });
	const { engine, legnext } = await startEngine(simulator.url);
	try {
		// Warm-up: the same path with 256 KiB videos (modules loaded, code compiled, sockets pooled).
		const warm = await engine.runWorkflow(
			legnextWorkflow(legnext, imageToVideo({ imageUrl: 'https://example.com/bench-small.png', download: 'videos' }), [{}]),
		);
		assertRun(warm, 'memory warm-up');

		const read = () => {
			const usage = process.memoryUsage();
			return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
		};
		gc();
		gc();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const baseline = read();
		const peak = { ...baseline };
		let samples = 0;
		const sample = () => {
			const now = read();
			samples++;
			for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key]);
		};
		const timer = setInterval(sample, sampleMs);
		const started = Date.now();
		const run = await engine.runWorkflow(legnextWorkflow(legnext, imageToVideo({ download: 'videos' }), [{}]));
		const realMs = Date.now() - started;
		sample();
		clearInterval(timer);
		assertRun(run, 'Image to Video with Download Files = Videos');
		const files = run.output('Legnext').map((item) => Number(item.binary?.data?.bytes));
		if (files.length !== 4 || files.some((bytes) => bytes !== videoBytes)) {
			throw new Error(`Expected 4 videos of ${videoBytes} bytes, got ${JSON.stringify(files)}`);
		}
		gc();
		const after = read();
		const MB = 1024 * 1024;
		const growth = (key) => (peak[key] - baseline[key]) / MB;
		return {
			timeScale,
			fileMB: videoBytes / MB,
			totalMB: (files.length * videoBytes) / MB,
			files: files.length,
			samples,
			sampleMs,
			realMs,
			downloadMBps: (files.length * videoBytes) / MB / (realMs / 1000),
			baselineMB: Object.fromEntries(Object.entries(baseline).map(([key, value]) => [key, value / MB])),
			growthMB: { rss: growth('rss'), heapUsed: growth('heapUsed'), external: growth('external'), arrayBuffers: growth('arrayBuffers') },
			retainedAfterGcMB: { rss: (after.rss - baseline.rss) / MB, heapUsed: (after.heapUsed - baseline.heapUsed) / MB },
		};
	} finally {
		await engine.close();
		await simulator.close();
	}
}

module.exports = { memory };
