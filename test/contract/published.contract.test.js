// Legnext's contract as Legnext publishes it: every example body of its docs pages (the seeds), its
// OpenAPI spec and the answers recorded in its own repositories (test/fixtures/contract/, copied there
// so a clone needs nothing else), each run through the node: what a user sees for each answer, error,
// callback and balance. Answers go through n8n's engine from a stub that replies with exactly the
// fixture; requests go through the simulator's rules and the node's price table.
const fs = require('fs');
const http = require('http');
const path = require('path');
const yaml = require('js-yaml');
const { startWorld, legnextWorkflow, API_KEY } = require('../harness/world');
const { simplifyJob, isTerminal, isFailed, jobIdProblem, looksLikeJob } = require('../../dist/nodes/shared/job');
const { legnextErrorOf, legnextWords, adviceFor, errorShapedJobStatus } = require('../../dist/nodes/shared/apiErrors');
const { jobFromCallback } = require('../../dist/nodes/shared/callbackBody');
const { checkSignature } = require('../../dist/nodes/shared/callbackSignature');
const { balanceOf } = require('../../dist/nodes/shared/balance');
const { priceShape } = require('../../dist/nodes/Legnext/run/prices');
const { findTaskType } = require('../../dist/nodes/shared/taskTypes');
const { failedJobError, timeLimitError } = require('../../dist/nodes/shared/jobErrors');

const DIR = path.join(__dirname, '..', 'fixtures', 'contract');
const NODE = { id: 'n', name: 'Legnext', type: 'legnext', typeVersion: 2, position: [0, 0], parameters: {} };

/** Every `{…}` in a docs page, as text and parsed. The video page prints `"frozen": 00` (not JSON): read as 0. */
function seedBodies(name) {
	const text = fs.readFileSync(path.join(DIR, 'seeds', name), 'utf8');
	const bodies = [];
	for (let i = 0; i < text.length; i++) {
		if (text[i] !== '{') continue;
		let depth = 0;
		let inString = false;
		let escaped = false;
		let j = i;
		for (; j < text.length; j++) {
			const c = text[j];
			if (inString) {
				if (escaped) escaped = false;
				else if (c === '\\') escaped = true;
				else if (c === '"') inString = false;
			} else if (c === '"') inString = true;
			else if (c === '{') depth++;
			else if (c === '}' && --depth === 0) break;
		}
		const raw = text.slice(i, j + 1);
		bodies.push({ raw, json: JSON.parse(raw.replace(/:\s*00\b/g, ': 0')) });
		i = j;
	}
	return bodies;
}

const recorded = (name) => JSON.parse(fs.readFileSync(path.join(DIR, 'recorded', name), 'utf8'));
const spec = yaml.load(fs.readFileSync(path.join(DIR, 'legnext-openapi.yaml'), 'utf8'));

/** An object from a schema's property examples (the spec gives examples per property, not whole bodies). */
function fromExamples(schema) {
	const resolved = schema.$ref ? spec.components.schemas[schema.$ref.split('/').pop()] : schema;
	if (resolved.type === 'object' && resolved.properties) {
		return Object.fromEntries(Object.entries(resolved.properties).map(([key, property]) => [key, fromExamples(property)]));
	}
	return resolved.example ?? null;
}

/** A Legnext that answers every request with one fixed answer: what the node makes of exactly that. */
async function startStub() {
	let answer = { status: 200, body: '{}' };
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		req.resume();
		req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		requests,
		answer(status, body) {
			answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
			requests.length = 0;
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

let world;
let stub;
beforeAll(async () => {
	world = await startWorld({ whitelistedKeys: [] });
	stub = await startStub();
});
afterAll(async () => {
	await world.close();
	await stub.close();
});

/** Runs the Legnext node against the stub answering `body` with `status`. */
async function againstStub(status, body, parameters) {
	stub.answer(status, body);
	world.engine.setCredentials('legnextApi', { apiKey: 'stub-key', baseUrl: stub.url });
	try {
		return await world.engine.runWorkflow(legnextWorkflow(world, parameters));
	} finally {
		world.engine.setCredentials('legnextApi', { apiKey: API_KEY, baseUrl: world.simulator.url });
	}
}

const textToImage = { resource: 'image', operation: 'textToImage', prompt: 'a fox', waitMode: 'none' };
const jobGet = (jobId) => ({ resource: 'job', operation: 'get', jobId });
const getBalance = { resource: 'account', operation: 'getBalance' };

describe('the docs pages (seeds)', () => {
	const textToImagePage = seedBodies('text-to-image.txt');
	const videoPage = seedBodies('video-diffusion.txt');

	test('every example body is read: Text to Image 4 (request template, 400, request, Job), Getting started 0, Video 3 (2 requests, Job)', () => {
		expect(textToImagePage).toHaveLength(4);
		expect(seedBodies('getting-started.txt')).toHaveLength(0);
		expect(videoPage).toHaveLength(3);
	});

	test('the pending Job (Text to Image): what Job → Get outputs', async () => {
		const job = textToImagePage[3].json;
		const run = await againstStub(200, textToImagePage[3].raw, jobGet(job.job_id));
		expect(run.status).toBe('success');
		expect(stub.requests).toEqual([`GET /api/v1/job/${job.job_id}`]);
		expect(run.output('Legnext')[0].json).toMatchObject({
			jobId: '789320d3-4b20-46d3-a804-6165a079176a',
			status: 'pending',
			taskType: 'diffusion',
			imageUrls: [],
			gridUrl: null,
			usage: { type: 'point', frozen: 80, consume: 0 },
			jobError: null,
			startedAt: null,
			endedAt: null,
		});
		expect(run.output('Legnext')[0].json.error).toBeUndefined();
		expect(isTerminal(job)).toBe(false);
	});

	test('the completed video Job: four MP4 URLs, the times, no error', async () => {
		const job = videoPage[2].json;
		const run = await againstStub(200, job, jobGet(job.job_id));
		expect(run.status).toBe('success');
		const json = run.output('Legnext')[0].json;
		expect(json).toMatchObject({ jobId: job.job_id, status: 'completed', taskType: 'video_diffusion', startedAt: '2025-09-22T04:33:26Z', endedAt: '2025-09-22T04:37:20Z', jobError: null });
		expect(json.videoUrls).toEqual(job.output.video_urls);
		expect(isTerminal(job) && !isFailed(job)).toBe(true);
	});

	test('the 400 error body: Legnext\'s words reach the user, with what to do', async () => {
		const body = textToImagePage[1].json;
		expect(legnextErrorOf(body)).toEqual({ code: 400, message: 'Invalid request parameters', rawMessage: 'Invalid request parameters' });
		const run = await againstStub(400, textToImagePage[1].raw, textToImage);
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Legnext rejected the request as invalid/);
		expect(run.error.description).toMatch(/^Legnext said: Invalid request parameters\. Check the fields/);
	});

	test('each example request: the simulator takes its fields, the node prices it by its shape', async () => {
		const template = textToImagePage[0].json;
		expect(template).toEqual({ text: '<string>', callback: '<string>' }); // a template, not a request
		const requests = [
			['/api/v1/diffusion', textToImagePage[2].json, 40], // `--v 7 --draft`: the page's draft price (the seed's own answer froze 80)
			['/api/v1/video-diffusion', videoPage[0].json, 480], // videoType 0: 480p
			['/api/v1/video-diffusion', videoPage[1].json, 1536], // videoType 1: 720p
		];
		for (const [apiPath, body, price] of requests) {
			expect(priceShape(apiPath, body).published).toBe(price);
			const answer = await fetch(`${world.simulator.url}${apiPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify({ ...body, callback: undefined }),
			});
			// A follow-up of a job this account never made is a 404; the fields themselves pass.
			expect([200, 404]).toContain(answer.status);
			if (body.jobId) expect(jobIdProblem(body.jobId)).toBeUndefined();
		}
	});

	test('Getting started: its statuses and each error code it lists', () => {
		const page = fs.readFileSync(path.join(DIR, 'seeds', 'getting-started.txt'), 'utf8');
		const statuses = /Processing status \(([^)]+)\)/.exec(page)[1].split(',').map((s) => s.trim());
		expect(statuses).toEqual(['pending', 'processing', 'completed', 'failed']);
		expect(statuses.map((status) => isTerminal({ status }))).toEqual([false, false, true, true]);
		const codes = [...page.matchAll(/^(\d{3})\s*\|/gm)].map((m) => Number(m[1]));
		expect(codes).toEqual([400, 401, 402, 403, 413, 422, 429, 500]);
		const titles = codes.map((code) => adviceFor(code, '/api/v1/diffusion').title);
		expect(titles.every((title) => !/answered with HTTP/.test(title))).toBe(true);
		expect(new Set(titles).size).toBe(codes.length);
	});
});

describe('the OpenAPI spec', () => {
	const posts = Object.entries(spec.paths).flatMap(([apiPath, ops]) => (ops.post ? [[apiPath, ops.post]] : []));

	test('every POST endpoint is a task type the node knows and prices', () => {
		expect(posts.length).toBe(15);
		for (const [apiPath] of posts) {
			const taskType = apiPath.split('/').pop();
			expect(findTaskType(taskType)).toBeDefined();
			expect(priceShape(apiPath, {}).published).toBeGreaterThan(0);
		}
	});

	test('every request example: the simulator takes its fields (a 404 for a parent this account never made, 403 for Edit off the whitelist); job IDs pass the node\'s check', async () => {
		for (const [apiPath, post] of posts) {
			let example = post.requestBody?.content?.['application/json']?.schema?.example;
			if (typeof example === 'string') example = JSON.parse(example); // Blend's example is JSON text
			if (!example) continue;
			const response = await fetch(`${world.simulator.url}${apiPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify(example),
			});
			const answer = await response.json();
			expect([200, 404, ...(apiPath === '/api/v1/edit' ? [403] : [])]).toContain(response.status);
			if (response.status !== 200) expect(legnextWords(legnextErrorOf(answer))).not.toBe('');
			if (example.jobId) expect(jobIdProblem(example.jobId)).toBeUndefined();
			expect(priceShape(apiPath, example).published).toBeGreaterThan(0);
		}
	});

	test('the statuses of "Get task response": pending, staged, processing run on; failed and completed end', () => {
		const description = spec.paths['/api/v1/job/{job_id}'].get.description;
		const statuses = /Current status: ([a-z, ]+)/.exec(description)[1].split(/,\s*(?:or\s+)?/).map((s) => s.trim());
		expect(statuses).toEqual(['pending', 'staged', 'processing', 'failed', 'completed']);
		expect(statuses.map((status) => isTerminal({ status }))).toEqual([false, false, false, true, true]);
	});

	test('BalanceResponse (the spec\'s examples): Get Balance shows credits, points and their total, 4,068 = 4.068 USD', async () => {
		const answer = fromExamples(spec.components.schemas.BalanceResponse);
		expect(answer.data).toMatchObject({ available_credits: 3000, available_points: 1068, balance_usd: 4.068 });
		expect(balanceOf(answer)).toEqual({ credits: 3000, points: 1068, total: 4068 });
		const run = await againstStub(200, answer, getBalance);
		expect(run.output('Legnext')[0].json).toMatchObject({ availableCredits: 3000, availablePoints: 1068, availableTotal: 4068, balanceUsd: 4.068 });
	});

	test('TaskResponse (the spec\'s examples): a pending diffusion Job', () => {
		const job = fromExamples(spec.components.schemas.TaskResponse);
		expect(looksLikeJob(job)).toBe(true);
		expect(simplifyJob(job)).toMatchObject({ jobId: '7dea6cc5-5952-4f82-a906-1ed2328bc1c5', status: 'pending', taskType: 'diffusion', jobError: null });
	});
});

describe('answers recorded in Legnext\'s repositories (legnext-api.md)', () => {
	test('the balance: 71,000 credits + 1,048 points = 72,048 = 72.048 USD; Get Balance shows the total', async () => {
		const answer = recorded('balance.sdk-response.json');
		expect(balanceOf(answer)).toEqual({ credits: 71000, points: 1048, total: 72048 });
		expect(balanceOf(answer).total / 1000).toBe(answer.data.balance_usd);
		const run = await againstStub(200, answer, getBalance);
		expect(run.output('Legnext')[0].json).toMatchObject({ availableCredits: 71000, availablePoints: 1048, availableTotal: 72048, balanceUsd: 72.048 });
	});

	test('the job-shaped 403 of /edit: Legnext\'s message, whether sent as 403 or as 200', async () => {
		const body = recorded('error-403-edit.job-shaped.json');
		const message = 'This feature is only available for whitelisted accounts. Please upgrade your plan or contact customer support to access this feature.';
		expect(legnextWords(legnextErrorOf(body))).toBe(message);
		expect(errorShapedJobStatus(body)).toBe(403);
		for (const status of [403, 200]) {
			const run = await againstStub(status, body, textToImage);
			expect(run.status).toBe('error');
			expect(run.error.httpCode).toBe('403');
			expect(run.error.description).toBe(`Legnext said: ${message}. ${adviceFor(403, '/api/v1/diffusion').fix}`);
		}
	});

	test('the SDKs\' nested error shape: Legnext\'s message and raw message', async () => {
		const run = await againstStub(400, recorded('error-nested.sdk-schema.json'), textToImage);
		expect(run.error.description).toMatch(/^Legnext said: Invalid request parameters: text is required\./);
	});

	test('the seed\'s --draft job froze 80 where the pricing page says 40: the budget counts the larger once charged', () => {
		const [, , request, answer] = seedBodies('text-to-image.txt').map((body) => body.json);
		expect(request.text).toMatch(/--v 7 --draft/);
		expect(priceShape('/api/v1/diffusion', request).published).toBe(40);
		expect(answer.meta.usage.frozen).toBe(80);
		// What an account is charged is remembered by shape: every `--draft` generation then counts max(40, 80) = 80
		// (test/budget.engine.test.js runs it).
		expect(priceShape('/api/v1/diffusion', request).key).toBe(priceShape('/api/v1/diffusion', { text: 'a fox --draft' }).key);
		expect(priceShape('/api/v1/diffusion', request).key).not.toBe(priceShape('/api/v1/diffusion', { text: 'a fox' }).key);
	});

	test('callbacks: {timestamp, data} (the web app), a bare Job (the Python SDK), JSON sent as text', () => {
		const wrapped = recorded('callback-wrapped.web-app.json');
		expect(jobFromCallback(wrapped)).toEqual(wrapped.data);
		expect(jobFromCallback(wrapped.data)).toEqual(wrapped.data);
		expect(jobFromCallback(JSON.stringify(wrapped))).toEqual(wrapped.data);
		expect(jobFromCallback(Buffer.from(JSON.stringify(wrapped.data)))).toEqual(wrapped.data);
		expect(jobFromCallback({ timestamp: 1, data: { hello: 'world' } })).toBeUndefined();
		expect(jobFromCallback('job done')).toBeUndefined();
	});

	test('a signed callback (the Python SDK\'s scheme): valid within 5 minutes, refused when stale, tampered or unsigned', () => {
		const signed = recorded('callback-signed.python-sdk.json');
		const raw = Buffer.from(signed.body);
		const at = Number(signed.withTimestamp['X-Legnext-Timestamp']) * 1000;
		const headers = Object.fromEntries(Object.entries(signed.withTimestamp).map(([key, value]) => [key.toLowerCase(), value]));
		expect(checkSignature(signed.secret, raw, headers, at + 60_000)).toEqual({ valid: true });
		expect(checkSignature(signed.secret, raw, { 'x-legnext-signature': signed.bodyOnly['X-Legnext-Signature'] }, Date.now())).toEqual({ valid: true });
		expect(checkSignature(signed.secret, raw, headers, at + 301_000)).toEqual({ valid: false, reason: expect.stringMatching(/301 s old/) });
		expect(checkSignature(signed.secret, Buffer.from(signed.body.replace('completed', 'failed')), headers, at)).toEqual({ valid: false, reason: expect.stringMatching(/does not match/) });
		expect(checkSignature('another secret', raw, headers, at)).toEqual({ valid: false, reason: expect.stringMatching(/does not match/) });
		expect(checkSignature(signed.secret, raw, {}, at)).toEqual({ valid: false, reason: expect.stringMatching(/not signed/) });
		expect(jobFromCallback(raw)).toMatchObject({ job_id: '789320d3-4b20-46d3-a804-6165a079176a', status: 'completed' });
	});

	test('statuses beyond the docs: generating runs on; canceled ends, as a failure naming the job', () => {
		const generating = recorded('job-generating.web-app.json');
		expect(isTerminal(generating)).toBe(false);
		const limit = timeLimitError(NODE, generating, 60_000, 0);
		expect(limit.message).toBe(`Job ${generating.job_id} was still "generating" (a status Legnext’s docs do not list) after 1 min, the time limit (item 0)`);
		const canceled = recorded('job-canceled.web-app.json');
		expect(isTerminal(canceled) && isFailed(canceled)).toBe(true);
		expect(simplifyJob(canceled).jobError).toMatchObject({ message: 'the job was canceled' });
		expect(failedJobError(NODE, canceled, 0).message).toBe(`Legnext cancelled job ${canceled.job_id}: the job was cancelled (item 0)`);
	});

	test('a hyphenated task type and a numeric job ID: one image, no grid; Job → Get sends the ID as is', async () => {
		const job = recorded('job-hyphenated.sdk-enum.json');
		expect(findTaskType(job.task_type)).toMatchObject({ value: 'remove_background', name: 'Remove Background' });
		expect(jobIdProblem(job.job_id)).toBeUndefined();
		const run = await againstStub(200, job, jobGet(job.job_id));
		expect(stub.requests).toEqual(['GET /api/v1/job/1868588555208310784']);
		expect(run.output('Legnext')[0].json).toMatchObject({ jobId: job.job_id, taskType: 'remove-background', imageUrls: [job.output.image_url], gridUrl: null });
	});
});
