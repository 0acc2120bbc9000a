'use strict';
/** Row 2 of the benchmark (bench/rows.js runs it in its own process). */
const { startSimulator } = require('../../test/harness/simulator/server');
const { API_KEY, setTimeScale, startEngine, legnextWorkflow, textToImage, assertRun, nodeExecutionMs, jobTimeOf } = require('../lib');

// Row 2: wall time for 24 items at concurrency 6 (and one at a time)

/**
 * 24 Text to Image items of 60 s jobs against Legnext's cap of 6 running jobs, at concurrency 6 and
 * one at a time. The one-at-a-time reference runs at a higher time scale to keep the benchmark
 * short (it takes 6× as long).
 */
async function throughput({ timeScale = 25, serialTimeScale = 100, items: count = 24, jobSeconds = 60, cap = 6 } = {}) {
	const items = Array.from({ length: count }, (_, n) => ({ n }));
	let world;
	const one = async (concurrency, scale) => {
		setTimeScale(scale);
		const simulator = await startSimulator({
			apiKeys: [API_KEY],
			timeScale: scale,
			concurrencyLimit: cap,
			durations: { diffusion: { pending: 3, processing: jobSeconds - 3 } },
		});
		try {
			if (!world) world = await startEngine(simulator.url);
			else await world.engine.setCredentials('legnextApi', { apiKey: API_KEY, baseUrl: simulator.url });
			const { engine, legnext } = world;
			const workflow = (n) =>
				legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n + " of a red fox in the snow" }}', options: { concurrency } }), items.slice(0, n));
			// Warm-up (modules, compiled code, pooled connections).
			assertRun(await engine.runWorkflow(workflow(2)), 'warm-up');
			simulator.reset();
			const toJobMs = jobTimeOf(simulator, scale);
			const run = await engine.runWorkflow(workflow(count));
			assertRun(run, `${count} items at concurrency ${concurrency}`);
			const output = run.output('Legnext');
			const completedItems = new Set(output.filter((item) => item.json.status === 'completed').map((item) => item.pairedItem.item));
			const jobIds = output.map((item) => item.json.jobId).filter(Boolean);
			// A duplicate is a second job for the same item (the same prompt).
			const jobsPerPrompt = new Map();
			for (const job of simulator.jobs.values()) jobsPerPrompt.set(job.body.text, (jobsPerPrompt.get(job.body.text) ?? 0) + 1);
			const api = simulator.requests.filter((request) => request.path.startsWith('/api/'));
			const submits = api.filter((request) => request.method === 'POST');
			const lastCheck = api.filter((request) => request.method === 'GET').at(-1);
			return {
				concurrency,
				timeScale: scale,
				// The Legnext node's execution time in n8n (ITaskData.executionTime), in job seconds.
				wallSeconds: (nodeExecutionMs(run) * scale) / 1000,
				// Legnext's view: first submit received → last status check received.
				spanSeconds: (toJobMs(lastCheck.at) - toJobMs(submits[0].at)) / 1000,
				completedItems: completedItems.size,
				lost: count - completedItems.size,
				createdJobs: simulator.createdJobs(),
				duplicates: simulator.createdJobs() - count,
				duplicateJobIds: jobIds.length - new Set(jobIds).size,
				promptsWithTwoJobs: [...jobsPerPrompt.values()].filter((n) => n > 1).length,
				refused429: api.filter((request) => request.status === 429).length,
				checks: api.filter((request) => request.method === 'GET').length,
			};
		} finally {
			await simulator.close();
		}
	};
	try {
		const parallel = await one(cap, timeScale);
		const serial = await one(1, serialTimeScale);
		const ideal = Math.ceil(count / cap) * jobSeconds;
		return { items: count, jobSeconds, cap, ideal, parallel, serial };
	} finally {
		await world?.engine.close();
	}
}

module.exports = { throughput };
