'use strict';
/** Row 4 of the benchmark (bench/rows.js runs it in its own process). */
const { setTimeScale, startEngine, legnextWorkflow, textToImage, assertRun, startChildSimulator, gcFunction, median } = require('../lib');

// Row 4: the node's own CPU time per item

async function cpu({ timeScale = 400, items: count = 24, jobSeconds = 30, repeats = 5 } = {}) {
	const gc = gcFunction();
	setTimeScale(timeScale);
	// No cap on running jobs here: Don't Wait would otherwise meet 429s and measure retries.
	const simulator = await startChildSimulator({
		timeScale,
		concurrencyLimit: 0,
		markedDurations: { diffusion: { pending: 1, processing: jobSeconds - 1 } },
	});
	const { engine, legnext } = await startEngine(simulator.url);
	const items = Array.from({ length: count }, (_, n) => ({ n }));
	const workflows = {
		poll: legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n }}' }), items),
		dontWait: legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n }}', waitMode: 'none' }), items),
		// Engine only: the same workflow with a node that just emits the items in Legnext's place.
		engineOnly: legnextWorkflow(legnext, {}, items, { trivial: true }),
	};
	const measure = async (name) => {
		await simulator.reset();
		gc();
		const before = process.cpuUsage();
		const started = Date.now();
		const run = await engine.runWorkflow(workflows[name]);
		const used = process.cpuUsage(before);
		const realMs = Date.now() - started;
		assertRun(run, `CPU run "${name}"`);
		if (run.output('Legnext').length !== count) throw new Error(`CPU run "${name}": ${run.output('Legnext').length} items out`);
		const stats = name === 'engineOnly' ? undefined : await simulator.stats();
		return { cpuMs: (used.user + used.system) / 1000, userMs: used.user / 1000, systemMs: used.system / 1000, realMs, requests: stats?.requests.api };
	};
	try {
		// Warm-up: every path once (module loading, JIT, connection pool).
		for (const name of Object.keys(workflows)) await measure(name);
		const results = { poll: [], dontWait: [], engineOnly: [] };
		for (let rep = 0; rep < repeats; rep++) {
			for (const name of Object.keys(workflows)) results[name].push(await measure(name));
		}
		const perItem = (name) => median(results[name].map((r) => r.cpuMs)) / count;
		const engineOnly = perItem('engineOnly');
		return {
			timeScale,
			items: count,
			jobSeconds,
			repeats,
			msPerItem: {
				poll: perItem('poll'),
				dontWait: perItem('dontWait'),
				engineOnly,
				pollNodeOnly: perItem('poll') - engineOnly,
				dontWaitNodeOnly: perItem('dontWait') - engineOnly,
			},
			requestsPerItem: {
				poll: median(results.poll.map((r) => r.requests)) / count,
				dontWait: median(results.dontWait.map((r) => r.requests)) / count,
			},
			runs: results,
		};
	} finally {
		await engine.close();
		await simulator.close();
	}
}

module.exports = { cpu };
