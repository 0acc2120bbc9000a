// n8n's queue mode for the end-to-end tests (scripts/n8n-host/queue.js): Postgres, Redis, a main
// process, two workers and a webhook processor with the packed package, against the Legnext simulator
// in this process; and readers of what happened there: which process ran or enqueued an execution
// (from the processes' logs), what the simulator was sent, what it called back.
const fs = require('node:fs');

const support = require('./support');
const { startQueue, serversMissing } = require('../../../scripts/n8n-host/queue');

/**
 * A queue-mode world, started by `world.start(options)` (in a beforeAll) and stopped by `world.stop()`
 * (in an afterAll, whatever start got to); its readers work once it has started. Options: `simulator`
 * (the simulator's), `faults` (injected into it at once), `credentials(simulator)`, `workflows(simulator, webhookBaseUrl)` (the webhook
 * processor's URL, where triggers listen), `activate` (workflow IDs, through main's public API), `env`
 * (every process's).
 */
function queueModeWorld() {
	const world = { simulator: null, queue: null, main: null, pack: null };

	world.start = async ({ simulator: simulatorOptions = {}, faults, credentials, workflows, activate = [], env = {} }) => {
		const { startSimulator } = require('../simulator/server');
		world.simulator = await startSimulator(simulatorOptions);
		if (faults) world.simulator.inject(faults);
		world.pack = support.packPackage();
		const webhookPort = await support.host.freePort([world.simulator.port]);
		world.queue = await startQueue({
			packageTarball: world.pack.tarball,
			webhookPort,
			credentials: credentials(world.simulator),
			workflows: workflows(world.simulator, `http://127.0.0.1:${webhookPort}`),
			env,
		});
		world.main = world.queue.main;
		console.log(`queue mode up in ${Math.round(world.queue.timings.startMs / 1000)} s (Postgres + Redis ${world.queue.timings.servicesMs} ms)`);
		for (const id of activate) {
			const workflow = await world.main.activateWorkflow(id);
			if (!workflow.active) throw new Error(`workflow ${id} is not active`);
		}
	};

	world.stop = async () => {
		if (world.queue) await world.queue.stop();
		if (world.simulator) await world.simulator.close();
		if (world.pack) fs.rmSync(world.pack.dir, { recursive: true, force: true });
	};

	/** The workflow's first finished execution not in `knownIds`, with its data. */
	world.finished = (workflowId, timeoutMs, knownIds = []) =>
		support.waitForNewFinishedExecution(world.main, workflowId, knownIds, timeoutMs).then((e) => world.main.getExecution(e.id));

	// What the simulator was sent: Text to Image submits whose prompt has `text`, reads of a job.
	world.submitsOf = (text) => world.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && String(r.body?.text).includes(text));
	world.createdFor = (text) => world.submitsOf(text).filter((r) => r.status === 200);
	world.readsOf = (jobId) => world.simulator.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${jobId}`);
	world.jobOf = (text) => [...world.simulator.jobs.values()].find((job) => String(job.body?.text).includes(text));

	// Which process did what, from the logs.
	world.workerOf = (executionId) => world.queue.workers.find((w) => w.ranExecution(executionId));
	world.runsOn = (executionId) =>
		world.queue.workers.reduce((n, w) => n + (w.logs().match(new RegExp(`Worker started execution ${executionId}\\b`, 'g')) || []).length, 0);
	/** Which of main and the webhook processor put execution `id` on the queue (n8n logs "Enqueued execution <id> (job <n>)"). */
	world.enqueuedBy = (executionId) =>
		Object.entries({ main: world.main, webhook: world.queue.webhook })
			.filter(([, proc]) => new RegExp(`Enqueued execution ${executionId} \\(job`).test(proc.logs()))
			.map(([name]) => name);

	/** The job's final callback, once the simulator has its answer. */
	world.settledCallback = (jobId, timeoutMs = 30000) =>
		support.waitFor(
			() => world.simulator.callbacks.find((c) => c.jobId === jobId && c.kind === 'final' && c.finishedAt !== undefined),
			timeoutMs,
			`the callback of ${jobId}`,
		);

	/** The bytes of a binary item, as the editor downloads them from main. */
	world.bytesOf = async (binary) => (await support.binaryBytes(world.main, binary)).bytes;

	return world;
}

/**
 * An e2e file's `describe` for its queue-mode tests: jest's own, or `describe.skip` when this machine has
 * no Postgres or Redis, with the reason printed under the file's name.
 */
function describeQueueMode(fileName) {
	const missing = serversMissing();
	if (missing) console.log(`${fileName} skipped: ${missing}`);
	return missing ? describe.skip : describe;
}

module.exports = { queueModeWorld, describeQueueMode };
