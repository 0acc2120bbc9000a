// Version 1 of the Legnext node: workflows exactly as Legnext's published node 0.1.0 saves them
// (only the parameters left off their defaults, typeVersion 1), with a 0.1.0 credential (API key
// only), in n8n's engine against the simulator.
const { NodeHelpers, Workflow } = require('n8n-workflow');

const { startWorld, apiRequests, legnextWorkflow } = require('../harness/world');
const { Legnext } = require('../../dist/nodes/Legnext/Legnext.node');

const UUID = /^[0-9a-f-]{36}$/;

let world;
beforeAll(async () => {
	// A 0.1.0 credential: the key only, the simulator's address through n8n's credential overwrites.
	world = await startWorld({}, { keyOnly: true });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

/** One 0.1.0 node (typeVersion 1) with the parameters 0.1.0 stored. */
async function run010(parameters, options = {}) {
	return await world.engine.runWorkflow(legnextWorkflow(world, parameters, { ...options, node: { typeVersion: 1, ...options.node } }));
}

/** Runs one 0.1.0 node that should succeed; returns its single item and the one API request it made. */
async function runOk(parameters) {
	const before = apiRequests(world.simulator).length;
	const run = await run010(parameters);
	expect(run.error).toBeUndefined();
	expect(run.status).toBe('success');
	const output = run.output('Legnext');
	expect(output).toHaveLength(1);
	expect(output[0].pairedItem).toEqual({ item: 0 });
	const requests = apiRequests(world.simulator).slice(before);
	expect(requests).toHaveLength(1);
	return { json: output[0].json, request: requests[0] };
}

/** 0.1.0's output is the job as Legnext sent it, except that no item carries `error`. */
function expectSubmittedJob(json, taskType) {
	expect(json).toMatchObject({ status: 'pending', task_type: taskType, jobError: null });
	expect(json.job_id).toMatch(UUID);
	expect(json).not.toHaveProperty('error');
	expect(json.meta.started_at).toBe('0001-01-01T00:00:00Z');
}

/** Jobs end in simulated time; jump past any job's duration. */
const finishJobs = () => world.simulator.advance(3600);

describe('every 0.1.0 operation, as 0.1.0 saved it', () => {
	test('image operations send 0.1.0’s bodies (no empty fields) and output the job as submitted', async () => {
		const imagine = await runOk({ text: 'a red fox in the snow' });
		expect(imagine.request).toMatchObject({ method: 'POST', path: '/api/v1/diffusion' });
		expect(imagine.request.body).toEqual({ text: 'a red fox in the snow' });
		expectSubmittedJob(imagine.json, 'diffusion');
		const jobId = imagine.json.job_id;
		finishJobs();

		const cases = [
			[{ operation: 'upscale', jobId }, '/api/v1/upscale', { jobId, imageNo: 0, type: 0 }, 'upscale'],
			[{ operation: 'upscale', jobId, imageNo: 3, type: 1 }, '/api/v1/upscale', { jobId, imageNo: 3, type: 1 }, 'upscale'],
			[{ operation: 'variation', jobId, imageNo: 2 }, '/api/v1/variation', { jobId, imageNo: 2, type: 0 }, 'variation'],
			[
				{ operation: 'variation', jobId, type: 1, remixPrompt: 'at night' },
				'/api/v1/variation',
				{ jobId, imageNo: 0, type: 1, remixPrompt: 'at night' },
				'variation',
			],
			[{ operation: 'reroll', jobId }, '/api/v1/reroll', { jobId }, 'reroll'],
			[{ operation: 'outpaint', jobId }, '/api/v1/outpaint', { jobId, imageNo: 0, scale: 1.5 }, 'outpaint'],
			[{ operation: 'outpaint', jobId, scale: 1.2, imageNo: 1 }, '/api/v1/outpaint', { jobId, imageNo: 1, scale: 1.2 }, 'outpaint'],
			// Direction 0 (down) is a value, not "unset"; 1 (right) is the default.
			[{ operation: 'pan', jobId, direction: 0 }, '/api/v1/pan', { jobId, imageNo: 0, direction: 0, scale: 1.5 }, 'pan'],
			[{ operation: 'pan', jobId }, '/api/v1/pan', { jobId, imageNo: 0, direction: 1, scale: 1.5 }, 'pan'],
			[
				{ operation: 'blend', imgUrls: ' https://example.com/a.png\n\nhttps://example.com/b.png  \n' },
				'/api/v1/blend',
				{ imgUrls: ['https://example.com/a.png', 'https://example.com/b.png'], aspect_ratio: '1:1' },
				'blend',
			],
			[
				{ operation: 'blend', imgUrls: 'https://example.com/a.png\nhttps://example.com/b.png\nhttps://example.com/c.png', aspect_ratio: '3:2' },
				'/api/v1/blend',
				{ imgUrls: ['https://example.com/a.png', 'https://example.com/b.png', 'https://example.com/c.png'], aspect_ratio: '3:2' },
				'blend',
			],
			[{ operation: 'describe', imgUrl: 'https://example.com/photo.png' }, '/api/v1/describe', { imgUrl: 'https://example.com/photo.png' }, 'describe'],
			[{ operation: 'shorten', prompt: 'a very long and winding prompt' }, '/api/v1/shorten', { prompt: 'a very long and winding prompt' }, 'shorten'],
		];
		for (const [parameters, path, body, taskType] of cases) {
			const { json, request } = await runOk(parameters);
			expect({ path: request.path, body: request.body }).toEqual({ path, body });
			expectSubmittedJob(json, taskType);
			finishJobs(); // else Legnext's cap of 6 running jobs answers 429 (which the node waits out)
		}
		// No waiting: nothing but the submits (and no status checks) reached Legnext.
		expect(apiRequests(world.simulator).filter((r) => r.method === 'GET')).toHaveLength(0);
	});

	test('video operations: from job (0.1.0’s default source), from image URL, extend, upscale', async () => {
		const parent = await runOk({ text: 'a quiet harbour' });
		finishJobs();
		const jobId = parent.json.job_id;

		const fromJob = await runOk({ resource: 'video', jobId });
		expect(fromJob.request).toMatchObject({ path: '/api/v1/video-diffusion', body: { jobId, imageNo: 0, videoType: 0 } });
		expect(fromJob.request.body).toEqual({ jobId, imageNo: 0, videoType: 0 });
		expectSubmittedJob(fromJob.json, 'video_diffusion');

		const withPrompt = await runOk({ resource: 'video', jobId, imageNo: 1, promptFromJob: 'waves roll in', videoType: 1 });
		expect(withPrompt.request.body).toEqual({ jobId, imageNo: 1, prompt: 'waves roll in', videoType: 1 });

		const fromUrl = await runOk({ resource: 'video', sourceMode: 'fromImageUrl', promptFromImageUrl: 'https://example.com/a.png slow zoom' });
		expect(fromUrl.request.body).toEqual({ prompt: 'https://example.com/a.png slow zoom', videoType: 0 });

		finishJobs();
		const videoJobId = fromJob.json.job_id;
		const extend = await runOk({ resource: 'video', operation: 'extendVideo', jobId: videoJobId });
		expect(extend.request).toMatchObject({ path: '/api/v1/extend-video' });
		expect(extend.request.body).toEqual({ jobId: videoJobId, videoNo: 0 });
		expectSubmittedJob(extend.json, 'extend_video');

		const extendWithPrompt = await runOk({ resource: 'video', operation: 'extendVideo', jobId: videoJobId, videoNo: 2, prompt: 'then it rains' });
		expect(extendWithPrompt.request.body).toEqual({ jobId: videoJobId, videoNo: 2, prompt: 'then it rains' });

		const upscale = await runOk({ resource: 'video', operation: 'upscaleVideo', jobId: videoJobId, videoNo: 1 });
		expect(upscale.request).toMatchObject({ path: '/api/v1/video-upscale' });
		expect(upscale.request.body).toEqual({ jobId: videoJobId, videoNo: 1 });
		expectSubmittedJob(upscale.json, 'video_upscale');
	});

	test('Job → Get outputs the job as Legnext has it; Get Balance outputs Legnext’s answer as is', async () => {
		const { json: submitted } = await runOk({ text: 'a lighthouse' });
		finishJobs();
		const got = await runOk({ resource: 'job', jobId: submitted.job_id });
		expect(got.request).toMatchObject({ method: 'GET', path: `/api/v1/job/${submitted.job_id}` });
		expect(got.json).toMatchObject({ job_id: submitted.job_id, status: 'completed', task_type: 'diffusion', jobError: null });
		expect(got.json.output.image_urls).toHaveLength(4);
		expect(got.json).not.toHaveProperty('error');

		const balance = await runOk({ resource: 'account' });
		expect(balance.request).toMatchObject({ method: 'GET', path: '/api/account/balance' });
		expect(balance.json).toEqual({ code: expect.anything(), message: expect.any(String), data: expect.any(Object) });
		expect(balance.json.data).toMatchObject({ available_points: expect.any(Number), balance_usd: expect.any(Number) });
	});

	test('a callback URL is sent as given', async () => {
		const { request } = await runOk({ text: 'a fox', callback: 'https://example.com/hook' });
		expect(request.body).toEqual({ text: 'a fox', callback: 'https://example.com/hook' });
	});
});

describe('what 0.1.0 did that harmed its users', () => {
	test('a failed job carries jobError, never error, so n8n does not take the run for failed', async () => {
		world.simulator.inject({ failJobs: 1, failWith: { code: 10001, message: 'Banned prompt', raw_message: 'banned' } });
		const { json: submitted } = await runOk({ text: 'something banned' });
		finishJobs();
		const { json } = await runOk({ resource: 'job', jobId: submitted.job_id });
		expect(json.status).toBe('failed');
		expect(json).not.toHaveProperty('error');
		expect(json.jobError).toMatchObject({ code: 10001, message: 'Banned prompt' });
	});

	test('Upscale types 2x and 4x, which Legnext no longer takes, stop before anything is sent', async () => {
		const jobId = '789320d3-4b20-46d3-a804-6165a079176a';
		for (const [type, name] of [[2, '2x'], [3, '4x']]) {
			const run = await run010({ operation: 'upscale', jobId, type });
			expect(run.status).toBe('error');
			expect(run.error.message).toBe(`Upscale Type: ${name} (${type}) is no longer offered by Legnext (item 0)`);
			expect(run.error.description).toMatch(/Choose Subtle \(0\) or Creative \(1\)/);
		}
		expect(apiRequests(world.simulator)).toHaveLength(0);
	});

	const refused = [
		['a blank prompt', { text: '  ' }, /^Text Prompt: is empty \(item 0\)/],
		['a blend of one image', { operation: 'blend', imgUrls: 'https://example.com/a.png\n\n' }, /^Image URLs: has 1 URL, Legnext needs 2 to 5/],
		['a blend line that is not a URL', { operation: 'blend', imgUrls: 'https://example.com/a.png\nb.png' }, /^Image URLs \(line 2\): "b.png" is not an http\(s\) URL/],
		['a URL where the job ID goes', { operation: 'reroll', jobId: 'https://image.legnext.ai/a.png' }, /^Job ID: "https:\/\/image.legnext.ai\/a.png" is a URL or a path, not a job ID/],
		['an image number outside 0–3', { operation: 'variation', jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 4 }, /^Image Number: 4 is not a whole number from 0 to 3/],
		['an outpaint scale above 2', { operation: 'outpaint', jobId: '789320d3-4b20-46d3-a804-6165a079176a', scale: 2.5 }, /^Scale: 2.5 is not a number from 1.1 to 2/],
		['a video prompt without the image URL', { resource: 'video', sourceMode: 'fromImageUrl', promptFromImageUrl: 'waves' }, /^Prompt with Image URL: does not start with an http\(s\) image URL/],
		['a callback that is not a URL', { text: 'a fox', callback: 'my-webhook' }, /^Callback URL: "my-webhook" is not an http\(s\) URL/],
	];
	test.each(refused)('%s is refused before anything is sent', async (_name, parameters, message) => {
		const run = await run010(parameters);
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(message);
		expect(apiRequests(world.simulator)).toHaveLength(0);
	});
});

describe('a workflow that chains 0.1.0 nodes', () => {
	test('Imagine → Job → Get with the job ID from the item, for two items', async () => {
		const workflow = legnextWorkflow(world, { text: '={{ "a " + $json.animal }}' }, {
			items: [{ animal: 'fox' }, { animal: 'owl' }],
			node: { typeVersion: 1 },
		});
		workflow.nodes.push({
			...workflow.nodes[2],
			id: 'n-get',
			name: 'Get Job',
			position: [600, 0],
			parameters: { resource: 'job', jobId: '={{ $json.job_id }}' },
		});
		workflow.connections.Legnext = { main: [[{ node: 'Get Job', type: 'main', index: 0 }]] };
		const run = await world.engine.runWorkflow(workflow);
		expect(run.status).toBe('success');
		const submitted = run.output('Legnext');
		const got = run.output('Get Job');
		expect(got.map((item) => item.json.job_id)).toEqual(submitted.map((item) => item.json.job_id));
		expect(got.map((item) => world.simulator.jobs.get(item.json.job_id).body.text)).toEqual(['a fox', 'a owl']);
		got.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		expect(world.simulator.createdJobs()).toBe(2);
	});

	test('Continue On Fail: a bad item becomes an error item, the others are sent', async () => {
		const run = await run010({ text: '={{ $json.p }}' }, { items: [{ p: 'ok' }, { p: '' }], node: { onError: 'continueRegularOutput' } });
		expect(run.status).toBe('success');
		const [good, bad] = run.output('Legnext');
		expect(good.json.status).toBe('pending');
		expect(bad.json.error).toMatch(/Text Prompt: is empty \(item 1\)/);
		expect(world.simulator.createdJobs()).toBe(1);
	});
});

describe('the editor', () => {
	const versioned = new Legnext();

	/** The canvas subtitle the editor shows for these saved parameters. */
	function subtitleOf(version, parameters) {
		const nodeType = versioned.getNodeType(version);
		const node = { id: 'n', name: 'Legnext', type: 'n8n-nodes-legnext.legnext', typeVersion: version, position: [0, 0], parameters: {} };
		node.parameters = NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, node, nodeType.description);
		const nodeTypes = { getByName: () => versioned, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle, 'internal', {});
	}

	test('a new node is version 2; version 1 keeps 0.1.0’s defaults', () => {
		expect(versioned.currentVersion).toBe(2);
		const v1 = versioned.getNodeType(1).description;
		const defaults = NodeHelpers.getNodeParameters(v1.properties, {}, true, false, null, v1);
		expect(defaults).toMatchObject({ resource: 'image', operation: 'imagine', text: '', callback: '' });
		const video = NodeHelpers.getNodeParameters(v1.properties, { resource: 'video' }, true, false, null, v1);
		expect(video).toMatchObject({ operation: 'videoDiffusion', sourceMode: 'fromJob', imageNo: 0, videoType: 0 });
		const pan = NodeHelpers.getNodeParameters(v1.properties, { operation: 'pan' }, true, false, null, v1);
		expect(pan).toMatchObject({ imageNo: 0, direction: 1, scale: 1.5 });
	});

	test('version 1 tells of the newer version', () => {
		const notice = versioned.getNodeType(1).description.properties.find((property) => property.type === 'notice');
		expect(notice.displayName).toMatch(/newer version waits for the result and returns the images and videos as files/);
		expect(notice.displayOptions).toBeUndefined();
	});

	test.each([
		[1, {}, 'Image → Imagine'],
		[1, { operation: 'upscale' }, 'Image → Upscale'],
		[1, { resource: 'video' }, 'Video Diffusion'],
		[1, { resource: 'video', operation: 'upscaleVideo' }, 'Upscale Video'],
		[1, { resource: 'account' }, 'Account → Get Balance'],
		[2, {}, 'Text to Image'],
		[2, { operation: 'upscale' }, 'Image → Upscale'],
		[2, { resource: 'video' }, 'Image to Video'],
		[2, { resource: 'video', operation: 'upscale' }, 'Video → Upscale'],
		[2, { resource: 'job' }, 'Job → Get'],
	])('version %i %j reads "%s" on the canvas', (version, parameters, subtitle) => {
		expect(subtitleOf(version, parameters)).toBe(subtitle);
	});
});
