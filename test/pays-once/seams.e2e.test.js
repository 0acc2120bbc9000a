// The seams between two HTTP calls, in a real n8n 2.41 with the package: a submit refused in a batch
// (with and without Continue On Fail, and n8n's Retry of the failed execution), error items that keep their details after a pause, a forged
// final check, no secret in any output, the trigger across a re-activation and when Legnext cannot
// be reached to verify a callback. What the user sees is read through n8n's public API.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-seams-key-8f3c2b7a';
const GOOD = { id: 'LgxSeamCredGood1', name: 'Legnext e2e', type: 'legnextApi' };
const WF = { batch: 'LgxSeamWfBatch01', batchKept: 'LgxSeamWfBatchKp', failed: 'LgxSeamWfFailed1', trigger: 'LgxSeamWfTrigger', sender: 'LgxSeamWfSender1' };
const HOOK = { batch: 'lgx-seams-batch', batchKept: 'lgx-seams-batch-kept', failed: 'lgx-seams-failed', sender: 'lgx-seams-sender' };
const FAIL = '[e2e-seams-fail]';
const SLOW = '[e2e-seams-slow]';

jest.setTimeout(3 * 60 * 1000);

// The failing job runs 12 s: the node's early check 5 s after the pause still finds it running, so that
// what ends that wait is the late callback, not the forged final check.
function durations(_taskType, job) {
	const text = String(job?.body?.text ?? '');
	if (text.includes(FAIL)) return { pending: 2, processing: 10 };
	return text.includes(SLOW) ? { pending: 2, processing: 10 } : { pending: 1, processing: 3 };
}

/** Webhook → Split Out (the body's `prompts`, one item each: `{p}`) → Legnext, pausing until Legnext calls back. */
function pausedBatch(id, hook, node = {}) {
	const workflow = support.chainWorkflow(id, `e2e seams: ${id}`, [
		support.webhookNode(hook),
		support.splitPromptsNode(),
		{
			...support.legnextNode('Text to Image', GOOD, {
				resource: 'image',
				operation: 'textToImage',
				prompt: '={{ $json.p }}',
				waitMode: 'callback',
				download: 'grid',
				timeLimitMinutes: 2,
			}),
			...node,
		},
	]);
	return workflow;
}

function workflows(n8nBaseUrl) {
	return [
		pausedBatch(WF.batch, HOOK.batch),
		pausedBatch(WF.batchKept, HOOK.batchKept, { onError: 'continueRegularOutput' }),
		pausedBatch(WF.failed, HOOK.failed),
		support.chainWorkflow(WF.trigger, 'e2e seams: Legnext Trigger', [
			support.triggerNode('Legnext Trigger', GOOD, { statuses: ['completed'], download: 'none' }),
		]),
		support.chainWorkflow(WF.sender, 'e2e seams: a job calling back the trigger workflow', [
			support.webhookNode(HOOK.sender),
			support.legnextNode('Text to Image', GOOD, {
				resource: 'image',
				operation: 'textToImage',
				prompt: `A lantern on a pier ${SLOW}`,
				waitMode: 'none',
				callback: 'url',
				callbackUrl: support.triggerUrl(n8nBaseUrl, WF.trigger),
			}),
		]),
	];
}

let n8n;
let sim;

const world = support.useWorld(() => ({
	simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
	credentials: (simulator) => [{ ...GOOD, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
	workflows: (_simulator, n8nBaseUrl) => workflows(n8nBaseUrl),
	activate: Object.values(WF),
}));
beforeAll(() => {
	({ n8n, simulator: sim } = world);
});

const finished = async (workflowId, timeoutMs = 60000) => {
	const summary = await support.waitForNewFinishedExecution(n8n, workflowId, [], timeoutMs);
	return n8n.getExecution(summary.id);
};
const jobsOf = (mark) => [...sim.jobs.values()].filter((job) => String(job.body?.text ?? '').includes(mark));

test('one item refused in a paused batch, no Continue On Fail: the error names every job the run created', async () => {
	const mark = '[e2e-seams-batch]';
	sim.inject({ refuseSubmit: { when: (body) => String(body?.text ?? '').includes(`b ${mark}`), code: 403, message: 'Sensitive content', rawMessage: 'banned: b' } });
	await support.callWebhook(n8n, HOOK.batch, { prompts: ['a', 'b', 'c', 'd'].map((p) => ({ p: `${p} ${mark}` })) });
	const execution = await finished(WF.batch);
	expect(execution.status).toBe('error');
	const messages = support.errorMessages(execution).join('\n');
	expect(messages).toMatch(/refused the job.*\(item 1\)/);
	const text = JSON.stringify(execution.data.resultData);
	// Every job the run created is named, with its item; the refused item created none.
	expect(jobsOf(mark).length).toBeGreaterThanOrEqual(1);
	for (const job of jobsOf(mark)) expect(text).toContain(`job ${job.id}`);
	expect(text).toContain('Job → Get');

	// Then the refusal is lifted and the user presses Retry on the failed execution (n8n runs the node
	// again from the execution's saved data): the jobs already created come back (their callbacks went
	// to the failed execution, so the retry reads every job in place instead of pausing), the refused
	// item is sent now: one job per item in all.
	sim.inject({ refuseSubmit: undefined });
	const created = jobsOf(mark).map((job) => job.id);
	await n8n.api(`/executions/${execution.id}/retry`, { method: 'POST', body: { loadWorkflow: false } });
	const retry = await n8n.getExecution((await support.waitForNewFinishedExecution(n8n, WF.batch, [execution.id], 60000)).id);
	expect(retry.status).toBe('success');
	expect(retry.mode).toBe('retry');
	const perPrompt = ['a', 'b', 'c', 'd'].map((p) => jobsOf(mark).filter((job) => job.body.text === `${p} ${mark}`).map((job) => job.id));
	expect(perPrompt.map((ids) => ids.length)).toEqual([1, 1, 1, 1]);
	expect(perPrompt.flat()).toEqual(expect.arrayContaining(created));
	const items = support.nodeOutput(retry, 'Text to Image');
	expect(items.map((item) => item.json.jobId)).toEqual(perPrompt.map((ids) => ids[0]));
	for (const item of items) expect(item.binary.data.mimeType).toBe('image/png');
});

test('the same with Continue On Fail: the good items come out complete after the pause, the refused one as {error, details}', async () => {
	const mark = '[e2e-seams-kept]';
	sim.inject({ refuseSubmit: { when: (body) => String(body?.text ?? '').includes(`b ${mark}`), code: 403, message: 'Sensitive content', rawMessage: 'banned: b' } });
	await support.callWebhook(n8n, HOOK.batchKept, { prompts: ['a', 'b', 'c', 'd'].map((p) => ({ p: `${p} ${mark}` })) });
	const execution = await finished(WF.batchKept);
	expect(execution.status).toBe('success');
	const items = support.nodeOutput(execution, 'Text to Image');
	expect(items.map((item) => item.json.status ?? 'refused')).toEqual(['completed', 'refused', 'completed', 'completed']);
	expect(items[1].json).toEqual({ error: expect.stringMatching(/refused the job/), details: expect.stringContaining('banned: b') });
	for (const index of [0, 2, 3]) expect(items[index].binary.data.mimeType).toBe('image/png');

	// No secret of the resume URL in any node's output (n8n keeps it in the execution's own
	// resumeToken): the callback URL shows *** in its place.
	const sent = new URL(sim.requests.find((r) => r.method === 'POST' && String(r.body?.text ?? '').includes(`a ${mark}`)).body.callback);
	const secrets = [...sent.searchParams.values()].filter((value) => value.length >= 8);
	expect(secrets.length).toBeGreaterThan(0);
	for (const secret of secrets) expect(JSON.stringify(execution.data.resultData.runData)).not.toContain(secret);
	expect(items[0].json.callbackUrl).toContain(`${sent.origin}${sent.pathname}`);
});

test('after a pause a failed job arrives as {error, details} with Legnext’s reason; a forged final check ended nothing before', async () => {
	sim.inject({ failJobsWhen: (body) => String(body?.text ?? '').includes(FAIL), failWith: { message: 'Task failed', raw_message: 'moderation: not allowed' } });
	sim.inject({ callbacks: 'late', lateBy: 8 });
	await support.callWebhook(n8n, HOOK.failed, { prompts: [{ p: `a fox ${FAIL}` }] });
	const waiting = await n8n.waitForExecution((e) => e.status === 'waiting', 30000, { workflowId: WF.failed });
	const [job] = jobsOf(FAIL);
	const callback = sim.requests.find((r) => r.method === 'POST' && r.body?.text?.includes(FAIL)).body.callback;
	const forged = await fetch(`${callback}${callback.includes('?') ? '&' : '?'}legnextFinalCheck=1`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ data: { job_id: job.id, status: 'failed' } }),
	});
	expect(forged.status).toBeLessThan(500);
	await support.delay(1500);
	expect((await n8n.getExecution(waiting.id)).status).toBe('waiting');
	sim.inject({ callbacks: 'normal' });

	const execution = await finished(WF.failed);
	const [item] = support.nodeOutput(execution, 'Text to Image');
	expect(item.json.error).toBe(`Legnext could not finish job ${job.id}: Task failed: moderation: not allowed (item 0)`);
	expect(item.json.details).toMatch(/Adjust the prompt/);
});

test('the trigger: a job in flight across a deactivation and re-activation is still delivered', async () => {
	await support.callWebhook(n8n, HOOK.sender);
	const sender = await finished(WF.sender);
	const { jobId } = support.nodeOutput(sender, 'Text to Image')[0].json;
	await n8n.deactivateWorkflow(WF.trigger);
	await support.delay(1000);
	await n8n.activateWorkflow(WF.trigger);
	const execution = await finished(WF.trigger, 60000);
	expect(support.nodeOutput(execution, 'Legnext Trigger')[0].json).toMatchObject({ jobId, status: 'completed' });
	const callback = sim.callbacks.find((c) => c.jobId === jobId && c.kind === 'final');
	expect(callback.status).toBe(200);
});

test('the trigger when Legnext cannot be reached to verify: the workflow starts with an item naming the job and why', async () => {
	const known = await support.executionIds(n8n, WF.trigger);
	sim.inject({ unreachable: { on: 'job', forSeconds: 600 } });
	const url = support.triggerUrl(n8n.baseUrl, WF.trigger);
	const jobId = '0c2b1a3e-5f4d-4e6a-9b8c-7d6e5f4a3b2c';
	const response = await fetch(`${url}?token=${support.triggerToken(API_KEY, url)}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ timestamp: Date.now(), data: { job_id: jobId, status: 'completed', task_type: 'diffusion' } }),
	});
	expect(response.status).toBe(200);
	const summary = await support.waitForNewFinishedExecution(n8n, WF.trigger, known, 150000);
	const execution = await n8n.getExecution(summary.id);
	expect(support.nodeOutput(execution, 'Legnext Trigger')[0].json).toMatchObject({
		jobId,
		status: 'completed',
		verified: false,
		verificationError: expect.stringMatching(/Could not reach Legnext/),
	});
});
