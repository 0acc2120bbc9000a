// The Legnext simulator's API: it must play Legnext faithfully, since every other test trusts it.
// Its faults, callbacks and timing: test/harness/simulator-faults.unit.test.ts.
import { startSimulator } from './simulator/server';
import { Sim, KEY, OTHER_KEY, sleep, call, submit, getJob, pollUntilDone, download, UUID, ZERO, SIGNED, startTestSimulator } from './simulator-client';

let sim: Sim;
beforeAll(async () => {
	sim = await startTestSimulator();
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
			expect(answer.json).toEqual({ code: 401, message: 'Failed to verify api key', raw_message: '', detail: null });
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
			// Legnext's recorded answer (SDK_EDIT_ENDPOINT_TEST_RESULTS.md): a job-shaped body, the reason in `error`.
			expect(answer.json).toMatchObject({
				job_id: '',
				status: 'failed',
				output: null,
				error: { code: 403, raw_message: '', message: expect.stringMatching(/^This feature is only available for whitelisted accounts\./) },
			});
		}
	});
});

describe('a diffusion job', () => {
	test('answers pending at once, shaped like the seed, then moves to processing and completed', async () => {
		// Its own simulator, whose diffusion job stays pending for 0.3 s (real): the read right after the
		// submit sees `pending` on a loaded machine too (the shared 2 s pending is 15 ms, which a read can miss).
		const patient = await startTestSimulator({ durations: { diffusion: { pending: 40, processing: 10 } } });
		try {
			const answer = await submit(patient, 'diffusion', { text: 'A beautiful sunset over the snow mountains --v 7', callback: 'http://127.0.0.1:9/hook' });
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
			expect(patient.jobs.get(id)).toMatchObject({ id, taskType: 'diffusion', body: { text: 'A beautiful sunset over the snow mountains --v 7' } });

			const { job, seen } = await pollUntilDone(patient, id);
			expect(seen[0]).toBe('pending');
			expect(seen).toContain('processing');
			expect(seen[seen.length - 1]).toBe('completed');
			expect(seen.filter((s) => !['pending', 'staged'].includes(s))).toEqual(['processing', 'completed']);
			expect(job.output.image_url).toMatch(SIGNED);
			expect(job.output.image_url).toMatch(/grid\.png/);
			expect(job.output.image_urls).toHaveLength(4);
			job.output.image_urls.forEach((url: string, n: number) => expect(url).toMatch(new RegExp(`/${n}\\.png\\?`)));
			expect(job.output.seed).toMatch(/^\d+$/);
			expect(job.output.available_actions).toMatchObject({ upscale: [0, 1, 2, 3], variation: [0, 1, 2, 3], reroll: true });
			expect(job.output.available_actions.enhance).toBeUndefined(); // only --draft jobs can be enhanced
			expect(job.meta.started_at).not.toBe(ZERO);
			expect(Date.parse(job.meta.ended_at) - Date.parse(job.meta.started_at)).toBe(10_000); // job seconds, not real ones
			expect(job.meta.usage).toEqual({ type: 'point', frozen: 80, consume: 80 });
			expect(job.error.code).toBe(0);
	
		} finally {
			await patient.close();
		}
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

	test('meta.usage: frozen at submit, consumed at completion; a failure is refunded by its end, polled or not', async () => {
		const points = async () => (await call(sim, '/api/account/balance')).json.data.available_points;
		const start = await points();
		const done = await submit(sim, 'diffusion', { text: 'done' });
		expect(done.json.meta.usage).toEqual({ type: 'point', frozen: 80, consume: 0 });
		const video = await submit(sim, 'video-diffusion', { prompt: 'https://example.com/a.png waves', videoType: 1 });
		expect(video.json.meta.usage).toEqual({ type: 'point', frozen: 1536, consume: 0 }); // the pricing page's 720p video
		expect(await points()).toBe(start - 80 - 1536);
		const { job } = await pollUntilDone(sim, done.json.job_id);
		expect(job.meta.usage).toEqual({ type: 'point', frozen: 80, consume: 80 });
		expect(await points()).toBe(start - 80 - 1536); // consuming takes nothing more

		sim.inject({ failJobs: 1 });
		const failing = await submit(sim, 'diffusion', { text: 'fails, never polled' });
		expect(await points()).toBe(start - 80 - 1536 - 80);
		await sleep(250); // 25 s of job time: it has ended (12 s at most) and nobody asked
		expect(await points()).toBe(start - 80 - 1536);
		expect(sim.view(failing.json.job_id)?.meta).toMatchObject({ usage: { type: 'point', frozen: 80, consume: 0 } });
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
