'use strict';
/**
 * Row 3's real-n8n line and row 6 of the benchmark, in a real n8n 2.41.1 (scripts/n8n-host) with the
 * packed package, against the Legnext simulator in this process at real time (timeScale 1):
 *
 *  6. callback → execution finished for Pause Until Callback: single-item executions (Webhook → Text to
 *     Image, Pause Until Callback, no download), each job 5 s; from the moment the simulator sends the
 *     job's callback to the execution's stoppedAt as n8n records it. Beside it, n8n's own webhook round
 *     trip in the same n8n: a plain Webhook → No Operation workflow, request sent → its stoppedAt; and
 *     n8n's own resume: a Wait node (On Webhook Call) resumed by a POST to $execution.resumeUrl.
 *  3. RSS growth of the n8n process (/proc/<pid>/status VmRSS, sampled every 20 ms) while a workflow
 *     downloads 4 × 64 MB videos (Image to Video, Download Files = Videos, Pause Until Callback); n8n restarted before each
 *     run on the same user folder (a process does not give back RSS it grew once), a warm-up with
 *     256 KiB videos, baseline = median of 1 s of samples just before; growth = peak − baseline.
 */
const fs = require('fs');
const os = require('os');
const support = require('../../test/harness/e2e/support');
const { startSimulator } = require('../../test/harness/simulator/server');
const { median } = require('../lib');

const { host, uuid, webhookNode, legnextNode, chainWorkflow, delay } = support;
const API_KEY = 'bench-n8n-key-5e0c1a2b3d4f';
const CREDENTIAL = { id: 'LgxBenchCred0001', name: 'Legnext bench', type: 'legnextApi' };
const WF = { plain: 'LgxBenchWfPlain01', wait: 'LgxBenchWfWait001', pause: 'LgxBenchWfPause01', video: 'LgxBenchWfVideo01', download: 'LgxBenchWfDownld1' };
const HOOK = { plain: 'bench-plain', wait: 'bench-wait', pause: 'bench-pause', video: 'bench-video', download: 'bench-download' };
const SMALL = 'bench-small';

function workflows() {
	const noOp = { id: uuid('f0a0'), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} };
	// n8n's own resume: the Set node keeps $execution.resumeUrl where the public API shows it.
	const resumeUrl = {
		id: uuid('f1a1'),
		name: 'Resume URL',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [240, 0],
		parameters: { assignments: { assignments: [{ id: uuid('f2a2'), name: 'resumeUrl', value: '={{ $execution.resumeUrl }}', type: 'string' }] }, options: {} },
	};
	const wait = {
		id: uuid('f3a3'),
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [480, 0],
		webhookId: uuid('f4a4'),
		parameters: { resume: 'webhook', httpMethod: 'POST', responseMode: 'onReceived', options: {} },
	};
	const download = webhookNode(HOOK.download);
	download.parameters.responseMode = 'lastNode';
	const urlItems = {
		id: uuid('f5a5'),
		name: 'URLs',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [240, 0],
		parameters: { jsCode: 'return $input.first().json.body.urls.map((url) => ({ json: { url } }));' },
	};
	const httpRequest = {
		id: uuid('f6a6'),
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [480, 0],
		parameters: { url: '={{ $json.url }}', options: { response: { response: { responseFormat: 'file' } } } },
	};
	return [
		chainWorkflow(WF.plain, 'bench: Webhook → No Operation', [webhookNode(HOOK.plain), noOp]),
		chainWorkflow(WF.wait, 'bench: Webhook → Wait (resume on webhook call)', [webhookNode(HOOK.wait), resumeUrl, wait]),
		chainWorkflow(WF.pause, 'bench: Text to Image, Pause Until Callback', [
			webhookNode(HOOK.pause),
			legnextNode('Text to Image', CREDENTIAL, { resource: 'image', operation: 'textToImage', prompt: '={{ "a fox in the snow " + $json.body.n }}', waitMode: 'callback' }),
		]),
		chainWorkflow(WF.download, "bench: n8n's HTTP Request node downloads the files (answers when done)", [download, urlItems, httpRequest]),
		chainWorkflow(WF.video, 'bench: Image to Video, download the videos', [
			webhookNode(HOOK.video),
			// Pause Until Callback: a video is first checked 2 min into the job when polled (wait/schedule.ts),
			// which a 3 s simulated job would make the whole measure.
			legnextNode('Legnext', CREDENTIAL, {
				resource: 'video',
				operation: 'imageToVideo',
				imageSource: 'url',
				imageUrl: '={{ $json.body.imageUrl }}',
				download: 'videos',
				waitMode: 'callback',
			}),
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

const quantile = (values, q) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

const finishedExecutions = (n8n, workflowId, count, timeoutMs) => executionsIn(n8n, workflowId, support.FINISHED, count, timeoutMs);

/** At least `count` executions of the workflow in one of `statuses` (with their data). */
async function executionsIn(n8n, workflowId, statuses, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await n8n.listExecutions(workflowId, { includeData: true, limit: 250 });
		const done = list.filter((e) => statuses.includes(e.status));
		if (done.length >= count) return done;
		if (Date.now() > deadline) {
			const states = list.map((e) => `${e.id}:${e.status}`).join(', ');
			throw new Error(`${workflowId}: ${done.length} of ${count} executions ${statuses.join('/')} within ${timeoutMs} ms (${states})`);
		}
		await delay(1000);
	}
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

/** Row 6: `count` callbacks and `count` plain webhook calls, `spacingMs` apart. */
async function latency(n8n, sim, { count, spacingMs }) {
	// Warm-up: one of each, not counted; it also waits for n8n to serve the webhooks just activated.
	await webhookWhenServed(n8n, HOOK.plain, { n: -1 });
	await webhookWhenServed(n8n, HOOK.pause, { n: -1 });
	await finishedExecutions(n8n, WF.pause, 1, 60_000);

	const sentAt = new Map();
	for (let n = 0; n < count; n++) {
		sentAt.set(n, Date.now());
		const response = await n8n.webhook(HOOK.plain, { body: { n } });
		if (response.status !== 200) throw new Error(`POST /webhook/${HOOK.plain} answered ${response.status}`);
		await delay(spacingMs);
	}
	const plain = (await finishedExecutions(n8n, WF.plain, count + 1, 60_000))
		.map((e) => ({ e, n: support.nodeOutput(e, 'Start')?.[0]?.json?.body?.n }))
		.filter(({ n }) => sentAt.has(n))
		.map(({ e, n }) => Date.parse(e.stoppedAt) - sentAt.get(n));

	// n8n's own resume: Wait nodes (On Webhook Call) resumed `spacingMs` apart, POST → stoppedAt.
	await webhookWhenServed(n8n, HOOK.wait, { n: -1 });
	for (let n = 0; n < count; n++) await n8n.webhook(HOOK.wait, { body: { n } });
	const waiting = await executionsIn(n8n, WF.wait, ['waiting'], count + 1, 60_000);
	const resumedAt = new Map();
	for (const execution of waiting) {
		const url = support.nodeOutput(execution, 'Resume URL')?.[0]?.json?.resumeUrl;
		if (!url) throw new Error(`No resume URL in ${support.describeExecution(execution)}`);
		resumedAt.set(String(execution.id), Date.now());
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (response.status !== 200) throw new Error(`POST ${url} answered ${response.status}`);
		await delay(spacingMs);
	}
	const resumed = (await executionsIn(n8n, WF.wait, support.FINISHED, count + 1, 60_000))
		.filter((e) => support.nodeOutput(e, 'Start')?.[0]?.json?.body?.n !== -1)
		.map((e) => Date.parse(e.stoppedAt) - resumedAt.get(String(e.id)));

	// Pause: jobs of 5 s, submitted `spacingMs` apart, so their callbacks arrive one by one.
	for (let n = 0; n < count; n++) {
		const response = await n8n.webhook(HOOK.pause, { body: { n } });
		if (response.status !== 200) throw new Error(`POST /webhook/${HOOK.pause} answered ${response.status}`);
		await delay(spacingMs);
	}
	const paused = await finishedExecutions(n8n, WF.pause, count + 1, 120_000);
	const pause = [];
	let reads = 0;
	for (const execution of paused) {
		const [item] = support.nodeOutput(execution, 'Text to Image') ?? [];
		if (execution.status !== 'success' || item?.json?.status !== 'completed') throw new Error(`Pause run: ${support.describeExecution(execution)}`);
		const jobId = item.json.jobId;
		const callback = sim.callbacks.find((c) => c.jobId === jobId && c.kind === 'final');
		if (!callback) throw new Error(`No callback recorded for job ${jobId}`);
		if (String(sim.jobs.get(jobId)?.body?.text ?? '').endsWith(' -1')) continue; // the warm-up
		reads += sim.requests.filter((r) => r.method === 'GET' && r.jobId === jobId).length;
		pause.push(Date.parse(execution.stoppedAt) - callback.at);
	}
	const summary = (values) => ({ n: values.length, median: median(values), p95: quantile(values, 0.95), min: Math.min(...values), max: Math.max(...values) });
	const refused = sim.callbacks.filter((c) => c.kind === 'final' && c.status !== 200).length;
	const result = { plain: summary(plain), wait: summary(resumed), pause: summary(pause), readsPerJob: reads / pause.length, refusedCallbacks: refused, spacingMs };
	return result;
}

/** The video workflow, from its webhook to its finished execution (it pauses until the job calls back). */
async function runVideo(n8n, imageUrl) {
	const before = (await n8n.listExecutions(WF.video, { limit: 250 })).length;
	await webhookWhenServed(n8n, HOOK.video, { imageUrl });
	const deadline = Date.now() + 180_000;
	for (;;) {
		const list = await n8n.listExecutions(WF.video, { limit: 250 });
		if (list.length > before && support.FINISHED.includes(list[0].status)) return list[0];
		if (Date.now() > deadline) throw new Error(`The video workflow did not finish within 3 min: ${list.map((e) => `${e.id}:${e.status}`).join(', ')}`);
		await delay(250);
	}
}

/**
 * Row 3 in a real n8n, one run: the n8n process's RSS while `run()` downloads the big files, after
 * `warm()` took the same path with small ones.
 */
async function memoryRun(n8n, { sampleMs, warm, run, node }) {
	const pid = n8nPid(n8n.pid);
	await warm();
	await delay(2000);
	const quiet = [];
	for (let k = 0; k < 50; k++) {
		quiet.push(rssMB(pid));
		await delay(sampleMs);
	}
	const baseline = median(quiet);
	let peak = baseline;
	const timer = setInterval(() => (peak = Math.max(peak, rssMB(pid))), sampleMs);
	const started = Date.now();
	const { id } = await run();
	const realMs = Date.now() - started;
	clearInterval(timer);
	peak = Math.max(peak, rssMB(pid));
	const execution = await n8n.getExecution(id);
	const items = support.nodeOutput(execution, node) ?? [];
	if (execution.status !== 'success' || items.length !== 4 || items.some((item) => !item.binary?.data)) {
		throw new Error(`Memory run: 4 files expected: ${support.describeExecution(execution)}`);
	}
	const urls = items.map((item, index) => item.json.file?.url ?? item.json.videoUrls?.[index]);
	return { baselineMB: baseline, peakMB: peak, growthMB: peak - baseline, realMs, urls };
}

const videoRun = (n8n, sampleMs) =>
	memoryRun(n8n, {
		sampleMs,
		node: 'Legnext',
		warm: () => runVideo(n8n, `https://example.com/${SMALL}.png`),
		run: () => runVideo(n8n, 'https://example.com/still.png'),
	});

/** n8n's own HTTP Request node (File response) downloading the same four files, for reference. */
const referenceRun = (n8n, sampleMs, small, big) =>
	memoryRun(n8n, {
		sampleMs,
		node: 'HTTP Request',
		warm: () => runDownload(n8n, small),
		run: () => runDownload(n8n, big),
	});

async function runDownload(n8n, urls) {
	await webhookWhenServed(n8n, HOOK.download, { urls });
	const [execution] = await n8n.listExecutions(WF.download, { limit: 1 });
	return execution;
}

async function n8nRows({ count = 24, spacingMs = 400, memoryRuns = 3, referenceRuns = 0, videoBytes = 64 * 1024 * 1024, sampleMs = 20 } = {}) {
	// 5 s jobs: a callback never comes before n8n has stored its execution as waiting (it would get a 409).
	const durations = () => ({ pending: 1, processing: 4 });
	const sim = await startSimulator({
		apiKeys: [API_KEY],
		timeScale: 1,
		durations,
		videoBytes: (job) => (JSON.stringify(job.body ?? '').includes(SMALL) ? 256 * 1024 : videoBytes),
	});
	const pack = support.packPackage();
	const ports = { port: await host.freePort([sim.port]) };
	ports.brokerPort = await host.freePort([ports.port, sim.port]);
	let n8n;
	const quietLog = () => {};
	try {
		n8n = await host.startN8n({
			packageTarball: pack.tarball,
			...ports,
			credentials: [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: sim.url } }],
			workflows: workflows(),
			keepUserFolder: true,
			log: quietLog,
		});
		for (const id of Object.values(WF)) await n8n.activateWorkflow(id);
		const result = { n8nVersion: n8n.n8nVersion, startSeconds: n8n.timings.startMs / 1000, loadAverage: [os.loadavg()[0]] };
		result.latency = await latency(n8n, sim, { count, spacingMs });
		result.loadAverage.push(os.loadavg()[0]);
		const restart = async () => {
			await n8n.stop({ keepUserFolder: true });
			n8n = await host.startN8n({ userFolder: n8n.userFolder, ...ports, keepUserFolder: true, log: quietLog });
		};
		result.memory = [];
		for (let run = 0; run < memoryRuns; run++) {
			if (run > 0) await restart();
			result.memory.push(await videoRun(n8n, sampleMs));
		}
		result.loadAverage.push(os.loadavg()[0]);
		result.memoryMedianMB = median(result.memory.map((run) => run.growthMB));
		result.reference = [];
		const big = result.memory[0].urls;
		const smallJob = [...sim.jobs.values()].find((job) => JSON.stringify(job.body).includes(SMALL));
		const small = sim.view(smallJob.id).output.video_urls;
		for (let run = 0; run < referenceRuns; run++) {
			await restart();
			result.reference.push(await referenceRun(n8n, sampleMs, small, big));
		}
		if (referenceRuns) result.referenceMedianMB = median(result.reference.map((run) => run.growthMB));
		result.fileMB = videoBytes / 1024 / 1024;
		result.sampleMs = sampleMs;
		return result;
	} catch (error) {
		const callbacks = sim.callbacks.map((c) => `${c.kind} ${c.status ?? c.error} ${c.url} ${c.responseBody ?? ''}`.slice(0, 300));
		throw new Error(`${error?.stack ?? error}\ncallbacks:\n${callbacks.slice(-5).join('\n')}\nn8n log tail:\n${n8n?.logs().slice(-3000)}`);
	} finally {
		const folder = n8n?.userFolder;
		if (n8n) await n8n.stop({ keepUserFolder: false });
		if (folder) fs.rmSync(folder, { recursive: true, force: true });
		fs.rmSync(pack.dir, { recursive: true, force: true });
		await sim.close();
	}
}

module.exports = { n8n: n8nRows };
