#!/usr/bin/env node
'use strict';
// A real n8n with this package installed, for trying the nodes by hand and for e2e tests.
//
//   node scripts/n8n-host/cli.js install            n8n + its Node into the cache (once, ~5 min)
//   node scripts/n8n-host/cli.js start [options]    n8n with the package, until Ctrl-C
//   node scripts/n8n-host/cli.js queue [options]    queue mode: Postgres, Redis, main, 2 workers, a webhook
//                                                   processor (needs: apt-get install postgresql redis-server)
//   node scripts/n8n-host/cli.js where              the cache folder and whether it is complete
//
// start options:
//   --tarball <file.tgz>   package to install (default: `npm pack` of this repository's dist/ as built)
//   --build                run `npm run build` before packing
//   --no-package           start n8n without the package
//   --port <n>             editor/API port (default: a free one); --broker-port <n> likewise
//   --user-folder <dir>    N8N_USER_FOLDER to use and keep (default: a temp folder removed on exit)
//   --credentials <file>   credentials JSON to import; --workflows <file> workflows JSON to import
//   --activate <id,id>     workflows to publish (activate) before start
//   --logs                 print n8n's log as it runs
// queue takes the same options but --user-folder and --broker-port, and --workers <n> (default 2)
// common: --version <n8n version> (default 2.41.1; 1.123.x too), --node-version <v> (default: what that
// n8n line needs, scripts/n8n-host/versions.js), --force (install)
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const host = require('./host');

const repoRoot = path.resolve(__dirname, '..', '..');

function parseArgs(argv) {
	const args = { _: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) {
			args._.push(arg);
			continue;
		}
		const [key, inline] = arg.slice(2).split(/=(.*)/s, 2);
		if (key.startsWith('no-')) args[key.slice(3)] = false;
		else if (inline !== undefined) args[key] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) args[key] = argv[++i];
		else args[key] = true;
	}
	return args;
}

const say = (line) => console.log(line);

function packRepository({ build }) {
	if (build) {
		say('[n8n-host] npm run build');
		childProcess.execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
	}
	if (!fs.existsSync(path.join(repoRoot, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` first (or pass --build)');
	}
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-pack-'));
	process.on('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
	const out = childProcess.execFileSync('npm', ['pack', '--pack-destination', dest, '--ignore-scripts', '--json'], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [info] = JSON.parse(out);
	const tarball = path.join(dest, info.filename);
	say(`[n8n-host] packed ${info.name}@${info.version} from dist/ as built: ${tarball}`);
	return tarball;
}

async function install(args) {
	const t0 = Date.now();
	const result = await host.ensureN8n({
		version: args.version,
		nodeVersion: args['node-version'],
		force: Boolean(args.force),
		log: say,
	});
	say(
		result.installed
			? `[n8n-host] installed in ${Math.round((Date.now() - t0) / 1000)} s`
			: `[n8n-host] already installed (${result.cacheDir})`,
	);
	say(`node: ${result.nodeBin}\nn8n:  ${result.n8nBin}`);
}

async function start(args) {
	const tarball = args.package === false ? undefined : args.tarball ? path.resolve(args.tarball) : packRepository({ build: args.build });
	const n8n = await host.startN8n({
		version: args.version,
		nodeVersion: args['node-version'],
		packageTarball: tarball,
		port: args.port,
		brokerPort: args['broker-port'],
		userFolder: args['user-folder'],
		credentials: args.credentials,
		workflows: args.workflows,
		activate: typeof args.activate === 'string' ? args.activate.split(',').filter(Boolean) : [],
		printLogs: Boolean(args.logs),
		log: say,
	});
	say('');
	say(`n8n ${n8n.n8nVersion} is running: ${n8n.editorUrl}`);
	say(`  log in:    ${n8n.owner.email} / ${n8n.owner.password}`);
	if (n8n.installedPackage) {
		say(`  package:   ${n8n.installedPackage.name}@${n8n.installedPackage.version} (${n8n.installedPackage.dir})`);
	}
	say(`  API key:   ${n8n.apiKey}   (header X-N8N-API-KEY, ${n8n.baseUrl}/api/v1/...)`);
	say(`  webhooks:  ${n8n.webhookUrl}`);
	say(`  folder:    ${n8n.userFolder}${args['user-folder'] ? '' : ' (removed on exit)'}`);
	say(`  log:       ${n8n.logFile}`);
	say('Press Ctrl-C to stop.');

	await runUntilStopped(n8n, () => n8n.stop(), () => n8n.stop({ keepUserFolder: true }));
}

/** Waits for Ctrl-C (then `stop`), or for main to exit by itself (then `stopAfterExit`, exit 1). */
async function runUntilStopped(n8n, stop, stopAfterExit) {
	let stopping = false;
	const shutdown = async (signal) => {
		if (stopping) return;
		stopping = true;
		say(`\n[n8n-host] ${signal}: stopping n8n...`);
		await stop();
		say('[n8n-host] stopped');
		process.exit(0);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	const { code, signal } = await n8n.exited;
	if (!stopping) {
		console.error(`[n8n-host] n8n exited by itself (code ${code}, signal ${signal}); last lines of ${n8n.logFile}:`);
		console.error(n8n.logs().split('\n').slice(-30).join('\n'));
		await stopAfterExit();
		process.exit(1);
	}
}

async function queue(args) {
	const { startQueue } = require('./queue');
	const tarball = args.package === false ? undefined : args.tarball ? path.resolve(args.tarball) : packRepository({ build: args.build });
	const q = await startQueue({
		version: args.version,
		nodeVersion: args['node-version'],
		packageTarball: tarball,
		port: args.port,
		workers: args.workers === undefined ? 2 : Number(args.workers),
		credentials: args.credentials,
		workflows: args.workflows,
		activate: typeof args.activate === 'string' ? args.activate.split(',').filter(Boolean) : [],
		printLogs: Boolean(args.logs),
		log: say,
	});
	const n8n = q.main;
	say('');
	say(`n8n ${n8n.n8nVersion} in queue mode, up in ${Math.round(q.timings.startMs / 1000)} s: ${n8n.editorUrl}`);
	say(`  log in:      ${n8n.owner.email} / ${n8n.owner.password}`);
	say(`  API key:     ${n8n.apiKey}   (header X-N8N-API-KEY, ${n8n.baseUrl}/api/v1/...)`);
	say(`  webhooks:    ${q.webhook.webhookUrl}   (the webhook processor; N8N_WEBHOOK_URL of every process)`);
	say(`  logs:        main ${n8n.logFile}`);
	for (const p of [q.webhook, ...q.workers]) say(`               ${p.name} ${p.logFile}`);
	say(`  Postgres:    127.0.0.1:${q.postgres.port} (user n8n, database postgres); Redis: 127.0.0.1:${q.redis.port}`);
	say('Everything is removed on exit. Press Ctrl-C to stop.');
	await runUntilStopped(n8n, () => q.stop(), () => q.stop());
}


function where(args) {
	const dir = host.cacheDirFor(args.version || host.DEFAULT_N8N_VERSION);
	const marker = path.join(dir, 'installed.json');
	say(dir);
	say(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : 'not installed (or not complete)');
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const command = args._[0];
	if (command === 'install') return install(args);
	if (command === 'start') return start(args);
	if (command === 'queue') return queue(args);
	if (command === 'where') return where(args);
	console.log(fs.readFileSync(__filename, 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
	process.exit(command ? 2 : 0);
}

main().catch((error) => {
	console.error(`[n8n-host] ${error.stack || error.message}`);
	process.exit(1);
});
