// Images from the workflow and the Reference, in a real n8n 2.41 (scripts/n8n-host) against the
// simulator in this process, which fetches every input image URL it is given (test/simulator/input-images.js):
//  - filesystem binary mode: Image to Video and Blend run from files uploaded to a Webhook node, no URL
//    typed; Legnext (the simulator) fetches them from n8n's signed binary URL; the Legnext Trigger's
//    execution shows the Reference its sender set, and a callback whose reference was altered is refused;
//    Pause Until Callback carries the Reference in the resume URL and shows it on the resumed output;
//    the same upload with a credential for Legnext's public API fails before paying: n8n's URL is local;
//  - memory binary mode: the same workflow fails before paying, saying to set N8N_DEFAULT_BINARY_DATA_MODE.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-binary-key-5d2c9a71';
const LOCAL = { id: 'LgxE2eBinCredLoc', name: 'Legnext e2e (simulator)', type: 'legnextApi' };
const PUBLIC = { id: 'LgxE2eBinCredPub', name: 'Legnext e2e (public API)', type: 'legnextApi' };
const WF = { video: 'LgxE2eBinVideo01', blend: 'LgxE2eBinBlend01', publicApi: 'LgxE2eBinPublic1', pause: 'LgxE2eBinPause01', pauseFile: 'LgxE2eBinPauseF1' };
const HOOK = { video: 'lgx-e2e-bin-video', blend: 'lgx-e2e-bin-blend', publicApi: 'lgx-e2e-bin-public', pause: 'lgx-e2e-bin-pause', pauseFile: 'lgx-e2e-bin-pause-file' };
const SIGNED = '/rest/binary-data/signed?token=';

jest.setTimeout(3 * 60 * 1000);

/** Jobs of a few seconds; one whose prompt says "slowly" runs long enough to be fetched while its execution waits. */
const durations = (taskType, job) => (JSON.stringify(job.body ?? {}).includes('slowly') ? { pending: 1, processing: 20 } : { pending: 1, processing: 2 });

/** Bytes that n8n and the simulator take for a PNG (its signature, then zeros). */
function png(size) {
	const bytes = Buffer.alloc(size);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
	return bytes;
}

function imageToVideoNode(credential) {
	return support.legnextNode('Image to Video', credential, {
		resource: 'video',
		operation: 'imageToVideo',
		imageSource: 'binary',
		binaryPropertyName: 'data',
		prompt: 'The photo comes alive',
		waitMode: 'none',
		callback: 'trigger',
		reference: '={{ $json.body.row }}',
	});
}

/** Webhook (a multipart upload) → Legnext; a Legnext Trigger beside them receives the callbacks. */
function workflows() {
	const { chainWorkflow, webhookNode, legnextNode, triggerNode } = support;
	const video = chainWorkflow(WF.video, 'e2e: Image to Video from an uploaded file, with a Reference', [webhookNode(HOOK.video), imageToVideoNode(LOCAL)]);
	video.nodes.push({ ...triggerNode('Legnext Trigger', LOCAL, { statuses: ['completed'] }), position: [0, 300] });
	const blend = chainWorkflow(WF.blend, 'e2e: Blend from two uploaded files', [
		webhookNode(HOOK.blend),
		legnextNode('Blend', LOCAL, { resource: 'image', operation: 'blend', imageSource: 'binary', binaryPropertyNames: 'data', aspectRatio: '1:1', waitMode: 'none' }),
	]);
	const publicApi = chainWorkflow(WF.publicApi, 'e2e: an uploaded file for Legnext’s public API from a local n8n', [
		webhookNode(HOOK.publicApi),
		{ ...imageToVideoNode(PUBLIC), parameters: { ...imageToVideoNode(PUBLIC).parameters, callback: 'none', reference: '' } },
	]);
	const pause = chainWorkflow(WF.pause, 'e2e: Text to Image, Pause Until Callback, with a Reference', [
		webhookNode(HOOK.pause),
		support.textToImageNode('Text to Image', LOCAL, 'A fox in the snow', { waitMode: 'callback', reference: '={{ $json.body.row }}' }),
	]);
	const pauseFile = chainWorkflow(WF.pauseFile, 'e2e: Image to Video from an uploaded file, Pause Until Callback', [
		webhookNode(HOOK.pauseFile),
		{ ...imageToVideoNode(LOCAL), parameters: { ...imageToVideoNode(LOCAL).parameters, prompt: 'The photo comes alive slowly', waitMode: 'callback', callback: 'none', reference: '' } },
	]);
	return [video, blend, publicApi, pause, pauseFile];
}

async function upload(n8n, hook, files, fields = {}) {
	const send = () => {
		const form = new FormData();
		for (const [name, value] of Object.entries(fields)) form.append(name, value);
		for (const [index, bytes] of files.entries()) form.append('data', new Blob([bytes], { type: 'image/png' }), `photo-${index}.png`);
		return fetch(`${n8n.baseUrl}/webhook/${hook}`, { method: 'POST', body: form });
	};
	let response = await send();
	for (let tries = 0; response.status === 404 && tries < 120; tries++) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		response = await send();
	}
	if (response.status !== 200) throw new Error(`POST /webhook/${hook} answered ${response.status}: ${await response.text()}`);
}

async function nextExecution(n8n, workflowId, known) {
	const summary = await support.waitForNewFinishedExecution(n8n, workflowId, known, 90000);
	return n8n.getExecution(summary.id);
}


const submits = (sim, path) => sim.requests.filter((request) => request.method === 'POST' && request.path === path);

describe('filesystem binary mode', () => {
	let world;
	let n8n;
	let sim;
	beforeAll(async () => {
		world = await support.startWorld({
			simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
			credentials: (simulator) => [
				{ ...LOCAL, data: { apiKey: API_KEY, baseUrl: simulator.url } },
				{ ...PUBLIC, data: { apiKey: API_KEY, baseUrl: 'https://api.legnext.ai' } },
			],
			workflows: () => workflows(),
			activate: Object.values(WF),
			env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
		});
		({ n8n, simulator: sim } = world);
	}, support.INSTALL_AND_START_MS);
	afterAll(async () => {
		if (world) await world.close();
	}, 60000);

	test('Image to Video from an uploaded file: Legnext fetches n8n’s signed URL; the trigger’s execution shows the Reference', async () => {
		const known = await support.executionIds(n8n, WF.video);
		await upload(n8n, HOOK.video, [png(2048)], { row: '17' });
		const sent = await nextExecution(n8n, WF.video, known);
		support.expectStatus(sent, 'success');
		const [item] = support.nodeOutput(sent, 'Image to Video');
		expect(item.json).toMatchObject({ status: 'pending', reference: '17' });

		const [submit] = submits(sim, '/api/v1/video-diffusion');
		const [firstFrame] = submit.body.prompt.split(' ');
		expect(firstFrame.startsWith(`${n8n.baseUrl}${SIGNED}`)).toBe(true);
		expect(sim.imageFetches).toEqual([expect.objectContaining({ url: firstFrame, status: 200, contentType: 'image/png', bytes: 2048 })]);
		expect(new URL(submit.body.callback).searchParams.get('reference')).toBe('17');

		const triggered = await nextExecution(n8n, WF.video, [...known, String(sent.id)]);
		support.expectStatus(triggered, 'success');
		const [event] = support.nodeOutput(triggered, 'Legnext Trigger');
		expect(event.json).toMatchObject({ jobId: item.json.jobId, status: 'completed', reference: '17' });

		// The same callback with the reference altered: refused, nothing runs.
		const altered = new URL(submit.body.callback);
		altered.searchParams.set('reference', '18');
		const response = await fetch(altered, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ timestamp: Date.now(), data: sim.view(item.json.jobId) }),
		});
		expect(response.status).toBe(401);
	});

	test('Blend from two files uploaded in one field (data0, data1): no URL typed', async () => {
		const known = await support.executionIds(n8n, WF.blend);
		sim.imageFetches.length = 0;
		await upload(n8n, HOOK.blend, [png(1000), png(1001)]);
		const execution = await nextExecution(n8n, WF.blend, known);
		support.expectStatus(execution, 'success');
		expect(support.nodeOutput(execution, 'Blend')[0].json.status).toBe('pending');
		const [submit] = submits(sim, '/api/v1/blend');
		expect(submit.body.imgUrls).toHaveLength(2);
		for (const url of submit.body.imgUrls) expect(url.startsWith(`${n8n.baseUrl}${SIGNED}`)).toBe(true);
		expect(sim.imageFetches.map((fetch) => [fetch.status, fetch.bytes]).sort()).toEqual([
			[200, 1000],
			[200, 1001],
		]);
	});

	test('Pause Until Callback: the resume URL carries the Reference signed, and the resumed output shows it', async () => {
		const known = await support.executionIds(n8n, WF.pause);
		await support.callWebhook(n8n, HOOK.pause, { row: 'row-42' });
		const submit = await (async () => {
			for (let tries = 0; tries < 100; tries++) {
				const found = submits(sim, '/api/v1/diffusion').find((request) => request.body.callback?.includes('reference=row-42'));
				if (found) return found;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			throw new Error('no submit with the reference');
		})();
		const callback = new URL(submit.body.callback);
		expect(callback.pathname).toMatch(/\/webhook-waiting\//);
		expect(callback.searchParams.get('referenceToken')).toMatch(/^[0-9a-f]{48}$/);
		const execution = await nextExecution(n8n, WF.pause, known);
		support.expectStatus(execution, 'success');
		expect(support.nodeOutput(execution, 'Text to Image')[0].json).toMatchObject({ status: 'completed', reference: 'row-42' });
	});

	test('Pause Until Callback with an uploaded file: the URL Legnext was given still serves the file while the execution waits (issue 29, point 9)', async () => {
		// A Webhook's file is kept in n8n's temporary place; when the execution pauses n8n moves it, and a URL
		// signed for the old place answers 404 — while Legnext may fetch the image at any moment before its job starts.
		const known = await support.executionIds(n8n, WF.pauseFile);
		const bytes = png(3000);
		await upload(n8n, HOOK.pauseFile, [bytes]);
		const waiting = await support.waitFor(
			async () => (await n8n.listExecutions(WF.pauseFile, { limit: 50 })).find((e) => !known.includes(String(e.id)) && e.status === 'waiting'),
			30000,
			'the execution to wait',
		);
		const [submit] = submits(sim, '/api/v1/video-diffusion').filter((request) => request.body.prompt.includes('slowly'));
		const [firstFrame] = submit.body.prompt.split(' ');
		expect(firstFrame.startsWith(`${n8n.baseUrl}${SIGNED}`)).toBe(true);
		const fetched = await fetch(firstFrame);
		expect(fetched.status).toBe(200);
		expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);
		const execution = await nextExecution(n8n, WF.pauseFile, known);
		expect(String(execution.id)).toBe(String(waiting.id));
		support.expectStatus(execution, 'success');
		expect(support.nodeOutput(execution, 'Image to Video')[0].json.status).toBe('completed');
	});

	test('a local n8n with Legnext’s public API: fails before paying, saying to set WEBHOOK_URL', async () => {
		const known = await support.executionIds(n8n, WF.publicApi);
		await upload(n8n, HOOK.publicApi, [png(512)]);
		const execution = await nextExecution(n8n, WF.publicApi, known);
		support.expectStatus(execution, 'error');
		const messages = support.errorMessages(execution).join(' | ');
		expect(messages).toMatch(/Legnext cannot fetch the file: n8n's address http:\/\/127\.0\.0\.1:\d+ is local/);
		expect(JSON.stringify(execution.data.resultData)).toMatch(/WEBHOOK_URL/);
	});
});

describe('memory binary mode', () => {
	let world;
	beforeAll(async () => {
		world = await support.startWorld({
			simulator: { apiKeys: [API_KEY], timeScale: 1, durations },
			credentials: (simulator) => [
				{ ...LOCAL, data: { apiKey: API_KEY, baseUrl: simulator.url } },
				{ ...PUBLIC, data: { apiKey: API_KEY, baseUrl: 'https://api.legnext.ai' } },
			],
			workflows: () => workflows(),
			activate: [WF.video],
			env: { N8N_DEFAULT_BINARY_DATA_MODE: 'default' },
		});
	}, support.INSTALL_AND_START_MS);
	afterAll(async () => {
		if (world) await world.close();
	}, 60000);

	test('the same Image to Video fails before paying, saying to set N8N_DEFAULT_BINARY_DATA_MODE', async () => {
		const { n8n, simulator: sim } = world;
		const known = await support.executionIds(n8n, WF.video);
		await upload(n8n, HOOK.video, [png(2048)], { row: '17' });
		const execution = await nextExecution(n8n, WF.video, known);
		support.expectStatus(execution, 'error');
		expect(support.errorMessages(execution).join(' | ')).toMatch(/n8n keeps the file in "data" in memory.*\(item 0\)/);
		expect(JSON.stringify(execution.data.resultData)).toMatch(/N8N_DEFAULT_BINARY_DATA_MODE=filesystem/);
		expect(sim.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
		expect(sim.createdJobs()).toBe(0);
	});
});
