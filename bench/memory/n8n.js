'use strict';
/**
 * The memory benchmark in a real n8n (`npm run bench:memory`, bench/memory.js; its one-run smoke in
 * test/output/memory.e2e.test.js): how much the n8n process grows while the Legnext node brings videos into
 * n8n's binary data, beside n8n's own HTTP Request node downloading the same files, in the same n8n
 * install. Every run in a freshly started n8n (a process keeps the RSS it grew once).
 *
 * Cases (each a workflow that ends with a `Done` node, an HTTP Request that tells the benchmark the
 * execution id, so nothing polls n8n while it downloads):
 *  - pause:     Webhook → Split Out → Image to Video (Pause Until Callback, Download Files = Videos) → Done
 *  - poll:      the same with Poll Until Done (a `--draft` video: first check 16.5 s after the submit)
 *  - trigger:   Webhook → Image to Video (Don't Wait, callback to the trigger workflow); the trigger
 *               workflow, Legnext Trigger (Download Files = Videos) → Done, is the one measured
 *  - pause16:   the pause workflow with 4 items: 4 jobs × 4 videos
 *  - http:      Webhook → Split Out → HTTP Request (Response Format: File) → Done, n8n's own download
 *               of the same 4 files (a pause run's files: same size, same server)
 *  - http16:    the same for 16 files
 * A run: restart n8n; warm-up (the same case with 256 KiB files: modules loaded, code compiled,
 * sockets pooled); 2 s; baseline = median VmRSS of 1 s of samples; start the case and sample VmRSS of
 * the n8n process (/proc/<pid>/status) every `sampleMs` until the execution is saved as finished;
 * growth = peak − baseline.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const support = require('../../test/harness/e2e/support');
const { startSimulator } = require('../../test/harness/simulator/server');
const { MB, API_KEY, CREDENTIAL, WF, HOOK, SMALL, SMALL_BYTES, PROBE, CASES, DEFAULT_CASES, workflows, referenceFiles, checkFiles } = require('./cases');
const { n8nPid, rssMB, median, startDoneServer, finished, probeSummary } = require('./sampling');

const { host, delay } = support;

/**
 * Memory of n8n while each case runs. Options: cases (names of CASES), runs (per case, each in a fresh
 * n8n), fileBytes (each big video), jobSeconds (how long each job takes), sampleMs, settle (a full GC in n8n before each baseline, default
 * on), nodeOptions (more flags for n8n's Node, e.g. --trace-gc), log (a line per run), diagnose (the
 * probe's figures in that line), keepProbe (keep the probe's samples, result.probeDir),
 * pollExecutionsMs (list the case's executions this often during each run, as row 3 of `npm run bench`
 * used to: to show what that costs).
 */
async function n8nMemory({
	cases = DEFAULT_CASES,
	runs = 5,
	fileBytes = 64 * MB,
	sampleMs = 20,
	keepProbe = false,
	settle = true,
	nodeOptions = '',
	version,
	log = () => {},
	diagnose = false,
	pollExecutionsMs = 0,
	jobSeconds = 10,
} = {}) {
	for (const name of cases) if (!CASES[name]) throw new Error(`Unknown memory case "${name}"; one of ${Object.keys(CASES).join(', ')}`);
	const started = Date.now();
	const sim = await startSimulator({
		apiKeys: [API_KEY],
		timeScale: 1,
		concurrencyLimit: 0,
		// Every job takes jobSeconds (0.5 s of it pending): 10 s by default, the shortest jobs Legnext runs
		// (--draft and --turbo images take 8–25 s). Shorter jobs call back while n8n is still saving the paused
		// execution, and that work's garbage lands on the download's figure (2 s jobs: pause +68 MB, spread
		// 70 MB, 8 runs; 10 s jobs: +54 MB, spread 21 MB, 6 runs). The poll case is first checked at 16.5 s
		// (a --draft video's first check), after the job has ended.
		// The warm-up's jobs (small videos) take 2 s: they only load and compile what the run uses.
		durations: (taskType, job) => ({ pending: 0.5, processing: JSON.stringify(job.body ?? '').includes(SMALL) ? 1.5 : Math.max(0.5, jobSeconds - 0.5) }),
		videoBytes: (job) => (JSON.stringify(job.body ?? '').includes(SMALL) ? SMALL_BYTES : fileBytes),
	});
	const done = await startDoneServer();
	const pack = support.packPackage();
	const ports = { port: await host.freePort([sim.port, done.port]) };
	ports.brokerPort = await host.freePort([ports.port, sim.port, done.port]);
	// The probe (bench/memory/probe.js) in n8n: the settling GC, and n8n's own view of its memory.
	const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-memprobe-'));
	let probeFile;
	const env = () => ({
		NODE_OPTIONS: [nodeOptions, `--require ${PROBE}`].filter(Boolean).join(' '),
		LEGNEXT_MEMPROBE_SETTLE: settle ? '1' : undefined,
		LEGNEXT_MEMPROBE_FILE: probeFile,
		LEGNEXT_MEMPROBE_MS: String(sampleMs),
		LEGNEXT_MEMPROBE_SNAPSHOTS: process.env.LEGNEXT_MEMPROBE_SNAPSHOTS,
	});
	const quiet = () => {};
	let n8n;
	const result = { version: undefined, fileMB: fileBytes / MB, sampleMs, settle, runs: Object.fromEntries(cases.map((name) => [name, []])), load: [os.loadavg()[0]] };
	try {
		// The files n8n's HTTP Request node downloads: those of jobs made here, the same size, on the same server.
		const files = await referenceFiles(sim);
		const baseUrlFor = (port) => `http://127.0.0.1:${port}`;
		const newProbe = (label) => {
			probeFile = path.join(probeDir, `${label}.jsonl`);
		};
		newProbe('setup');
		n8n = await host.startN8n({
			packageTarball: pack.tarball,
			version,
			...ports,
			credentials: [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: sim.url } }],
			workflows: workflows(baseUrlFor(ports.port), done.url),
			keepUserFolder: true,
			env: env(),
			log: quiet,
		});
		result.version = n8n.n8nVersion;
		for (const id of Object.values(WF)) await n8n.activateWorkflow(id);

		const restart = async (label) => {
			newProbe(label);
			const t0 = Date.now();
			await n8n.stop({ keepUserFolder: true });
			const t1 = Date.now();
			n8n = await host.startN8n({ userFolder: n8n.userFolder, version, ...ports, keepUserFolder: true, env: env(), log: quiet });
			return { stopSeconds: (t1 - t0) / 1000, startSeconds: (Date.now() - t1) / 1000 };
		};
		const startCase = async (name, small) => {
			const c = CASES[name];
			const imageUrl = `https://example.com/${small ? SMALL : 'still'}.png`;
			const jobs = Array.from({ length: c.jobs }, () => ({ imageUrl }));
			if (name === 'pause' || name === 'pause16') await support.callWebhook(n8n, HOOK.pause, { jobs });
			else if (name === 'poll') await support.callWebhook(n8n, HOOK.poll, { jobs });
			else if (name === 'trigger') await support.callWebhook(n8n, HOOK.submit, { jobs });
			else if (name === 'held') await support.callWebhook(n8n, HOOK.held, { jobs });
			else await support.callWebhook(n8n, HOOK.http, { files: (small ? files.small : files.big).slice(0, c.files).map((url) => ({ url })) });
		};
		const runCase = async (name, small) => {
			const next = done.next(240_000);
			await startCase(name, small);
			const { id, at } = await next;
			const execution = await finished(n8n, id);
			return { id, execution, doneAt: at };
		};

		// Rounds: each case once per round, so that load that comes and goes weighs on every case alike.
		for (let round = 0; round < runs; round++) {
			for (const name of cases) {
				const label = `${name}-${round + 1}`;
				const restarted = await restart(label);
				const pid = n8nPid(n8n.pid);
				const t0 = Date.now();
				await runCase(name, true);
				await delay(1000);
				if (settle) {
					process.kill(pid, 'SIGUSR2');
					await delay(1500);
				}
				const quietSamples = [];
				for (let k = 0; k < Math.round(1000 / sampleMs); k++) {
					quietSamples.push(rssMB(pid));
					await delay(sampleMs);
				}
				const baseline = median(quietSamples);
				let peak = baseline;
				const timer = setInterval(() => (peak = Math.max(peak, rssMB(pid))), sampleMs);
				const from = Date.now();
				let run;
				// Only to reproduce how the benchmark's row 3 watched the node's runs before (--poll-executions).
				let polling = pollExecutionsMs > 0;
				const poller = (async () => {
					while (polling) {
						await n8n.listExecutions(CASES[name].workflow, { limit: 250 });
						await delay(pollExecutionsMs);
					}
				})();
				try {
					run = await runCase(name, false);
				} finally {
					clearInterval(timer);
					polling = false;
					await poller;
				}
				const to = Date.now();
				peak = Math.max(peak, rssMB(pid));
				// Download time: the first file request of the run to the Done call.
				const fileRequests = sim.requests.filter((r) => r.at >= from && r.path.startsWith('/files/'));
				const downloadSeconds = fileRequests.length ? (run.doneAt - fileRequests[0].at) / 1000 : NaN;
				const execution = await n8n.getExecution(run.id);
				checkFiles(execution, CASES[name], fileBytes, label);
				const entry = { ...restarted, round: round + 1, baselineMB: baseline, peakMB: peak, growthMB: peak - baseline, seconds: (to - from) / 1000, downloadSeconds, warmSeconds: (from - t0) / 1000, load: os.loadavg()[0] };
				// What stays after the run: n8n settled again, its heap and ArrayBuffers beside the baseline's.
				if (settle) {
					process.kill(pid, 'SIGUSR2');
					await delay(1000);
					// A heap snapshot is being written (LEGNEXT_MEMPROBE_SNAPSHOTS): n8n is busy with it a while.
					if (process.env.LEGNEXT_MEMPROBE_SNAPSHOTS) await n8n.api('/executions', { query: { limit: 1 } });
				}
				entry.probe = probeSummary(probeFile, pid, from, to);
				result.runs[name].push(entry);
				log(`${label}: +${entry.growthMB.toFixed(1)} MB (baseline ${baseline.toFixed(0)} MB, ${entry.seconds.toFixed(1)} s, downloads ${downloadSeconds.toFixed(1)} s, warm-up ${entry.warmSeconds.toFixed(1)} s, restart ${entry.stopSeconds.toFixed(1)} + ${entry.startSeconds.toFixed(1)} s, load ${entry.load.toFixed(2)})${diagnose ? ` ${JSON.stringify(entry.probe)}` : ''}`);
			}
		}
		result.load.push(os.loadavg()[0]);
		result.seconds = (Date.now() - started) / 1000;
		if (keepProbe) result.probeDir = probeDir;
		return result;
	} catch (error) {
		throw new Error(`${error?.stack ?? error}\nn8n log tail:\n${n8n?.logs().slice(-3000)}`);
	} finally {
		const folder = n8n?.userFolder;
		if (n8n) await n8n.stop({ keepUserFolder: false });
		if (folder) fs.rmSync(folder, { recursive: true, force: true });
		fs.rmSync(pack.dir, { recursive: true, force: true });
		if (!keepProbe) fs.rmSync(probeDir, { recursive: true, force: true });
		await done.close();
		await sim.close();
	}
}

module.exports = { n8nMemory, CASES, DEFAULT_CASES };
