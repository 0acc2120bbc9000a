'use strict';
/**
 * The Legnext simulator in its own process for the benchmark rows that measure the node's memory
 * and CPU (test/harness/simulator/cli.js takes no `durations` and reports nothing back).
 *
 *   fork('bench/sim-child.js', [JSON.stringify(options)])   // over IPC:
 *   → {type: 'ready', url}; {type: 'stats'} → {type: 'stats', createdJobs, requests: {...}}
 *   {type: 'reset'} → {type: 'reset'}; {type: 'close'} → exits
 *
 * options: the simulator's own (JSON), plus `markedDurations` ({taskType: {pending, processing}}
 * fallbacks; `bench-T<s>` in a body makes that job take s job seconds) and `smallVideoBytes`
 * (videos of a job whose body says `bench-small` get this size instead of `videoBytes`).
 */
const { startSimulator } = require('../test/harness/simulator/server');
const { markedDurations } = require('./lib');

async function main() {
	const { markedDurations: fallback, smallVideoBytes, ...options } = JSON.parse(process.argv[2] || '{}');
	if (fallback) options.durations = markedDurations(fallback);
	if (smallVideoBytes !== undefined) {
		const big = options.videoBytes ?? 256 * 1024;
		options.videoBytes = (job) => (JSON.stringify(job.body ?? '').includes('bench-small') ? smallVideoBytes : big);
	}
	const simulator = await startSimulator({ log: false, ...options });
	const send = (message) => process.connected && process.send(message);
	process.on('message', (message) => {
		if (message.type === 'stats') {
			const api = simulator.requests.filter((request) => request.path.startsWith('/api/'));
			send({
				type: 'stats',
				createdJobs: simulator.createdJobs(),
				requests: {
					total: simulator.requests.length,
					api: api.length,
					submits: api.filter((request) => request.method === 'POST').length,
					checks: api.filter((request) => request.method === 'GET' && request.path.startsWith('/api/v1/job/')).length,
					refused429: api.filter((request) => request.status === 429).length,
					files: simulator.requests.filter((request) => request.path.includes('/files/')).length,
				},
			});
		} else if (message.type === 'reset') {
			simulator.reset();
			send({ type: 'reset' });
		} else if (message.type === 'close') {
			void simulator.close().then(() => process.exit(0));
		}
	});
	process.on('disconnect', () => void simulator.close().then(() => process.exit(0)));
	send({ type: 'ready', url: simulator.url });
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
