// The ledger invariant with the Legnext Trigger as the receiver, over randomized runs in n8n's engine
// (machinery in test/harness/generated-runs/kit.js): a Legnext node sends its jobs with Callback → "Legnext Trigger in This
// Workflow" (the trigger in its own, activated workflow) or → a custom URL, the trigger of another
// activated workflow. Drawn besides the node's settings (Don't Wait or Poll: Pause has no Callback
// field) and the usual faults: callbacks missing, twice or late, and the trigger's Download Files on,
// with downloads that fail. Every job created must be named in the sending node's output (or its
// error) — the first file's check — AND start exactly one execution of the trigger, which names it;
// the trigger may refuse a job only when Legnext contradicts it (an unknown job, another ending,
// another callback URL). A job whose callback Legnext never sends (fault `missing`) starts nothing:
// no trigger can hear of it, and the sender's output is where it is named.
// LEDGER_SEED=<n> replays one seed; LEDGER_RUNS=<n> sets the count.
const { OPERATIONS, addOperations, runsOr, scenarioArbOf, itemArbWith, useWorld, checkAll, fc, workflowOf, runScenario, checkNoSecret, FAULTS, sometimes, nodeSettingsArb } = require('../harness/generated-runs/kit');
const { FIRST, MORE } = require('../harness/generated-runs/operations');
const { legnextTriggerNode } = require('../harness/world');
const { requireFromCore } = require('../harness/engine/n8n');

const getWorld = useWorld();
const RUNS = runsOr(50);
const { textToImage, upscale, imageToVideoFromUrl } = FIRST;
const { blendUrls, topazBinary, describeUrl, videoUpscale } = MORE;
addOperations({ textToImage, upscale, imageToVideoFromUrl, blendUrls, topazBinary, describeUrl, videoUpscale });

const THIS = 'wf-ledger-this';
const OTHER = 'wf-ledger-receiver';
/** A guard against a hang, not a window to collect in: the callbacks and the trigger's executions are awaited till they end. */
const TRIGGER_DEADLINE_MS = 60_000;
/** A refusal is allowed only where Legnext contradicts the callback (nodes/LegnextTrigger/accept.ts). */
const CONTRADICTION = /Legnext says the job is|was sent with another callback URL|does not confirm it: Legnext does not know this job/i;

/** The trigger's refusals, from n8n's logger (the one a node's `this.logger` is). */
const refusals = [];
beforeAll(() => {
	const logger = requireFromCore('@n8n/di').Container.get(requireFromCore('@n8n/backend-common').Logger);
	const warn = logger.warn.bind(logger);
	jest.spyOn(logger, 'warn').mockImplementation((message, ...rest) => (refusals.push(String(message)), warn(message, ...rest)));
});

const scenarioArb = scenarioArbOf(Object.keys(OPERATIONS), {
	shapes: ['alone', 'alone', 'loop'],
	items: itemArbWith({ count: fc.integer({ min: 2, max: 5 }) }),
	node: nodeSettingsArb.map((settings) => ({ ...settings, waitMode: settings.waitMode === 'callback' ? 'none' : settings.waitMode, callbackUrl: false })),
	faults: sometimes({ ...FAULTS, callbacks: fc.constantFrom('missing', 'twice', 'twice', 'late').map((callbacks) => ({ callbacks, lateBy: 30 })) }),
	extra: { target: fc.constantFrom('this', 'other'), triggerDownload: fc.boolean() },
});

/** The sender's workflow, its trigger activated: in the same workflow, or in another one. */
async function workflowWithTrigger(scenario, inputs) {
	const world = getWorld();
	const trigger = { download: scenario.triggerDownload ? 'all' : 'none' };
	if (scenario.target === 'this') {
		scenario.node.callbackTo = 'trigger';
		const workflow = { id: THIS, name: THIS, ...workflowOf(scenario, inputs) };
		workflow.nodes.push(legnextTriggerNode(world, THIS, trigger));
		await world.engine.activateWorkflow(workflow);
		return workflow;
	}
	const activation = await world.engine.activateWorkflow({ id: OTHER, name: OTHER, nodes: [legnextTriggerNode(world, OTHER, trigger)], connections: {} });
	scenario.node.callbackTo = activation.webhookUrls['Legnext Trigger'];
	return { id: 'wf-ledger-sender', name: 'sender', ...workflowOf(scenario, inputs) };
}

/**
 * Every job ends, its callbacks are sent (a `twice` one's duplicate a second of job time later), and the
 * trigger's executions they started end: the simulator and the engine say what is still on its way, so
 * no execution is missed for being slow (a callback the jump ahead sets off is posted only after it).
 */
async function triggeredRunsFor(report) {
	const world = getWorld();
	world.simulator.advance(3600);
	let timer;
	const hang = new Promise((resolve) => {
		timer = setTimeout(() => resolve(`callbacks or trigger executions still running ${TRIGGER_DEADLINE_MS} ms after the jobs ended`), TRIGGER_DEADLINE_MS);
	});
	const settled = (async () => {
		await world.simulator.whenCallbacksSettled({ withinSeconds: 60 });
		await world.engine.whenWebhooksSettled();
	})();
	const stillRunning = await Promise.race([hang, settled]);
	clearTimeout(timer);
	// Every execution a callback started has its result: all of them, a job's second one included, are queued.
	const runs = [];
	for (let run; (run = await world.engine.nextTriggeredRun({ timeoutMs: 0 }).catch(() => undefined)); ) runs.push(run);
	report(`\ntrigger runs:\n${runs.map((run) => `${run.status} ${JSON.stringify(run.output('Legnext Trigger')?.map((item) => item.json))}`).join('\n')}\ncallbacks:\n${world.simulator.callbacks.map((c) => `${c.jobId} ${c.kind} ${c.jobStatus} ${c.status ?? c.error} ${c.responseBody ?? ''}`).join('\n')}\nrefusals:\n${refusals.join('\n')}`);
	expect({ stillRunning }).toEqual({ stillRunning: undefined });
	return runs;
}

/** What the trigger did over all runs, for the summary. */
const seen = { executions: 0, refused: 0, missing: 0, withFiles: 0 };
const namedBy = (run) => [...new Set((run.output('Legnext Trigger') ?? []).map((item) => item.json.jobId))];

async function checkTrigger(_run, { scenario, jobs, report }) {
	const world = getWorld();
	const runs = await triggeredRunsFor(report);
	for (const triggered of runs) {
		expect({ status: triggered.status, error: triggered.error?.message }).toEqual({ status: 'success', error: undefined });
		// One job per execution, named on every item.
		expect(namedBy(triggered)).toEqual([expect.any(String)]);
		checkNoSecret(JSON.stringify(triggered.runData));
		seen.executions++;
		if ((triggered.output('Legnext Trigger') ?? []).some((item) => item.binary)) seen.withFiles++;
	}
	for (const { jobId, job } of jobs) {
		// Every job carries the trigger's URL.
		expect({ jobId, callback: typeof job.body.callback === 'string' && job.body.callback.includes('/webhook/legnext/') }).toEqual({ jobId, callback: true });
		const executions = runs.filter((triggered) => namedBy(triggered).includes(jobId)).length;
		const delivered = world.simulator.callbacks.filter((callback) => callback.jobId === jobId && callback.kind !== 'progress');
		if (delivered.length === 0) {
			// Only Legnext's missing callback may keep a job from the trigger.
			expect({ jobId, callbacksSent: 0, fault: scenario.faults.callbacks?.callbacks }).toEqual({ jobId, callbacksSent: 0, fault: 'missing' });
			expect({ jobId, executions }).toEqual({ jobId, executions: 0 });
			seen.missing++;
			continue;
		}
		const refused = refusals.filter((line) => line.includes(`job ${jobId} `));
		if (executions === 0 && refused.length) {
			expect({ jobId, refusedFor: refused.join(' | '), contradicted: refused.every((line) => CONTRADICTION.test(line)) }).toEqual({ jobId, refusedFor: refused.join(' | '), contradicted: true });
			seen.refused++;
			continue;
		}
		expect({ jobId, executions }).toEqual({ jobId, executions: 1 });
	}
}

test(`the ledger holds over ${RUNS} generated runs into the Legnext Trigger`, async () => {
	await checkAll('ledger (trigger)', {
		runs: RUNS,
		scenarioArb,
		kindOf: (scenario) => `${scenario.target} ${scenario.shape} ${scenario.operation} ${scenario.node.waitMode}${scenario.triggerDownload ? ' download' : ''}`,
		run: async (scenario) => {
			refusals.length = 0;
			await runScenario(scenario, { workflow: workflowWithTrigger, start: 'Start', afterRun: checkTrigger });
		},
	});
	console.log(`ledger (trigger): ${seen.executions} trigger executions (${seen.withFiles} with files), ${seen.refused} jobs refused as Legnext contradicted them, ${seen.missing} jobs whose callback Legnext never sent`);
	expect(seen.executions).toBeGreaterThan(0);
}, 300_000);
