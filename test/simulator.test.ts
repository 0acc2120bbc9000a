/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @typescript-eslint/no-explicit-any -- a test of the simulator, not node code */
// The Legnext simulator itself: it must play Legnext faithfully, since every other test trusts it.
import * as http from 'http';
import { AddressInfo } from 'net';
import { startSimulator } from './simulator/server';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Json = Record<string, any>;

const KEY = 'test-key';
const OTHER_KEY = 'other-key';
const SCALE = 100; // job seconds per real second: a 12 s job takes 120 ms

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(sim: Sim, path: string, init: { method?: string; body?: unknown; raw?: string; key?: string | null } = {}) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (init.key !== null) headers['x-api-key'] = init.key ?? KEY;
	const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
	const response = await fetch(sim.url + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
	const text = await response.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json: json as Json };
}

const submit = (sim: Sim, path: string, body: unknown, key?: string) => call(sim, `/api/v1/${path}`, { body, key });
const getJob = (sim: Sim, id: string, key?: string) => call(sim, `/api/v1/job/${id}`, { key });

/** Poll until terminal; returns every status seen, in order (no repeats). */
async function pollUntilDone(sim: Sim, id: string, key?: string): Promise<{ job: Json; seen: string[] }> {
	const seen: string[] = [];
	for (let i = 0; i < 2000; i++) {
		const { json } = await getJob(sim, id, key);
		if (seen[seen.length - 1] !== json.status) seen.push(json.status);
		if (json.status === 'completed' || json.status === 'failed') return { job: json, seen };
		await sleep(3);
	}
	throw new Error(`job ${id} never finished`);
}

async function download(url: string) {
	const response = await fetch(url);
	return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ZERO = '0001-01-01T00:00:00Z';
const SIGNED = /^http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f-]{36}\/(grid|\d)\.(png|mp4)\?Expires=\d+&Signature=[^&]+$/;

let sim: Sim;
beforeAll(async () => {
	sim = await startSimulator({
		apiKeys: [KEY, OTHER_KEY],
		timeScale: SCALE,
		durations: { diffusion: { pending: 2, processing: 10 }, video_diffusion: { pending: 1, processing: 12 }, upscale: { pending: 1, processing: 5 } },
		videoBytes: 100_000,
	});
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

describe('auth', () => {
	test('a missing or wrong key is 401 with Legnext’s body, and the key is never recorded', async () => {
		const missing = await submit(sim, 'diffusion', { text: 'a fox' }, undefined as unknown as string);
		expect(missing.status).toBe(200); // sanity: the default key works
		const none = await call(sim, '/api/v1/diffusion', { body: { text: 'a fox' }, key: null });
		const wrong = await call(sim, '/api/v1/job/789320d3-4b20-46d3-a804-6165a079176a', { key: 'wrong-SECRET' });
		for (const answer of [none, wrong]) {
			expect(answer.status).toBe(401);
			expect(answer.json).toEqual({ code: 401, message: 'Failed to verify api key', raw_message: 'Failed to verify api key', detail: null });
		}
		expect(sim.createdJobs()).toBe(1);
		expect(sim.requests.map((r) => r.hasKey)).toEqual([true, false, true]);
		expect(sim.requests[2].headers['x-api-key']).toBe('<redacted>');
		expect(JSON.stringify(sim.requests)).not.toContain('wrong-SECRET');
		expect(JSON.stringify(sim.requests)).not.toContain(KEY);
		expect(sim.requests.map((r) => r.status)).toEqual([200, 401, 401]);
	});
});

describe('validation', () => {
	const cases: Array<[string, string, unknown, RegExp]> = [
		['text missing', 'diffusion', {}, /text/],
		['text empty', 'diffusion', { text: '' }, /text/],
		['text too long', 'diffusion', { text: 'x'.repeat(8193) }, /text.*8192/],
		['text not a string', 'diffusion', { text: 5 }, /DiffusionRequest\.text of type string/],
		['callback not a URL', 'diffusion', { text: 'a', callback: 'javascript:alert(1)' }, /callback/],
		['video: prompt without an image URL', 'video-diffusion', { prompt: 'waves crashing' }, /prompt/],
		['video: videoType 2', 'video-diffusion', { prompt: 'https://example.com/a.png waves', videoType: 2 }, /videoType/],
		['pan: direction as a string', 'pan', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 0, direction: '1', scale: 1.5 }, /direction of type int/],
		['pan: scale 3.5', 'pan', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 0, direction: 1, scale: 3.5 }, /scale/],
		['outpaint: scale 2.5', 'outpaint', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 0, scale: 2.5 }, /scale/],
		['upscale: imageNo 4', 'upscale', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 4, type: 0 }, /imageNo/],
		['upscale: type missing', 'upscale', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 0 }, /type/],
		['blend: one URL', 'blend', { imgUrls: ['https://example.com/a.png'], aspect_ratio: '1:1' }, /imgUrls/],
		['blend: bad ratio', 'blend', { imgUrls: ['https://example.com/a.png', 'https://example.com/b.png'], aspect_ratio: '16:9' }, /aspect_ratio/],
		['describe: no image', 'describe', {}, /imgUrl/],
		['shorten: no prompt', 'shorten', {}, /prompt/],
		['remove-background: URL over 1024', 'remove-background', { imgUrl: `https://example.com/${'a'.repeat(1100)}.png` }, /imgUrl/],
		['retexture: no remixPrompt', 'retexture', { imgUrl: 'https://example.com/a.png' }, /remixPrompt/],
		['inpaint: no mask', 'inpaint', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 0 }, /mask/],
		['extend-video: videoNo 5', 'extend-video', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', videoNo: 5 }, /videoNo/],
		['a JSON array body', 'diffusion', [1, 2], /cannot unmarshal array/],
	];
	test.each(cases)('%s → 400 naming the field', async (_name, path, body, field) => {
		const answer = await submit(sim, path, body);
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ code: 400, message: 'Invalid request parameters', detail: null });
		expect(answer.json.raw_message).toMatch(field);
		expect(sim.createdJobs()).toBe(0);
	});

	test('invalid JSON is 400; unknown routes are a plain 404; unknown jobs 404', async () => {
		const invalid = await call(sim, '/api/v1/diffusion', { raw: '{"text": ' });
		expect(invalid.status).toBe(400);
		expect(invalid.json.code).toBe(400);
		const route = await call(sim, '/api/v1/imagine', { body: { text: 'a' } });
		expect(route.status).toBe(404);
		const unknown = await getJob(sim, '789320d3-4b20-46d3-a804-6165a079176a');
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ code: 404, message: 'job not found', raw_message: 'job not found', detail: null });
		expect((await getJob(sim, 'abc')).status).toBe(404);
		// A follow-up on an unknown job.
		expect((await submit(sim, 'upscale', { jobId: '789320d3-4b20-46d3-a804-6165a079176a', imageNo: 0, type: 0 })).status).toBe(404);
	});

	test('edit and upload-paint are whitelist only', async () => {
		for (const path of ['edit', 'upload-paint']) {
			const answer = await submit(sim, path, { remixPrompt: 'x' });
			expect(answer.status).toBe(403);
			expect(answer.json).toMatchObject({ code: 403, message: 'Permission denied: whitelist only' });
		}
	});
});

describe('a diffusion job', () => {
	test('answers pending at once, shaped like the seed, then moves to processing and completed', async () => {
		const answer = await submit(sim, 'diffusion', { text: 'A beautiful sunset --v 7 --draft', callback: 'http://127.0.0.1:9/hook' });
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/application\/json/);
		expect(answer.json).toEqual({
			job_id: expect.stringMatching(UUID),
			model: 'midjourney',
			task_type: 'diffusion',
			status: 'pending',
			config: { service_mode: 'public', webhook_config: { endpoint: 'http://127.0.0.1:9/hook', secret: '' } },
			input: null,
			output: { image_url: '', image_urls: null, seed: '' },
			meta: { created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), started_at: ZERO, ended_at: ZERO, usage: { type: 'point', frozen: 80, consume: 0 } },
			detail: null,
			logs: [],
			error: { code: 0, raw_message: '', message: '', detail: null },
		});
		expect(Object.keys(answer.json)).toEqual(['job_id', 'model', 'task_type', 'status', 'config', 'input', 'output', 'meta', 'detail', 'logs', 'error']);
		const id = answer.json.job_id;
		expect(sim.jobs.get(id)).toMatchObject({ id, taskType: 'diffusion', body: { text: 'A beautiful sunset --v 7 --draft' } });

		const { job, seen } = await pollUntilDone(sim, id);
		expect(seen[0]).toBe('pending');
		expect(seen).toContain('processing');
		expect(seen[seen.length - 1]).toBe('completed');
		expect(seen.filter((s) => !['pending', 'staged'].includes(s))).toEqual(['processing', 'completed']);
		expect(job.output.image_url).toMatch(SIGNED);
		expect(job.output.image_url).toMatch(/grid\.png/);
		expect(job.output.image_urls).toHaveLength(4);
		job.output.image_urls.forEach((url: string, n: number) => expect(url).toMatch(new RegExp(`/${n}\\.png\\?`)));
		expect(job.output.seed).toMatch(/^\d+$/);
		expect(job.output.available_actions).toMatchObject({ upscale: [0, 1, 2, 3], variation: [0, 1, 2, 3], reroll: true, enhance: [0, 1, 2, 3] });
		expect(job.meta.started_at).not.toBe(ZERO);
		expect(Date.parse(job.meta.ended_at) - Date.parse(job.meta.started_at)).toBe(10_000); // job seconds, not real ones
		expect(job.meta.usage).toEqual({ type: 'point', frozen: 80, consume: 80 });
		expect(job.error.code).toBe(0);
	});

	test('another key cannot see it; a follow-up needs it completed', async () => {
		const { json } = await submit(sim, 'diffusion', { text: 'a lighthouse' });
		expect((await getJob(sim, json.job_id, OTHER_KEY)).status).toBe(404);
		const early = await submit(sim, 'upscale', { jobId: json.job_id, imageNo: 1, type: 0 });
		expect(early.status).toBe(400);
		expect(early.json.raw_message).toMatch(/not completed/);
		await pollUntilDone(sim, json.job_id);
		expect((await submit(sim, 'upscale', { jobId: json.job_id, imageNo: 1, type: 0 }, OTHER_KEY)).status).toBe(404);
		const upscale = await submit(sim, 'upscale', { jobId: json.job_id, imageNo: 1, type: 0 });
		expect(upscale.json).toMatchObject({ task_type: 'upscale', status: 'pending' });
		const { job } = await pollUntilDone(sim, upscale.json.job_id);
		expect(job.output.image_urls).toHaveLength(1);
		expect(job.output.image_url).toBe(job.output.image_urls[0]);
		// An upscaled image cannot be rerolled.
		expect((await submit(sim, 'reroll', { jobId: upscale.json.job_id })).status).toBe(400);
	});

	test('advance() moves job time without waiting', async () => {
		const slow = await startSimulator({ apiKeys: [KEY], timeScale: 1 });
		try {
			const { json } = await submit(slow, 'diffusion', { text: 'a slow fox' });
			expect((await getJob(slow, json.job_id)).json.status).toBe('pending');
			slow.advance(10);
			expect((await getJob(slow, json.job_id)).json.status).toBe('processing');
			slow.advance(3600);
			expect((await getJob(slow, json.job_id)).json.status).toBe('completed');
		} finally {
			await slow.close();
		}
	});
});

describe('files', () => {
	test('PNGs: real, different per index, no key needed; signatures and unknown files refused', async () => {
		const { json } = await submit(sim, 'diffusion', { text: 'a red fox' });
		const { job } = await pollUntilDone(sim, json.job_id);
		const files = await Promise.all([job.output.image_url, ...job.output.image_urls].map(download));
		for (const file of files) {
			expect(file.status).toBe(200);
			expect(file.headers.get('content-type')).toBe('image/png');
			expect(Number(file.headers.get('content-length'))).toBe(file.bytes.length);
			expect(file.bytes.subarray(0, 4).toString('hex')).toBe('89504e47');
			expect(file.bytes.subarray(12, 16).toString()).toBe('IHDR');
		}
		expect(files[0].bytes.readUInt32BE(16)).toBe(128); // the grid is 2x2 images of 64 px
		expect(files[1].bytes.readUInt32BE(16)).toBe(64);
		expect(new Set(files.map((f) => f.bytes.toString('base64'))).size).toBe(5);
		expect((await download(job.output.image_urls[0])).bytes.equals(files[1].bytes)).toBe(true); // deterministic

		const unsigned = await download(job.output.image_urls[0].split('?')[0]);
		expect(unsigned.status).toBe(403);
		expect(unsigned.bytes.toString()).toContain('<Code>AccessDenied</Code>');
		const forged = await download(job.output.image_urls[0].replace(/Signature=[^&]+/, 'Signature=abc'));
		expect(forged.status).toBe(403);
		const missing = await download(job.output.image_urls[0].replace('/0.png', '/7.png'));
		expect(missing.status).toBe(403); // signature covers the path
		expect((await download(`${sim.url}/files/${json.job_id}/9.png?Expires=1&Signature=x`)).status).toBe(403);
		expect((await download(`${sim.url}/files/00000000-0000-4000-8000-000000000000/0.png`)).status).toBe(403);
	});

	test('expireFiles: 403 with an OSS-style XML body', async () => {
		const { json } = await submit(sim, 'diffusion', { text: 'a red fox' });
		const { job } = await pollUntilDone(sim, json.job_id);
		sim.inject({ expireFiles: true });
		const expired = await download(job.output.image_url);
		expect(expired.status).toBe(403);
		expect(expired.headers.get('content-type')).toMatch(/xml/);
		expect(expired.bytes.toString()).toMatch(/<Error>[\s\S]*<Code>AccessDenied<\/Code>[\s\S]*<Message>Request has expired<\/Message>/);
	});
});

describe('video diffusion', () => {
	test('from a completed image job and from an image URL: four real MP4s', async () => {
		const image = await submit(sim, 'diffusion', { text: 'ocean waves' });
		expect((await submit(sim, 'video-diffusion', { jobId: image.json.job_id, imageNo: 0 })).status).toBe(400); // not done yet
		await pollUntilDone(sim, image.json.job_id);

		const bad = await submit(sim, 'video-diffusion', { jobId: image.json.job_id, imageNo: 4 });
		expect(bad.status).toBe(400);
		expect(bad.json.raw_message).toMatch(/imageNo/);

		const fromJob = await submit(sim, 'video-diffusion', { jobId: image.json.job_id, imageNo: 2, prompt: 'gentle motion', videoType: 1 });
		const fromUrl = await submit(sim, 'video-diffusion', { prompt: 'https://example.com/a.jpg A cinematic shot --motion high', videoType: 0 });
		for (const answer of [fromJob, fromUrl]) {
			expect(answer.status).toBe(200);
			expect(answer.json).toMatchObject({ task_type: 'video_diffusion', status: 'pending', output: { image_url: '', image_urls: null, seed: '' } });
		}
		expect(sim.jobs.get(fromJob.json.job_id)?.plan).toMatchObject({ parentId: image.json.job_id, parentIndex: 2 });

		for (const id of [fromJob.json.job_id, fromUrl.json.job_id]) {
			const { job } = await pollUntilDone(sim, id);
			expect(job.status).toBe('completed');
			expect(job.output).toEqual({ video_urls: expect.any(Array) });
			expect(job.output.video_urls).toHaveLength(4);
			job.output.video_urls.forEach((url: string) => expect(url).toMatch(SIGNED));
		}
		const { job } = await pollUntilDone(sim, fromJob.json.job_id);
		const videos = await Promise.all(job.output.video_urls.slice(0, 2).map(download));
		for (const video of videos) {
			expect(video.status).toBe(200);
			expect(video.headers.get('content-type')).toBe('video/mp4');
			expect(video.bytes.length).toBe(100_000);
			expect(Number(video.headers.get('content-length'))).toBe(100_000);
			expect(video.bytes.subarray(4, 8).toString()).toBe('ftyp');
			expect(video.bytes.subarray(36, 40).toString()).toBe('moov');
			expect(video.bytes.includes(Buffer.from('mdat'))).toBe(true);
		}
		expect(videos[0].bytes.equals(videos[1].bytes)).toBe(false);

		// A byte range, as a resumable download would ask.
		const part = await fetch(job.output.video_urls[0], { headers: { range: 'bytes=4-7' } });
		expect(part.status).toBe(206);
		expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('ftyp');

		// Extending, then too many extensions.
		const extend = await submit(sim, 'extend-video', { jobId: job.job_id, videoNo: 3 });
		expect(extend.json.task_type).toBe('extend_video');
		const upscale = await submit(sim, 'video-upscale', { jobId: job.job_id, videoNo: 0 });
		expect(upscale.json.task_type).toBe('video_upscale');
		expect((await submit(sim, 'extend-video', { jobId: image.json.job_id, videoNo: 0 })).status).toBe(400); // an image job
	});
});

describe('callbacks', () => {
	let receiver: http.Server;
	let hookUrl: string;
	const received: Array<{ headers: http.IncomingHttpHeaders; body: Json }> = [];
	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
				res.writeHead(200).end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=t1`;
	});
	afterAll(async () => await new Promise((resolve) => receiver.close(resolve)));
	beforeEach(() => (received.length = 0));

	async function waitFor(count: number) {
		for (let i = 0; i < 500 && received.length < count; i++) await sleep(5);
		await sim.whenCallbacksSettled();
	}

	test('a completed job POSTs {timestamp, data: Job} to the callback without anybody polling', async () => {
		const { json } = await submit(sim, 'diffusion', { text: 'a fox', callback: hookUrl });
		await waitFor(1);
		expect(received).toHaveLength(1);
		expect(received[0].headers['content-type']).toBe('application/json');
		expect(received[0].body).toEqual({ timestamp: expect.any(Number), data: expect.objectContaining({ job_id: json.job_id, status: 'completed' }) });
		expect(Math.abs(received[0].body.timestamp - Date.now())).toBeLessThan(5000);
		expect(received[0].body.data.output.image_urls).toHaveLength(4);
		expect(received[0].body.data.config.webhook_config).toEqual({ endpoint: hookUrl, secret: '' });
		expect(sim.callbacks).toEqual([expect.objectContaining({ url: hookUrl, jobId: json.job_id, kind: 'final', status: 200 })]);
		expect(sim.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
	});

	test('twice, progress, missing; a failed job calls back too; an unreachable URL does not crash', async () => {
		sim.inject({ callbacks: 'twice', progressCallbacks: true });
		await submit(sim, 'diffusion', { text: 'twice', callback: hookUrl });
		await waitFor(3);
		expect(received.map((r) => r.body.data.status)).toEqual(['processing', 'completed', 'completed']);

		received.length = 0;
		sim.inject({ callbacks: 'missing', progressCallbacks: false });
		const missing = await submit(sim, 'diffusion', { text: 'missing', callback: hookUrl });
		await pollUntilDone(sim, missing.json.job_id);
		await sleep(30);
		expect(received).toHaveLength(0);

		sim.inject({ callbacks: 'normal', failJobs: 1 });
		await submit(sim, 'diffusion', { text: 'fails', callback: hookUrl });
		await submit(sim, 'diffusion', { text: 'nowhere', callback: 'http://127.0.0.1:9/refused' });
		await waitFor(1);
		await sleep(150);
		await sim.whenCallbacksSettled();
		expect(received[0].body.data).toMatchObject({ status: 'failed', error: { code: 10001 } });
		expect(sim.callbacks.find((c) => c.url.includes(':9/'))).toMatchObject({ error: 'ECONNREFUSED' });
	});
});

describe('concurrency cap', () => {
	test('a submit over the cap is 429 with Retry-After (real seconds) and x-retry-after-ms; none is created', async () => {
		const capped = await startSimulator({ apiKeys: [KEY, OTHER_KEY], timeScale: SCALE, concurrencyLimit: 2, durations: { diffusion: { pending: 1, processing: 40 } } });
		try {
			expect((await submit(capped, 'diffusion', { text: 'one' })).status).toBe(200);
			expect((await submit(capped, 'diffusion', { text: 'two' })).status).toBe(200);
			const refused = await submit(capped, 'diffusion', { text: 'three' });
			expect(refused.status).toBe(429);
			expect(refused.json).toMatchObject({ code: 429, message: 'Too many requests: concurrency limit reached', detail: null });
			expect(Number(refused.headers.get('retry-after'))).toBe(1);
			const ms = Number(refused.headers.get('x-retry-after-ms'));
			expect(ms).toBeGreaterThan(300);
			expect(ms).toBeLessThanOrEqual(410);
			expect(capped.createdJobs()).toBe(2);
			expect((await submit(capped, 'diffusion', { text: 'other key' }, OTHER_KEY)).status).toBe(200); // per key
			await sleep(ms + 20);
			expect((await submit(capped, 'diffusion', { text: 'three again' })).status).toBe(200);
		} finally {
			await capped.close();
		}
	});
});

describe('faults', () => {
	test('failJobs: the next job fails with a reason and consumes nothing; the one after completes', async () => {
		sim.inject({ failJobs: 1 });
		const failing = await submit(sim, 'diffusion', { text: 'gore' });
		const fine = await submit(sim, 'diffusion', { text: 'flowers' });
		const failed = (await pollUntilDone(sim, failing.json.job_id)).job;
		expect(failed.status).toBe('failed');
		expect(failed.error.code).not.toBe(0);
		expect(failed.error.message).toMatch(/failed/);
		expect(failed.error.raw_message).toEqual(expect.any(String));
		expect(failed.meta.usage.consume).toBe(0);
		expect(failed.output).toEqual({ image_url: '', image_urls: null, seed: '' });
		expect((await pollUntilDone(sim, fine.json.job_id)).job.status).toBe('completed');

		sim.inject({ failJobsWhen: (body: any) => /banned/.test(body.text) });
		const when = await submit(sim, 'diffusion', { text: 'banned words' });
		expect((await pollUntilDone(sim, when.json.job_id)).job.status).toBe('failed');
	});

	test('http500 aimed at job reads, status codes, non-JSON pages', async () => {
		const { json } = await submit(sim, 'diffusion', { text: 'a' });
		sim.inject({ http500: 1, http500On: 'job' });
		expect((await submit(sim, 'diffusion', { text: 'b' })).status).toBe(200);
		const error = await getJob(sim, json.job_id);
		expect(error.status).toBe(500);
		expect(error.json).toMatchObject({ code: 500, message: 'Internal server error', detail: null });
		expect((await getJob(sim, json.job_id)).status).toBe(200);

		sim.inject({ status: { code: 402, count: 1, on: 'submit' } });
		const poor = await submit(sim, 'diffusion', { text: 'c' });
		expect(poor.status).toBe(402);
		expect(poor.json).toMatchObject({ code: 402, raw_message: expect.any(String), detail: null });

		sim.inject({ status: { code: 429, count: 1, retryAfter: 2 } });
		const busy = await submit(sim, 'diffusion', { text: 'd' });
		expect(busy.status).toBe(429);
		expect(busy.headers.get('retry-after')).toBe('2');

		sim.inject({ nonJson: 1 });
		const gateway = await getJob(sim, json.job_id);
		expect(gateway.status).toBe(502);
		expect(gateway.headers.get('content-type')).toMatch(/text\/html/);
		expect(gateway.text).toBe('<html>Bad Gateway</html>');
		expect(sim.createdJobs()).toBe(2);
	});

	test('dropConnection creates the job and loses the answer; dropBeforeCreate creates nothing', async () => {
		sim.inject({ dropConnection: 1 });
		await expect(submit(sim, 'diffusion', { text: 'lost answer' })).rejects.toThrow();
		expect(sim.createdJobs()).toBe(1);
		expect(sim.requests[0]).toMatchObject({ dropped: true, status: 0, body: { text: 'lost answer' } });

		sim.inject({ dropBeforeCreate: 1 });
		await expect(submit(sim, 'diffusion', { text: 'never arrived' })).rejects.toThrow();
		expect(sim.createdJobs()).toBe(1);
	});

	test('unknownStatus: the first polls see "retry", then the job goes on', async () => {
		sim.inject({ unknownStatus: 'retry' });
		const { json } = await submit(sim, 'diffusion', { text: 'a' });
		const { seen } = await pollUntilDone(sim, json.job_id);
		expect(seen[0]).toBe('retry');
		expect(seen[seen.length - 1]).toBe('completed');
	});

	test('slowResponses delays answers; an unknown fault name is refused', async () => {
		sim.inject({ slowResponses: 80 });
		const started = Date.now();
		await call(sim, '/api/account/balance');
		expect(Date.now() - started).toBeGreaterThanOrEqual(75);
		expect(() => sim.inject({ http501: 1 } as any)).toThrow(/Unknown simulator fault/);
	});
});

describe('balance', () => {
	test('the documented shape; points are frozen by a submit and given back when a job fails', async () => {
		const before = await call(sim, '/api/account/balance');
		expect(before.status).toBe(200);
		expect(before.json).toEqual({
			code: 200,
			message: 'success',
			data: {
				account_id: expect.any(Number),
				balance_usd: expect.any(Number),
				available_credits: expect.any(Number),
				available_points: expect.any(Number),
				alert_threshold: expect.any(Number),
				low_balance_alert: false,
				updated_at: expect.any(String),
			},
		});
		sim.inject({ failJobs: 1 });
		const failing = await submit(sim, 'diffusion', { text: 'a' });
		await submit(sim, 'diffusion', { text: 'b' });
		const during = (await call(sim, '/api/account/balance')).json.data;
		expect(during.available_points).toBe(before.json.data.available_points - 160);
		await pollUntilDone(sim, failing.json.job_id);
		const after = (await call(sim, '/api/account/balance')).json.data;
		expect(after.available_points).toBe(before.json.data.available_points - 80);
		expect((await call(sim, '/api/account/balance', { key: null })).status).toBe(401);
	});

	test('not enough points: 402', async () => {
		const poor = await startSimulator({ apiKeys: [KEY], balance: { points: 100, credits: 0 } });
		try {
			expect((await submit(poor, 'diffusion', { text: 'a' })).status).toBe(200);
			const refused = await submit(poor, 'diffusion', { text: 'b' });
			expect(refused.status).toBe(402);
			expect(refused.json.code).toBe(402);
		} finally {
			await poor.close();
		}
	});
});

describe('reset', () => {
	test('forgets requests, jobs, callbacks and faults', async () => {
		sim.inject({ http500: 5 });
		await submit(sim, 'diffusion', { text: 'a' });
		sim.reset();
		expect(sim.requests).toHaveLength(0);
		expect(sim.jobs.size).toBe(0);
		expect(sim.createdJobs()).toBe(0);
		expect((await submit(sim, 'diffusion', { text: 'a' })).status).toBe(200);
	});
});
