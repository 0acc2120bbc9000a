#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Run the Legnext simulator on its own:
 *
 *   node test/harness/simulator/cli.js --port 4010 --time-scale 1
 *
 * Options: --port N (default 4010; 0 = any free port), --host H, --time-scale X (simulated seconds per
 * real second), --api-key K (repeatable; default "demo-key" or $LEGNEXT_SIM_API_KEY), --whitelist K
 * (repeatable: keys allowed to use edit / upload-paint), --concurrency N (0 = no cap), --callback-delay S,
 * --video-bytes N, --file-base-url URL, --webhook-secret S (callbacks are signed), --numeric-job-ids, --log. Prints the base URL and the API key; Ctrl-C stops it.
 */
const { startSimulator } = require('./server');

const USAGE = `Usage: node test/harness/simulator/cli.js [--port 4010] [--time-scale 1] [--api-key KEY]... [--whitelist KEY]...
       [--concurrency 6] [--callback-delay 0] [--video-bytes 262144] [--file-base-url URL] [--host 127.0.0.1]
       [--webhook-secret SECRET] [--numeric-job-ids] [--log]`;

/**
 * @param {string[]} argv
 * @returns {import('./server').SimulatorOptions}
 */
function parseArgs(argv) {
	/** @type {import('./server').SimulatorOptions} */
	const options = { port: 4010, log: false };
	/** @type {string[]} */
	const keys = [];
	/** @type {string[]} */
	const whitelist = [];
	for (let i = 0; i < argv.length; i++) {
		const [name, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${name} needs a value`);
			return v;
		};
		const number = () => {
			const v = Number(value());
			if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number >= 0`);
			return v;
		};
		switch (name) {
			case '--port': options.port = number(); break;
			case '--host': options.host = value(); break;
			case '--time-scale': options.timeScale = number(); break;
			case '--api-key': keys.push(value()); break;
			case '--whitelist': whitelist.push(value()); break;
			case '--concurrency': options.concurrencyLimit = number(); break;
			case '--callback-delay': options.callbackDelay = number(); break;
			case '--video-bytes': options.videoBytes = number(); break;
			case '--file-base-url': options.fileBaseUrl = value(); break;
			case '--webhook-secret': options.webhookSecret = value(); break;
			case '--numeric-job-ids': options.jobIdFormat = 'numeric'; break;
			case '--log': options.log = true; break;
			case '-h':
			case '--help':
				console.log(USAGE);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown option ${argv[i]}`);
		}
	}
	options.apiKeys = keys.length > 0 ? keys : [process.env.LEGNEXT_SIM_API_KEY || 'demo-key'];
	options.whitelistedKeys = whitelist;
	return options;
}

async function main() {
	let options;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
		process.exit(2);
	}
	const simulator = await startSimulator(options);
	const scale = options.timeScale ?? 1;
	console.log(`Legnext simulator listening at ${simulator.url}  (API paths start with /api)`);
	console.log(`API key: ${simulator.demoKey}`);
	console.log(`Time scale: ${scale} (a 60 s job takes ${(60 / scale).toFixed(scale > 60 ? 2 : 0)} s)`);
	console.log('Press Ctrl-C to stop.');
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await simulator.close();
		console.log('Legnext simulator stopped.');
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
