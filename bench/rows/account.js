'use strict';
/** Row 8 of the benchmark (bench/rows.js runs it in its own process). */
const { startSimulator } = require('../../test/harness/simulator/server');
const { API_KEY, setTimeScale, startEngine, legnextWorkflow, textToImage, assertRun } = require('../lib');

// Row 8: one account shared by several executions, Concurrency Mode Auto beside Fixed 6 (issue 30)

/**
 * `executions` runs of `items` Text to Image items each (60 s jobs) on one key whose limit is `cap`,
 * started `staggerSeconds` apart (a Sheets batch, a form, queue-mode workers): each execution on
 * Fixed 6 sends 6 at once whatever the others do, and Legnext refuses the excess with 429; on Auto each
 * reads the account's free slots first. Figures: submits per job created (1 = no refused submit), and
 * the wall time from the first start to the last end against the ideal ⌈all items / cap⌉ × job length.
 */
async function account({ timeScale = 25, executions = 4, items: count = 12, jobSeconds = 60, cap = 6, staggerSeconds = 2 } = {}) {
	setTimeScale(timeScale);
	let world;
	const one = async (options) => {
		const simulator = await startSimulator({
			apiKeys: [API_KEY],
			timeScale,
			concurrencyLimit: cap,
			durations: { diffusion: { pending: 3, processing: jobSeconds - 3 } },
		});
		try {
			if (!world) world = await startEngine(simulator.url);
			else await world.engine.setCredentials('legnextApi', { apiKey: API_KEY, baseUrl: simulator.url });
			const { engine, legnext } = world;
			const workflow = (execution, n) =>
				legnextWorkflow(
					legnext,
					textToImage({ prompt: `={{ "run ${execution} picture " + $json.n + " of a red fox" }}`, download: 'none', options }),
					Array.from({ length: n }, (_, k) => ({ n: k })),
				);
			assertRun(await engine.runWorkflow(workflow('warm-up', 2)), 'warm-up');
			simulator.reset();
			const started = Date.now();
			const runs = [];
			for (let execution = 0; execution < executions; execution++) {
				if (execution > 0) await new Promise((resolve) => setTimeout(resolve, (staggerSeconds * 1000) / timeScale));
				runs.push(engine.runWorkflow(workflow(execution, count)));
			}
			const finished = await Promise.all(runs);
			const wallSeconds = ((Date.now() - started) * timeScale) / 1000;
			finished.forEach((run, execution) => assertRun(run, `execution ${execution}`));
			const completed = finished.reduce((sum, run) => sum + run.output('Legnext').filter((item) => item.json.status === 'completed').length, 0);
			const api = simulator.requests.filter((request) => request.path.startsWith('/api/'));
			const submits = api.filter((request) => request.method === 'POST');
			const created = simulator.createdJobs();
			return {
				mode: options.concurrencyMode ?? 'fixed',
				wallSeconds,
				completed,
				createdJobs: created,
				submits: submits.length,
				submitsPerJob: submits.length / created,
				refused429: submits.filter((request) => request.status === 429).length,
				// When each refusal came (job seconds from the first start) and for which execution: where the races are.
				refusals: submits
					.filter((request) => request.status === 429)
					.map((request) => `${Math.round(((request.at - started) * timeScale) / 1000)} s run ${/run (\S+)/.exec(request.body?.text ?? '')?.[1]}`),
				accountReads: api.filter((request) => request.path === '/api/account/active_tasks').length,
			};
		} finally {
			await simulator.close();
		}
	};
	try {
		const auto = await one({ concurrencyMode: 'auto' });
		const fixed = await one({ concurrency: cap });
		const ideal = Math.ceil((executions * count) / cap) * jobSeconds;
		return { executions, items: count, jobSeconds, cap, staggerSeconds, timeScale, ideal, auto, fixed };
	} finally {
		await world?.engine.close();
	}
}

module.exports = { account };
