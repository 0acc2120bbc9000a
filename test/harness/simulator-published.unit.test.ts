// The simulator after the second read of Legnext's material (issue 30; README "Rules and their sources"):
// where Legnext's sources disagree, each is a switch, and each is tested here with the source it follows.
import { startSimulator } from './simulator/server';
import { Sim, KEY, SCALE, call, submit, getJob, pollUntilDone, download } from './simulator-client';

const fast = { default: { pending: 1, processing: 4 } };
let sim: Sim;
beforeAll(async () => {
	sim = await startSimulator({ apiKeys: [KEY], timeScale: SCALE, durations: fast, concurrencyLimit: 0 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

describe('running states in both spellings (docs and OpenAPI: pending/staged/processing; web app: queued/running)', () => {
	test.each([
		['docs', ['pending', 'staged', 'processing']],
		['webapp', ['queued', 'queued', 'running']],
	])('`statusSpelling: %s`', async (statusSpelling, [pending, staged, processing]) => {
		const still = await startSimulator({ apiKeys: [KEY], timeScale: 1, durations: { diffusion: { pending: 4, processing: 4 } }, concurrencyLimit: 0 });
		try {
			still.inject({ statusSpelling });
			const answer = await submit(still, 'diffusion', { text: 'one' });
			expect(answer.json.status).toBe(pending);
			const id = answer.json.job_id;
			still.advance(3.5); // the last quarter of pending is `staged`
			expect((await getJob(still, id)).json.status).toBe(staged);
			still.advance(1);
			const running = (await getJob(still, id)).json;
			expect(running.status).toBe(processing);
			expect(running.meta.started_at).not.toMatch(/^0001/);
			still.advance(4);
			expect((await getJob(still, id)).json.status).toBe('completed');
		} finally {
			await still.close();
		}
	});
});

describe('result links (docs\' output-storage page: 30 days; SDK test results: unsigned CDN links)', () => {
	test('signed links (September 2025 examples) carry an Expires 30 days ahead', async () => {
		const { job } = await pollUntilDone(sim, (await submit(sim, 'diffusion', { text: 'a fox' })).json.job_id);
		const expires = Number(new URL(job.output.image_urls[0]).searchParams.get('Expires'));
		const days = (expires * 1000 - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(29.9);
		expect(days).toBeLessThanOrEqual(30);
		expect((await download(job.output.image_urls[0])).status).toBe(200);
	});

	test('unsigned CDN links (October 2025 on): …/mj/<job>_<n>.png, the grid …/mj/<job>_grid.png, served without a signature', async () => {
		sim.inject({ fileLinks: 'cdn' });
		const { job } = await pollUntilDone(sim, (await submit(sim, 'diffusion', { text: 'a fox' })).json.job_id);
		expect(job.output.image_urls).toEqual([0, 1, 2, 3].map((n) => `${sim.url}/mj/${job.job_id}_${n}.png`));
		expect(job.output.image_url).toBe(`${sim.url}/mj/${job.job_id}_grid.png`);
		const file = await download(job.output.image_urls[2]);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/png');
		expect((await download(`${sim.url}/mj/${job.job_id}_7.png`)).status).toBe(404);
	});

	test('past the files\' life a signed link answers 403 "Request has expired", an unsigned one 404 NoSuchKey', async () => {
		const short = await startSimulator({ apiKeys: [KEY], timeScale: SCALE, durations: fast, concurrencyLimit: 0, fileTtl: -5 });
		try {
			const signed = (await pollUntilDone(short, (await submit(short, 'diffusion', { text: 'a' })).json.job_id)).job;
			const answer = await download(signed.output.image_urls[0]);
			expect(answer.status).toBe(403);
			expect(answer.bytes.toString()).toMatch(/Request has expired/);
			short.inject({ fileLinks: 'cdn' });
			const unsigned = (await pollUntilDone(short, (await submit(short, 'diffusion', { text: 'b' })).json.job_id)).job;
			const gone = await download(unsigned.output.image_urls[0]);
			expect(gone.status).toBe(404);
			expect(gone.bytes.toString()).toMatch(/NoSuchKey/);
		} finally {
			await short.close();
		}
	});
});

describe('past the account\'s limit (docs: 429; skills reference: "auto-queued… no action needed"; web app: `queued`)', () => {
	test('refused with 429 by default; with `overLimit: queue` accepted, `queued` until a slot frees, then run in order', async () => {
		const still = await startSimulator({ apiKeys: [KEY], timeScale: 1, durations: { diffusion: { pending: 1, processing: 9 } }, concurrencyLimit: 2 });
		try {
			const ids = [];
			for (const text of ['a', 'b']) ids.push((await submit(still, 'diffusion', { text })).json.job_id);
			expect((await submit(still, 'diffusion', { text: 'c' })).status).toBe(429);
			still.inject({ overLimit: 'queue' });
			const third = await submit(still, 'diffusion', { text: 'c' });
			const fourth = await submit(still, 'diffusion', { text: 'd' });
			expect([third.status, third.json.status, fourth.json.status]).toEqual([200, 'queued', 'queued']);
			expect(third.json.meta.usage.frozen).toBe(80); // accepted: paid like any job
			still.advance(9);
			expect((await getJob(still, third.json.job_id)).json.status).toBe('queued');
			still.advance(2.5); // a and b end at 10 s: c and d get their slots, pend 1 s, then run
			expect((await getJob(still, ids[0])).json.status).toBe('completed');
			expect((await getJob(still, third.json.job_id)).json.status).toBe('processing');
			expect((await getJob(still, fourth.json.job_id)).json.status).toBe('processing');
			const fifth = await submit(still, 'diffusion', { text: 'e' });
			expect(fifth.json.status).toBe('queued');
			still.advance(10);
			expect((await getJob(still, third.json.job_id)).json.status).toBe('completed');
			expect((await getJob(still, fifth.json.job_id)).json.status).not.toBe('queued');
		} finally {
			await still.close();
		}
	});
});

describe('Blend\'s two bodies (OpenAPI files: imgUrls + aspect_ratio; docs\' API reference: base64Array + dimension)', () => {
	const png = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n-a-picture').toString('base64')}`;
	test('`blendShape: imgUrls` (default) names imgUrls when it is missing; `base64Array` names base64Array', async () => {
		const missing = await submit(sim, 'blend', { base64Array: [png, png], dimension: 'SQUARE' });
		expect([missing.status, missing.json.raw_message]).toEqual([400, 'imgUrls is required']);
		sim.inject({ blendShape: 'base64Array' });
		const other = await submit(sim, 'blend', { imgUrls: ['https://example.com/1.png', 'https://example.com/2.png'], aspect_ratio: '1:1' });
		expect([other.status, other.json.raw_message]).toEqual([400, 'base64Array is required']);
		expect((await submit(sim, 'blend', { base64Array: [png], dimension: 'SQUARE' })).json.raw_message).toMatch(/2 to 5 images/);
		expect((await submit(sim, 'blend', { base64Array: [png, png], dimension: '1:1' })).json.raw_message).toMatch(/PORTRAIT/);
		const done = await submit(sim, 'blend', { base64Array: [png, png, png], dimension: 'LANDSCAPE' });
		expect(done.status).toBe(200);
		expect((await pollUntilDone(sim, done.json.job_id)).job.output.image_urls).toHaveLength(4);
	});
});

describe('Upload Paint as multipart/form-data (its docs page; openapi-complete.yaml)', () => {
	test('the parts are read as the fields, objects as JSON parts; a malformed body is a 400', async () => {
		const whitelisted = await startSimulator({ apiKeys: [KEY], whitelistedKeys: [KEY], timeScale: SCALE, durations: fast, concurrencyLimit: 0 });
		try {
			const boundary = 'xyz123';
			const part = (name: string, value: string, json = false) =>
				`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n${json ? 'Content-Type: application/json\r\n' : ''}\r\n${value}\r\n`;
			const body =
				part('imgUrl', 'https://example.com/room.png') +
				part('canvas', JSON.stringify({ width: 1024, height: 1024 }), true) +
				part('imgPos', JSON.stringify({ width: 512, height: 512, x: 256, y: 256 }), true) +
				part('remixPrompt', 'a reading corner') +
				part('mask', JSON.stringify({ areas: [{ width: 1024, height: 1024, points: [0, 0, 0, 512, 512, 512, 512, 0] }] }), true) +
				`--${boundary}--\r\n`;
			const send = (raw: string) =>
				fetch(`${whitelisted.url}/api/v1/upload-paint`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: raw });
			const answer = await send(body);
			expect(answer.status).toBe(200);
			expect((await answer.json()).task_type).toBe('upload_paint');
			expect(whitelisted.requests[0].body).toMatchObject({ imgUrl: 'https://example.com/room.png', canvas: { width: 1024, height: 1024 }, remixPrompt: 'a reading corner' });
			expect((await send('not multipart at all')).status).toBe(400);
		} finally {
			await whitelisted.close();
		}
	});
});
describe('per-version rules and input limits (docs: notice, upscale, Describe, Retexture, Topaz, Inpaint pages)', () => {
	test('a prompt with --repeat, --personalize, a permutation, --stealth/--public, or --draft before V7 is a 400 naming it', async () => {
		for (const [text, words] of [
			['a fox --repeat 2', /--repeat/],
			['a fox --p', /--p\b/],
			['a {red, blue} fox', /permutation/],
			['a fox --public', /--public/],
			['a fox --v 6 --draft', /V7 and later/],
		] as const) {
			const answer = await submit(sim, 'diffusion', { text });
			expect(answer.status).toBe(400);
			expect(answer.json.raw_message).toMatch(words);
		}
		expect((await submit(sim, 'diffusion', { text: 'a fox --v 7 --draft' })).status).toBe(200);
	});

	test('upscale types 2/3 on v5 and niji 5 only, types 0/1 not on them', async () => {
		const parent = async (text: string) => (await pollUntilDone(sim, (await submit(sim, 'diffusion', { text })).json.job_id)).job.job_id;
		const v5 = await parent('a fox --v 5.2');
		const niji5 = await parent('a fox --niji 5');
		const v7 = await parent('a fox --v 7');
		const plain = await parent('a fox');
		const upscale = async (jobId: string, type: number) => (await submit(sim, 'upscale', { jobId, imageNo: 0, type })).status;
		expect([await upscale(v5, 2), await upscale(niji5, 3), await upscale(v7, 0), await upscale(plain, 1)]).toEqual([200, 200, 200, 200]);
		expect([await upscale(v5, 0), await upscale(niji5, 1), await upscale(v7, 2), await upscale(plain, 3)]).toEqual([400, 400, 400, 400]);
	});

	test('Describe takes imageBase64 or a link, not both; Retexture imgUrl ≤ 1,024 characters; Topaz JPEG/PNG/TIFF; masks 500–4,096 px', async () => {
		const both = await submit(sim, 'describe', { imageBase64: 'aGVsbG8=', imageLink: 'https://example.com/a.png' });
		expect([both.status, both.json.raw_message]).toEqual([400, 'imageBase64 and imageLink cannot both be set']);
		const long = await submit(sim, 'retexture', { imgUrl: `https://example.com/${'a'.repeat(1020)}.png`, remixPrompt: 'gold' });
		expect(long.status).toBe(400);
		expect((await submit(sim, 'enhance-upscale', { image_url: 'https://example.com/a.webp' })).json.raw_message).toMatch(/JPEG, PNG or TIFF/);
		expect((await submit(sim, 'enhance-upscale', { image_url: 'https://example.com/a.tiff' })).status).toBe(200);
		const parent = (await pollUntilDone(sim, (await submit(sim, 'diffusion', { text: 'a room' })).json.job_id)).job.job_id;
		const inpaint = async (width: number) =>
			(await submit(sim, 'inpaint', { jobId: parent, imageNo: 0, mask: { areas: [{ width, height: 1024, points: [0, 0, 0, 100, 100, 100] }] } })).status;
		expect([await inpaint(499), await inpaint(500), await inpaint(4096), await inpaint(4097)]).toEqual([400, 200, 200, 400]);
	});
});
describe('GET /api/account/active_tasks (openapi-complete.yaml: ActiveTasksResponse; no recorded answer)', () => {
	test('the account\'s jobs that have not ended, its limit, each task\'s progress; wrapped with `activeTasksShape`; 404 when `missing`', async () => {
		const still = await startSimulator({ apiKeys: [KEY, 'other'], timeScale: 1, durations: { diffusion: { pending: 2, processing: 10 } }, concurrencyLimit: 4 });
		try {
			const ids = [];
			for (const text of ['a', 'b', 'c']) ids.push((await submit(still, 'diffusion', { text })).json.job_id);
			await submit(still, 'diffusion', { text: 'someone else' }, 'other');
			still.advance(7); // 5 s into a 10 s processing
			const answer = await call(still, '/api/account/active_tasks');
			expect(answer.status).toBe(200);
			expect(answer.json).toMatchObject({ total_active: 3, concurrent_limit: 4, account_id: expect.stringMatching(/^[0-9a-f-]{36}$/), updated_at: expect.any(String) });
			expect(answer.json.tasks.map((task: { job_id: string }) => task.job_id).sort()).toEqual([...ids].sort());
			expect(answer.json.tasks[0]).toMatchObject({ task_type: 'diffusion', status: 'processing', created_at: expect.stringMatching(/Z$/) });
			// Half-way (real time moves a little at time scale 1).
			expect(answer.json.tasks[0].progress).toBeGreaterThanOrEqual(50);
			expect(answer.json.tasks[0].progress).toBeLessThan(60);
			expect([4, 5]).toContain(answer.json.tasks[0].estimated_time);
			still.advance(6);
			expect((await call(still, '/api/account/active_tasks')).json).toMatchObject({ total_active: 0, tasks: [] });
			still.inject({ activeTasksShape: 'wrapped' });
			expect((await call(still, '/api/account/active_tasks')).json).toMatchObject({ code: 200, message: 'success', data: { total_active: 0, concurrent_limit: 4 } });
			still.inject({ activeTasks: 'missing' });
			const missing = await call(still, '/api/account/active_tasks');
			expect([missing.status, missing.text]).toEqual([404, '404 page not found']);
			expect((await call(still, '/api/account/balance', { key: 'wrong' })).status).toBe(401);
		} finally {
			await still.close();
		}
	});
});
