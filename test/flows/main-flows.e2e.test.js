// The package's nodes in a real n8n 2.41 (scripts/n8n-host) against the Legnext simulator running
// in this process: polling with downloads, a Legnext Trigger in another workflow fed by a custom
// callback URL, pausing until Legnext calls back, a failed job, a wrong key, forged callbacks.
// Every assertion reads what n8n recorded, through its public API
// (/api/v1/executions?includeData=true) and, for file bytes, the editor's /rest/binary-data.
//
// Timing: inside n8n the node polls in real time, and its first look at an image job comes 24.5 s
// after the submit (an image's shortest run, 20 s, + 4.5 s: wait/schedule.ts). The simulator's jobs are short
// (3 s), so that first look finds them done; the three polling workflows are started together in
// beforeAll so the file waits for those 24.5 s once. Video is only ever awaited through callbacks.
const crypto = require('node:crypto');
const path = require('node:path');

const support = require('../harness/e2e/support');
const { SLOW_MARK, durations, pollImagesWorkflow, pauseWorkflow, filesTriggerWorkflow } = require('../harness/e2e/flows');

const { waitFor } = support;

const API_KEY = 'e2e-legnext-key-7c1f0a9d';
const WRONG_KEY = 'e2e-wrong-key-93b5e4f2c8d1';
const GOOD = { id: 'LgxE2eCredGood01', name: 'Legnext e2e', type: 'legnextApi' };
const WRONG = { id: 'LgxE2eCredWrong1', name: 'Legnext e2e (wrong key)', type: 'legnextApi' };

const WF = {
	images: 'LgxE2eWfImages01',
	videoTrigger: 'LgxE2eWfVidTrig1',
	imageThenVideo: 'LgxE2eWfImgVid01',
	pause: 'LgxE2eWfPause001',
	failed: 'LgxE2eWfFailed01',
	wrongKey: 'LgxE2eWfWrongKey',
};
const HOOK = {
	images: 'lgx-e2e-images',
	imageThenVideo: 'lgx-e2e-image-video',
	pause: 'lgx-e2e-pause',
	failed: 'lgx-e2e-failed',
	wrongKey: 'lgx-e2e-wrong-key',
};
const TRIGGER_WEBHOOK_ID = '7a1e2e00-1e9a-4c3b-9d2f-0c0ffee0e2e1';
const FAIL_MARK = '[e2e-fail]';

jest.setTimeout(3 * 60 * 1000);

const triggerUrl = (n8nBaseUrl) => support.triggerUrl(n8nBaseUrl, WF.videoTrigger);

function workflows(n8nBaseUrl) {
	const { chainWorkflow, webhookNode, legnextNode } = support;
	return [
		pollImagesWorkflow({
			id: WF.images,
			name: 'e2e: Text to Image, poll, download the images',
			hook: HOOK.images,
			credential: GOOD,
			prompt: 'A lighthouse on a cliff at dawn, oil painting --ar 3:2',
		}),
		filesTriggerWorkflow({
			id: WF.videoTrigger,
			name: 'e2e: Legnext Trigger for finished videos',
			credential: GOOD,
			taskType: 'video_diffusion',
			download: 'videos',
			webhookId: TRIGGER_WEBHOOK_ID,
		}),
		chainWorkflow(WF.imageThenVideo, 'e2e: Text to Image, then Image to Video calling back the trigger workflow', [
			webhookNode(HOOK.imageThenVideo),
			// Don't Download: Image to Video follows up on the job (one item per file would send one video job each).
			support.textToImageNode('Text to Image', GOOD, 'A paper boat on a rainy street --ar 16:9', { download: 'none' }),
			legnextNode('Image to Video', GOOD, {
				resource: 'video',
				operation: 'imageToVideo',
				imageSource: 'job',
				jobId: '={{ $json.jobId }}',
				imageNo: 2,
				prompt: 'Rain falls, the boat drifts --motion low',
				resolution: '480p',
				waitMode: 'none',
				callback: 'url',
				callbackUrl: triggerUrl(n8nBaseUrl),
			}),
		]),
		pauseWorkflow({ id: WF.pause, name: 'e2e: Text to Image, pause until callback', hook: HOOK.pause, credential: GOOD }),
		chainWorkflow(WF.failed, 'e2e: a job that fails, polled', [
			webhookNode(HOOK.failed),
			support.textToImageNode('Text to Image', GOOD, `A prompt the simulator fails ${FAIL_MARK}`),
		]),
		chainWorkflow(WF.wrongKey, 'e2e: a credential with a wrong key', [
			webhookNode(HOOK.wrongKey),
			support.textToImageNode('Text to Image', WRONG, 'A lighthouse'),
		]),
	];
}

let world;
let n8n;
let sim;
/** The polling workflows' executions, started together in beforeAll: workflow id → promise. */
const started = {};

async function startByWebhook(hook) {
	return await support.callWebhook(n8n, hook, { from: 'legnext e2e' });
}

/** Fails with what n8n recorded (each node's state and every error message) on another status. */

/** The workflow's first finished execution, with its data. */
async function finishedExecution(workflowId, timeoutMs = 90000) {
	const summary = await support.waitForNewFinishedExecution(n8n, workflowId, [], timeoutMs);
	return n8n.getExecution(summary.id);
}

beforeAll(async () => {
	world = await support.startWorld({
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
		credentials: (simulator) => [
			{ ...GOOD, data: { apiKey: API_KEY, baseUrl: simulator.url } },
			{ ...WRONG, data: { apiKey: WRONG_KEY, baseUrl: simulator.url } },
		],
		workflows: (_simulator, n8nBaseUrl) => workflows(n8nBaseUrl),
		activate: Object.values(WF),
	});
	({ n8n, simulator: sim } = world);
	// Jobs whose prompt carries the mark end "failed" (40 % into processing).
	sim.inject({ failJobsWhen: (body) => String(body?.text ?? '').includes(FAIL_MARK) });

	// The three polling workflows wait ~24.5 s each for their first check: run them side by side.
	for (const [key, hook] of [
		['images', HOOK.images],
		['imageThenVideo', HOOK.imageThenVideo],
		['failed', HOOK.failed],
	]) {
		await startByWebhook(hook);
		started[key] = finishedExecution(WF[key]);
		started[key].catch(() => {}); // awaited (and reported) by its test
	}
}, support.INSTALL_AND_START_MS);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

test('Text to Image, Poll Until Done, Download Files (images): four PNG files as n8n binary data', async () => {
	const execution = await started.images;
	support.expectStatus(execution, 'success');
	const items = support.nodeOutput(execution, 'Text to Image');
	expect(items).toHaveLength(4);

	const jobId = items[0].json.jobId;
	expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
	expect(sim.jobs.has(jobId)).toBe(true);
	// One job was sent for the one input item, and its first status check found it done.
	const submits = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && r.body?.text?.includes('lighthouse'));
	expect(submits).toHaveLength(1);
	const checks = sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${jobId}`);
	expect(checks.length).toBeGreaterThanOrEqual(1);
	// Not before an image could have ended (nodes/Legnext/wait/schedule.ts: shortest run, then 4.5 s).
	const schedule = require(path.join(support.ROOT, 'dist', 'nodes', 'Legnext', 'wait', 'schedule.js'));
	expect(checks[0].at - submits[0].at).toBeGreaterThanOrEqual(schedule.shortestRunMs('diffusion') + schedule.CHECK_INTERVAL_MS - 1000);

	for (const [n, item] of items.entries()) {
		expect(item.json).toMatchObject({ jobId, status: 'completed', taskType: 'diffusion', file: { kind: 'image', index: n } });
		expect([undefined, null, false]).toContain(item.json.error); // n8n would take a set `error` for a failure
		const binary = item.binary?.data;
		expect(binary).toMatchObject({
			mimeType: 'image/png',
			fileExtension: 'png',
			fileName: `diffusion_${jobId}_${n}.png`,
		});
		// n8n 2.x keeps binary data on the filesystem and stores a reference in the execution.
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);

		// The bytes as n8n serves them: a PNG, the same file the (simulated) CDN served.
		const { bytes } = await support.binaryBytes(n8n, binary);
		expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		if (binary.bytes !== undefined) expect(bytes.length).toBe(binary.bytes);
		const original = Buffer.from(await (await fetch(item.json.file.url)).arrayBuffer());
		expect(bytes.equals(original)).toBe(true);
	}
	// Four different pictures.
	const digests = new Set();
	for (const item of items) {
		const { bytes } = await support.binaryBytes(n8n, item.binary.data);
		digests.add(crypto.createHash('sha256').update(bytes).digest('hex'));
	}
	expect(digests.size).toBe(4);
});

test('Image to Video with a Custom URL callback starts the Legnext Trigger of another workflow, with four videos', async () => {
	const sender = await started.imageThenVideo;
	support.expectStatus(sender, 'success');
	const [submitted] = support.nodeOutput(sender, 'Image to Video');
	const imageJobId = support.nodeOutput(sender, 'Text to Image')[0].json.jobId;
	expect(submitted.json).toMatchObject({ status: 'pending', taskType: 'video_diffusion' });
	const videoJobId = submitted.json.jobId;
	expect(sim.jobs.get(videoJobId)?.body).toMatchObject({ jobId: imageJobId, imageNo: 2 });

	// The simulator called workflow A's production URL, with the token the Legnext node added.
	const trigger = triggerUrl(n8n.baseUrl);
	const callback = await settledCallback(videoJobId, 30000);
	const called = new URL(callback.url);
	expect(`${called.origin}${called.pathname}`).toBe(trigger);
	expect(called.searchParams.get('token')).toBe(support.triggerToken(API_KEY, trigger));
	expect(callback.status).toBe(200);
	expect(callback.jobStatus).toBe('completed');

	// Workflow A ran once, for the video job, with the four videos as files.
	const execution = await finishedExecution(WF.videoTrigger, 60000);
	support.expectStatus(execution, 'success');
	const items = support.nodeOutput(execution, 'Legnext Trigger');
	expect(items).toHaveLength(4);
	for (const [n, item] of items.entries()) {
		expect(item.json).toMatchObject({ jobId: videoJobId, status: 'completed', taskType: 'video_diffusion', file: { kind: 'video', index: n } });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `video_diffusion_${videoJobId}_${n}.mp4` });
		const { bytes } = await support.binaryBytes(n8n, item.binary.data);
		expect(bytes.length).toBeGreaterThan(1000);
		expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp'); // an MP4
	}
	// The trigger read the job from Legnext (verification) before starting the workflow.
	expect(sim.requests.some((r) => r.method === 'GET' && r.path === `/api/v1/job/${videoJobId}`)).toBe(true);
	expect(await n8n.listExecutions(WF.videoTrigger)).toHaveLength(1);
});

test('Pause Until Callback: the execution waits in n8n, and Legnext’s callback resumes it', async () => {
	await startByWebhook(HOOK.pause);
	const waiting = await n8n.waitForExecution((e) => e.status === 'waiting', 15000, { workflowId: WF.pause });
	const jobId = [...sim.jobs.values()].find((job) => String(job.body?.text ?? '').includes(SLOW_MARK))?.id;
	expect(jobId).toBeDefined();
	expect(sim.view(jobId).status).not.toBe('completed'); // it is really waiting for the job

	const execution = await finishedExecution(WF.pause, 60000);
	expect(execution.id).toBe(waiting.id);
	support.expectStatus(execution, 'success');
	const items = support.nodeOutput(execution, 'Text to Image');
	expect(items).toHaveLength(1);
	expect(items[0].json).toMatchObject({ jobId, status: 'completed', taskType: 'diffusion' });
	expect([undefined, null, false]).toContain(items[0].json.error);
	expect(items[0].binary?.data).toMatchObject({ mimeType: 'image/png', fileName: `diffusion_${jobId}_grid.png` });

	// The job was sent with n8n's resume URL of this execution; that callback is what resumed it.
	const callback = await settledCallback(jobId, 10000);
	expect(callback.url).toContain(`/webhook-waiting/${waiting.id}`);
	expect(callback.status).toBe(200);
	// No polling: before Legnext called back, the job was read only by the node's early check 5 s after the
	// pause (the 8 s job was still running), not every few seconds.
	const reads = sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${jobId}`);
	expect(reads.length).toBeGreaterThanOrEqual(1);
	expect(reads.filter((r) => r.at < callback.at - 50).length).toBeLessThanOrEqual(1);
});

test('a job that fails at Legnext: the execution ends in error with Legnext’s reason and the job ID', async () => {
	const execution = await started.failed;
	support.expectStatus(execution, 'error');
	const submits = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && r.body?.text?.includes(FAIL_MARK));
	expect(submits).toHaveLength(1); // sent once: n8n did not retry a paid job
	const jobId = [...sim.jobs.values()].find((job) => String(job.body?.text ?? '').includes(FAIL_MARK))?.id;
	expect(sim.view(jobId).status).toBe('failed');
	const messages = support.errorMessages(execution).join('\n');
	expect(messages).toContain('Legnext could not finish job');
	expect(messages).toContain(jobId);
});

test('a wrong API key: the execution fails with "Legnext refused the API key", and the key is nowhere in it', async () => {
	const jobsBefore = sim.createdJobs();
	await startByWebhook(HOOK.wrongKey);
	const execution = await finishedExecution(WF.wrongKey, 60000);
	support.expectStatus(execution, 'error');
	expect(support.errorMessages(execution).join('\n')).toContain('Legnext refused the API key');
	expect(sim.createdJobs()).toBe(jobsBefore);
	expect(sim.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && r.status === 401)).toBe(true);

	expect(JSON.stringify(execution)).not.toContain(WRONG_KEY);
	const listed = await n8n.api('/executions', { query: { workflowId: WF.wrongKey, includeData: true } });
	expect(JSON.stringify(listed)).not.toContain(WRONG_KEY);
	expect(n8n.logs()).not.toContain(WRONG_KEY);
	expect(n8n.logs()).not.toContain(API_KEY);
});

describe('forged callbacks to the active Legnext Trigger start nothing', () => {
	const forgedJob = () => ({
		job_id: crypto.randomUUID(),
		model: 'midjourney',
		task_type: 'video_diffusion',
		status: 'completed',
		output: { video_urls: [0, 1, 2, 3].map((i) => `https://cdn.example.com/forged/${i}.mp4`) },
		meta: { created_at: '2025-09-22T04:30:00Z', ended_at: '2025-09-22T04:31:05Z' },
		error: { code: 0, message: '', raw_message: '', detail: null },
	});

	async function executionsAfterAWhile(before) {
		await support.delay(5000);
		const after = await support.executionIds(n8n, WF.videoTrigger);
		return after.filter((id) => !before.includes(id));
	}

	test('without the token: 401 and no execution', async () => {
		const before = await support.executionIds(n8n, WF.videoTrigger);
		const response = await fetch(triggerUrl(n8n.baseUrl), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ timestamp: Date.now(), data: forgedJob() }),
		});
		expect(response.status).toBe(401);
		const wrongToken = await fetch(`${triggerUrl(n8n.baseUrl)}?token=${'0'.repeat(48)}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ timestamp: Date.now(), data: forgedJob() }),
		});
		expect(wrongToken.status).toBe(401);
		expect(await executionsAfterAWhile(before)).toEqual([]);
	});

	test('with the right URL and token, "completed" for a job Legnext does not have: no execution', async () => {
		const before = await support.executionIds(n8n, WF.videoTrigger);
		const job = forgedJob();
		const url = `${triggerUrl(n8n.baseUrl)}?token=${support.triggerToken(API_KEY, triggerUrl(n8n.baseUrl))}`;
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ timestamp: Date.now(), data: job }),
		});
		// Past the token check: the trigger answered, then asked Legnext, which does not know the job.
		expect(response.status).toBe(200);
		expect(await executionsAfterAWhile(before)).toEqual([]);
		const lookups = sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${job.job_id}`);
		expect(lookups.length).toBeGreaterThanOrEqual(1);
		expect(lookups.every((r) => r.status === 404)).toBe(true);
	});
});

/** The job's final callback once n8n has answered it (the record exists from the moment it is sent). */
async function settledCallback(jobId, timeoutMs) {
	const isSettled = (c) => c.jobId === jobId && c.kind === 'final' && c.finishedAt !== undefined;
	return waitFor(() => sim.callbacks.find(isSettled), timeoutMs, `the answered callback of job ${jobId}`);
}

test('the credential test tells a wrong key apart from an unreachable host', async () => {
	const check = async (data) =>
		await n8n.rest('/credentials/test', {
			method: 'POST',
			body: { credentials: { id: GOOD.id, name: GOOD.name, type: 'legnextApi', data } },
		});
	expect(await check({ apiKey: API_KEY, baseUrl: sim.url })).toMatchObject({ status: 'OK' });
	const wrongKey = await check({ apiKey: 'not-a-key', baseUrl: sim.url });
	expect(wrongKey).toMatchObject({ status: 'Error', message: expect.stringMatching(/Legnext refused the API key/) });
	const unreachable = await check({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' });
	expect(unreachable.status).toBe('Error');
	expect(unreachable.message).toMatch(/ECONNREFUSED|refused the connection/i);
	expect(unreachable.message).not.toMatch(/API key/);
});
