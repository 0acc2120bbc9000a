'use strict';
/**
 * The benchmark's rows. Each runs in a fresh Node process (`node bench/rows.js <row> [options JSON]`,
 * forked by bench/run.js) so no row's heap, JIT warm-up or garbage weighs on another's figures; the
 * result goes back over IPC (or to stdout when run by hand). One file per row in bench/rows/.
 *
 * All figures are in job seconds: the simulator and the node's clock run `timeScale` job seconds
 * per real second, and real milliseconds are multiplied back by it.
 */
const { polling } = require('./rows/polling');
const { throughput } = require('./rows/throughput');
const { memory } = require('./rows/memory');
const { cpu } = require('./rows/cpu');
const { pause } = require('./rows/pause');
const { scale } = require('./rows/scale');
const { n8n } = require('./rows/n8n');
const { account } = require('./rows/account');
const { n8nMemory } = require('./memory/n8n');

const ROWS = {
	polling, // 1: status checks and detection delay, the node against fixed 3 s and 5 s polling
	throughput, // 2: wall time and lost/duplicate jobs, 24 items at Legnext's cap of 6
	memory, // 3: RSS growth downloading 4 × 64 MB videos in the engine (one run; run.js takes the median)
	cpu, // 4: the node's own CPU time per item
	pause, // 5: Pause Until Callback at scale: status reads per job, worker held, 24 items at cap 6
	scale, // 7: CPU and stored bytes per item at 100, 1,000 and 10,000 items, beside n8n's Set node
	n8n, // 6 in a real n8n: callback → execution finished beside n8n's own webhook round trip and resume
	n8nMemory, // 3 in a real n8n: memory while the node downloads (bench/memory/n8n.js, all of it: npm run bench:memory)
	account, // 7: one account, 4 executions × 12 items started 2 s apart, Concurrency Mode Auto beside Fixed 6
};

async function main() {
	const name = process.argv[2];
	const options = JSON.parse(process.argv[3] || '{}');
	if (!ROWS[name]) throw new Error(`Unknown row "${name}"; one of ${Object.keys(ROWS).join(', ')}`);
	const result = await ROWS[name](options);
	if (process.send) process.send({ type: 'result', result });
	else console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error) => {
			if (process.send) process.send({ type: 'error', message: error?.stack ?? String(error) });
			else console.error(error);
			process.exit(1);
		},
	);
}

module.exports = ROWS;
