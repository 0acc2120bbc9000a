'use strict';
/**
 * The memory benchmark in a real n8n (`npm run bench:memory`, bench/memory.js; its one-run smoke in
 * test/e2e/memory.e2e.test.js): how much the n8n process grows while the Legnext node brings videos into
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
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const support = require('../../test/harness/e2e/support');
const { startSimulator } = require('../../test/harness/simulator/server');

const { host, uuid, webhookNode, legnextNode, triggerNode, chainWorkflow, delay } = support;

const MB = 1024 * 1024;
const API_KEY = 'bench-memory-key-7f3e9a1c5b2d';
const CREDENTIAL = { id: 'LgxMemBenchCred1', name: 'Legnext memory bench', type: 'legnextApi' };
const WF = {
	pause: 'LgxMemWfPause001',
	poll: 'LgxMemWfPoll0001',
	submit: 'LgxMemWfSubmit01',
	trigger: 'LgxMemWfTrigger1',
	http: 'LgxMemWfHttp0001',
	held: 'LgxMemWfHeld0001',
};
const HOOK = { pause: 'mem-pause', poll: 'mem-poll', submit: 'mem-submit', http: 'mem-http', held: 'mem-held' };
/** The `held` case's items: this many MB of JSON each before the Legnext node. */
const HELD_MB = 10;
/** A job whose request carries this marker gets small videos (the warm-up). */
const SMALL = 'bench-small';
const SMALL_BYTES = 256 * 1024;
const PROBE = path.join(__dirname, 'probe.js');

/** What each case runs, which workflow's execution is measured, and how many files it brings. */
const CASES = {
	pause: { label: 'Pause Until Callback', workflow: WF.pause, node: 'Legnext', files: 4, jobs: 1 },
	poll: { label: 'Poll Until Done', workflow: WF.poll, node: 'Legnext', files: 4, jobs: 1 },
	trigger: { label: 'Legnext Trigger', workflow: WF.trigger, node: 'Legnext Trigger', files: 4, jobs: 1 },
	pause16: { label: 'Pause Until Callback, 4 jobs × 4 videos', workflow: WF.pause, node: 'Legnext', files: 16, jobs: 4 },
	http: { label: "n8n's HTTP Request node", workflow: WF.http, node: 'HTTP Request', files: 4, jobs: 1, reference: true },
	http16: { label: "n8n's HTTP Request node, 16 files", workflow: WF.http, node: 'HTTP Request', files: 16, jobs: 4, reference: true },
	// Not a download: what a paused execution leaves in n8n's memory once it has resumed (`retained`):
	// 2 items carrying 10 MB of JSON each, Pause Until Callback, no files. Only when asked (--cases=held).
	held: { label: `Pause Until Callback, 2 items of ${HELD_MB} MB JSON, no files`, workflow: WF.held, node: 'Legnext', files: 0, items: 2, jobs: 2 },
};
const DEFAULT_CASES = ['pause', 'poll', 'trigger', 'pause16', 'http', 'http16'];

function doneNode(doneUrl) {
	return {
		id: uuid('d1d1'),
		name: 'Done',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [720, 0],
		executeOnce: true,
		parameters: { method: 'POST', url: `={{ "${doneUrl}/" + $execution.id }}`, options: {} },
	};
}

/** Split Out: the webhook's `body.<field>` (an array of objects) as one item each. */
function splitNode(field) {
	return {
		id: uuid('e1e1'),
		name: 'Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [240, 0],
		parameters: { fieldToSplitOut: `body.${field}`, options: {} },
	};
}

function workflows(baseUrl, doneUrl) {
	const video = (waitMode, extra = {}) => ({
		resource: 'video',
		operation: 'imageToVideo',
		imageSource: 'url',
		imageUrl: '={{ $json.imageUrl }}',
		// --draft: Poll Until Done checks a draft video first 16.5 s after the submit (2 min for others).
		prompt: 'The camera drifts --draft',
		download: 'videos',
		fileLayout: 'itemPerFile',
		waitMode,
		...extra,
	});
	const triggerUrl = support.triggerUrl(baseUrl, WF.trigger);
	return [
		chainWorkflow(WF.pause, 'memory bench: Image to Video, Pause Until Callback, download the videos', [
			webhookNode(HOOK.pause),
			splitNode('jobs'),
			legnextNode('Legnext', CREDENTIAL, video('callback'), [480, 0]),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.poll, 'memory bench: Image to Video, Poll Until Done, download the videos', [
			webhookNode(HOOK.poll),
			splitNode('jobs'),
			legnextNode('Legnext', CREDENTIAL, video('poll'), [480, 0]),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.submit, 'memory bench: Image to Video calling back the trigger workflow', [
			webhookNode(HOOK.submit),
			splitNode('jobs'),
			legnextNode('Legnext', CREDENTIAL, video('none', { download: 'none', callback: 'url', callbackUrl: triggerUrl }), [480, 0]),
		]),
		chainWorkflow(WF.trigger, 'memory bench: Legnext Trigger downloads the videos', [
			triggerNode('Legnext Trigger', CREDENTIAL, { statuses: ['completed'], taskTypes: ['video_diffusion'], download: 'videos', fileLayout: 'itemPerFile' }),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.held, 'memory bench: items of 10 MB JSON, Pause Until Callback, no files', [
			webhookNode(HOOK.held),
			splitNode('jobs'),
			{
				id: uuid('f7a7'),
				name: 'Pad',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [360, 0],
				parameters: {
					assignments: { assignments: [{ id: uuid('f8a8'), name: 'pad', value: `={{ 'x'.repeat(${HELD_MB} * 1024 * 1024) }}`, type: 'string' }] },
					includeOtherFields: true,
					options: {},
				},
			},
			legnextNode('Legnext', CREDENTIAL, video('callback', { download: 'none' }), [480, 0]),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.http, "memory bench: n8n's HTTP Request node downloads the files", [
			webhookNode(HOOK.http),
			splitNode('files'),
			{
				id: uuid('f6a6'),
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [480, 0],
				parameters: { url: '={{ $json.url }}', options: { response: { response: { responseFormat: 'file' } } } },
			},
			doneNode(doneUrl),
		]),
	];
}

/** The n8n process itself: the supervisor's child (scripts/n8n-host/supervisor.js). */
function n8nPid(supervisorPid) {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === supervisorPid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('start')) return Number(entry);
		} catch {
			/* gone */
		}
	}
	throw new Error(`No n8n process under supervisor ${supervisorPid}`);
}

const rssMB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A tiny server the workflows' Done nodes call: resolves the waiter of the execution that finished. */
async function startDoneServer() {
	const waiters = [];
	const server = http.createServer((req, res) => {
		const id = decodeURIComponent(req.url.split('/').pop());
		res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		const waiter = waiters.shift();
		if (waiter) waiter({ id, at: Date.now() });
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/done`,
		port: server.address().port,
		/** The next Done call (registered before the run starts). */
		next(timeoutMs) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(done), 1);
					reject(new Error(`No Done call within ${timeoutMs / 1000} s`));
				}, timeoutMs);
				const done = (value) => {
					clearTimeout(timer);
					resolve(value);
				};
				waiters.push(done);
			});
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** A webhook of a workflow activated a moment ago: n8n may answer 404 until it has registered it. */
async function webhookWhenServed(n8n, hook, body) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await n8n.webhook(hook, { body });
		if (response.status === 200) return response;
		if (response.status !== 404 || Date.now() > deadline) throw new Error(`POST /webhook/${hook} answered ${response.status}: ${response.text.slice(0, 300)}`);
		await delay(500);
	}
}

async function finished(n8n, id, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await n8n.api(`/executions/${id}`, { query: { includeData: false } });
		if (support.FINISHED.includes(execution.status)) return execution;
		if (Date.now() > deadline) throw new Error(`Execution ${id} not finished within ${timeoutMs / 1000} s (${execution.status})`);
		await delay(200);
	}
}

/**
 * Memory of n8n while each case runs. Options: cases (names of CASES), runs (per case, each in a fresh
 * n8n), fileBytes (each big video), sampleMs, settle (a full GC in n8n before each baseline, default
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
} = {}) {
	for (const name of cases) if (!CASES[name]) throw new Error(`Unknown memory case "${name}"; one of ${Object.keys(CASES).join(', ')}`);
	const started = Date.now();
	const sim = await startSimulator({
		apiKeys: [API_KEY],
		timeScale: 1,
		concurrencyLimit: 0,
		// Every job pends 0.5 s and runs 1.5 s; the poll case is checked at 16.5 s (a --draft video's first check).
		durations: () => ({ pending: 0.5, processing: 1.5 }),
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
			if (name === 'pause' || name === 'pause16') await webhookWhenServed(n8n, HOOK.pause, { jobs });
			else if (name === 'poll') await webhookWhenServed(n8n, HOOK.poll, { jobs });
			else if (name === 'trigger') await webhookWhenServed(n8n, HOOK.submit, { jobs });
			else if (name === 'held') await webhookWhenServed(n8n, HOOK.held, { jobs });
			else await webhookWhenServed(n8n, HOOK.http, { files: (small ? files.small : files.big).slice(0, c.files).map((url) => ({ url })) });
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

/** 4 jobs' videos, big and small, made straight on the simulator (no n8n involved). */
async function referenceFiles(sim) {
	const make = async (small) => {
		const urls = [];
		for (let k = 0; k < 4; k++) {
			const response = await fetch(`${sim.url}/api/v1/video-diffusion`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify({ prompt: `https://example.com/${small ? SMALL : 'still'}.png reference ${k}` }),
			});
			const body = await response.json();
			if (!body.job_id) throw new Error(`The simulator refused a reference job: ${JSON.stringify(body)}`);
			urls.push(body.job_id);
		}
		return urls;
	};
	const ids = [...(await make(false)), ...(await make(true))];
	const deadline = Date.now() + 30_000;
	for (;;) {
		const views = ids.map((id) => sim.view(id));
		if (views.every((view) => view.status === 'completed')) {
			const urls = views.map((view) => view.output.video_urls);
			return { big: urls.slice(0, 4).flat(), small: urls.slice(4).flat() };
		}
		if (Date.now() > deadline) throw new Error('Reference jobs did not complete within 30 s');
		await delay(250);
	}
}

function checkFiles(execution, c, fileBytes, label) {
	const items = support.nodeOutput(execution, c.node) ?? [];
	if (!c.files) {
		if (execution.status !== 'success' || items.length !== c.items || items.some((item) => item.json.status !== 'completed')) {
			throw new Error(`${label}: ${c.items} completed jobs expected: ${support.describeExecution(execution)}`);
		}
		return;
	}
	// Every file of every item: one item per file, or (after a pause) a job's files on its one item.
	const sizes = items.flatMap((item) => Object.values(item.binary ?? {}).map((binary) => Number(binary.bytes)));
	if (execution.status !== 'success' || sizes.length !== c.files || sizes.some((bytes) => Math.abs(bytes - fileBytes) > 64 * 1024)) {
		throw new Error(`${label}: ${c.files} files of ${fileBytes} bytes expected, got ${JSON.stringify(sizes)}: ${support.describeExecution(execution)}`);
	}
}

/**
 * n8n's own view of the run (the probe's samples of this process): growth of each figure at its peak
 * during the run over its median in the second before; what is left after the run once settled
 * (heap and ArrayBuffers in the last sample beside the baseline); the garbage collections in the run.
 */
function probeSummary(file, pid, from, to) {
	const lines = fs
		.readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line))
		.filter((line) => line.pid === pid);
	const samples = lines.filter((l) => l.rss !== undefined);
	const before = samples.filter((l) => l.t >= from - 1000 && l.t < from);
	const inRun = samples.filter((l) => l.t >= from && l.t <= to);
	const last = samples.at(-1);
	if (!before.length || !inRun.length) return undefined;
	const keys = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'];
	const base = Object.fromEntries(keys.map((k) => [k, median(before.map((s) => s[k]))]));
	const round = (bytes) => Math.round(bytes / MB);
	const growth = Object.fromEntries(keys.map((k) => [k, round(Math.max(...inRun.map((s) => s[k])) - base[k])]));
	const jsPeak = round(Math.max(...inRun.map((s) => s.heapUsed + s.arrayBuffers)) - (base.heapUsed + base.arrayBuffers));
	const retained = { heapUsed: round(last.heapUsed - base.heapUsed), arrayBuffers: round(last.arrayBuffers - base.arrayBuffers) };
	const gcs = lines.filter((l) => l.gc && l.t >= from && l.t <= to);
	const count = (kind) => gcs.filter((g) => g.gc === kind).length;
	const copiedMB = inRun.at(-1).copied === undefined ? undefined : round(inRun.at(-1).copied - before.at(-1).copied);
	return { growth, jsPeak, retained, copiedMB, gc: { minor: count('minor'), major: count('major') } };
}

module.exports = { n8nMemory, CASES, DEFAULT_CASES };
