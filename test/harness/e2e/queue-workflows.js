// The workflows and job lengths of the queue-mode e2e tests (test/queue/queue.e2e.test.js, and
// test/pays-once/queue-mode.e2e.test.js: Retry On Fail on a worker, a worker killed), and how a test starts one.
const support = require('./support');
const { httpRequest } = require('../../../scripts/n8n-host/client');

const API_KEY = 'e2e-queue-key-5d2b8c71';
const CREDENTIAL = { id: 'LgxQueueCred0001', name: 'Legnext queue e2e', type: 'legnextApi' };

const WF = {
	poll: 'LgxQueueWfPoll01',
	pause: 'LgxQueueWfPause1',
	trigger: 'LgxQueueWfTrig01',
	triggerSender: 'LgxQueueWfTrigSn',
	retry: 'LgxQueueWfRetry1',
	load1: 'LgxQueueWfLoad01',
	load2: 'LgxQueueWfLoad02',
	load3: 'LgxQueueWfLoad03',
	crashPoll: 'LgxQueueWfCrashP',
	crashPause: 'LgxQueueWfCrashW',
};
const HOOK = Object.fromEntries(Object.keys(WF).map((key) => [key, `lgx-queue-${key.toLowerCase()}`]));

/** Marks in a prompt that give its job a length (seconds, the whole job); 3 s otherwise. */
const MARK = { fail: '[q-fail]', load: '[q-load]', long: '[q-long]', inflight: '[q-inflight]', lost: '[q-lost]' };
const LOAD_JOB_SECONDS = 4;
function durations(_taskType, { body }) {
	const text = String(body?.text ?? '');
	if (text.includes(MARK.load)) return LOAD_JOB_SECONDS;
	if (text.includes(MARK.long)) return 25;
	if (text.includes(MARK.inflight)) return 15;
	if (text.includes(MARK.lost)) return 4;
	return 3;
}

function textToImage(parameters, node = {}) {
	return {
		// Don't Download unless a workflow asks for files: these count one item per job.
		...support.textToImageNode('Text to Image', CREDENTIAL, '={{ $json.p }}', { download: 'none', ...parameters }),
		...node,
	};
}

function chain(key, name, ...nodes) {
	return support.chainWorkflow(WF[key], `queue e2e: ${name}`, [support.webhookNode(HOOK[key]), support.splitPromptsNode(), ...nodes]);
}

/** The workflows of `keys` (of WF). `webhookBaseUrl`: the webhook processor's, where the trigger listens. */
function workflows(webhookBaseUrl, keys = Object.keys(WF)) {
	const files = { download: 'images', fileLayout: 'itemPerFile' };
	const list = [
		chain('poll', 'Poll Until Done with files', textToImage({ waitMode: 'poll', ...files })),
		chain('pause', 'Pause Until Callback with files', textToImage({ waitMode: 'callback', timeLimitMinutes: 2, ...files })),
		chain('retry', 'Retry On Fail', textToImage({ waitMode: 'poll' }, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 })),
		chain('crashPoll', 'a worker stopped while it polls', textToImage({ waitMode: 'poll', timeLimitMinutes: 5 })),
		chain('crashPause', 'a worker stopped while it pauses', textToImage({ waitMode: 'callback', timeLimitMinutes: 0.1 })),
		// Two with Concurrency Mode Fixed 6 (each sends 6, Legnext refuses the excess with 429), one with
		// Auto, a new node's default (it reads the account's free slots first).
		...['load1', 'load2'].map((key) => chain(key, `24 items (${key}, Fixed 6)`, textToImage({ waitMode: 'callback', timeLimitMinutes: 5, options: { concurrencyMode: 'fixed' } }))),
		chain('load3', '24 items (load3, Auto)', textToImage({ waitMode: 'callback', timeLimitMinutes: 5 })),
	];
	// One workflow, two starts: its Legnext Trigger, and a webhook whose Legnext node calls that trigger back.
	const sender = chain('trigger', 'Legnext Trigger in This Workflow', textToImage({ waitMode: 'none', callback: 'trigger' }));
	sender.nodes.push(
		support.triggerNode('Legnext Trigger', CREDENTIAL, { statuses: ['completed'], taskTypes: ['diffusion'], ...files }),
	);
	sender.nodes.at(-1).position = [0, 300];
	// After the trigger, a node on the worker reads each file's bytes (n8n's Crypto node hashes them).
	sender.nodes.push({
		id: support.uuid('f0b0'),
		name: 'Hash File',
		type: 'n8n-nodes-base.crypto',
		typeVersion: 2,
		position: [240, 300],
		parameters: { action: 'hash', type: 'SHA256', binaryData: true, binaryPropertyName: 'data', dataPropertyName: 'sha256', encoding: 'hex' },
	});
	sender.connections['Legnext Trigger'] = { main: [[{ node: 'Hash File', type: 'main', index: 0 }]] };
	list.push(sender);
	// Another workflow sending to that trigger by its Production URL (Custom URL).
	list.push(
		chain('triggerSender', 'Custom URL to the Legnext Trigger', textToImage({ waitMode: 'none', callback: 'url', callbackUrl: `${webhookBaseUrl}/webhook/legnext/${WF.trigger}` })),
	);
	const ids = new Set(keys.map((key) => WF[key]));
	return list.filter((workflow) => ids.has(workflow.id));
}

/**
 * Starts workflow `key` through the webhook processor of `world` (queue-mode.js), one item per prompt.
 * Just after activation the webhook processor may not have registered the webhook yet (404, which
 * starts nothing: seen in CI with three e2e files side by side), so a 404 is asked again, as
 * webhooks.js callWebhook does.
 */
async function startWorkflow(world, key, prompts) {
	const start = () => httpRequest(`${world.queue.webhook.webhookUrl}${HOOK[key]}`, { method: 'POST', body: { prompts: prompts.map((p) => ({ p })) } });
	let response = await start();
	for (let tries = 0; response.status === 404 && tries < 120; tries++) {
		await support.delay(500);
		response = await start();
	}
	if (response.status !== 200) throw new Error(`POST /webhook/${HOOK[key]} answered ${response.status}: ${response.text}`);
}

/**
 * Starts workflow `key` (in a file's beforeAll) and hands back its finished execution for a later test
 * to check, in an object so that the start alone is awaited; a failure waits for that test.
 */
async function startInBackground(world, key, prompts) {
	await startWorkflow(world, key, prompts);
	const finished = world.finished(WF[key], 150000);
	finished.catch(() => {});
	return { finished };
}

/**
 * What a queue-mode test file gives `world.start()` (queue-mode.js) for its workflows `keys`, all
 * activated: the simulator with the job lengths above, the credential, and n8n's settings that find a
 * stopped worker's execution within seconds rather than hours (n8n's defaults). `more`: e.g. `faults`.
 */
function queueModeStart(keys, more = {}) {
	return {
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: (_simulator, webhookBaseUrl) => workflows(webhookBaseUrl, keys),
		activate: keys.map((key) => WF[key]),
		env: {
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
		},
		...more,
	};
}

module.exports = { API_KEY, CREDENTIAL, WF, HOOK, MARK, LOAD_JOB_SECONDS, durations, workflows, startWorkflow, startInBackground, queueModeStart };
