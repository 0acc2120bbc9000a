/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test of the simulator, not node code */
// The simulator plays Legnext as Legnext publishes itself (test/harness/simulator/README.md, "Rules and their
// sources"): balance = credits + bonus points, prices per request shape from the pricing page, three
// error shapes, `canceled` / `generating`, hyphenated task types, job IDs that are not UUIDs, signed
// callbacks. Each test names the source it follows.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as http from 'http';
import { AddressInfo } from 'net';
import { startSimulator } from './simulator/server';
import { PRICE_ROWS } from './simulator/prices';
import { Sim, Json, KEY, SCALE, sleep, call, submit, getJob, pollUntilDone } from './simulator-client';

const fast = { default: { pending: 1, processing: 4 } };
let sim: Sim;
beforeAll(async () => {
	sim = await startSimulator({ apiKeys: [KEY], timeScale: SCALE, durations: fast, concurrencyLimit: 0, whitelistedKeys: [KEY] });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const frozen = async (path: string, body: Json) => {
	const answer = await submit(sim, path, body);
	if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text}`);
	return answer.json.meta.usage.frozen as number;
};
const done = async (path: string, body: Json) => {
	const answer = await submit(sim, path, body);
	return (await pollUntilDone(sim, answer.json.job_id)).job;
};

describe('balance: credits plus bonus points (SDK repository\'s recorded answer, OpenAPI example)', () => {
	test('an account of 100,000 credits and 0 points pays a batch of 24 diffusions; balance_usd counts both', async () => {
		const paying = await startSimulator({ apiKeys: [KEY], balance: { credits: 100_000, points: 0 }, concurrencyLimit: 0 });
		try {
			const before = (await call(paying, '/api/account/balance')).json.data;
			expect(before).toMatchObject({ available_credits: 100_000, available_points: 0, balance_usd: 100 });
			for (let n = 0; n < 24; n++) expect((await submit(paying, 'diffusion', { text: `fox ${n}` })).status).toBe(200);
			const after = (await call(paying, '/api/account/balance')).json.data;
			expect(after).toMatchObject({ available_credits: 100_000 - 24 * 80, available_points: 0, balance_usd: (100_000 - 24 * 80) / 1000 });
		} finally {
			await paying.close();
		}
	});

	test('the recorded answer\'s figures: 71,000 credits + 1,048 points = 72.048 USD; bonus points are spent first (assumption)', async () => {
		const recorded = await startSimulator({ apiKeys: [KEY], balance: { credits: 71_000, points: 1_048 }, concurrencyLimit: 0 });
		try {
			expect((await call(recorded, '/api/account/balance')).json.data).toMatchObject({ balance_usd: 72.048, available_credits: 71_000, available_points: 1_048 });
			await submit(recorded, 'video-diffusion', { prompt: 'https://example.com/a.png waves', videoType: 1 }); // 1536
			expect((await call(recorded, '/api/account/balance')).json.data).toMatchObject({ available_points: 0, available_credits: 71_000 - (1536 - 1048) });
		} finally {
			await recorded.close();
		}
	});

	test('402 only when credits and points together cannot pay', async () => {
		const poor = await startSimulator({ apiKeys: [KEY], balance: { credits: 50, points: 40 } });
		try {
			expect((await submit(poor, 'diffusion', { text: 'a' })).status).toBe(200); // 80 of 90
			const refused = await submit(poor, 'diffusion', { text: 'b' });
			expect(refused.status).toBe(402);
		} finally {
			await poor.close();
		}
	});
});

describe('prices per request shape (Legnext\'s pricing page; Topaz docs)', () => {
	test('diffusion: fast 80, turbo 160, draft 40, draft turbo 80; --relax (not available) as fast', async () => {
		expect(await frozen('diffusion', { text: 'a fox' })).toBe(80);
		expect(await frozen('diffusion', { text: 'a fox --turbo' })).toBe(160);
		expect(await frozen('diffusion', { text: 'a fox --v 7 --draft' })).toBe(40);
		expect(await frozen('diffusion', { text: 'a fox --v 7 --draft --turbo' })).toBe(80);
		expect(await frozen('diffusion', { text: 'a fox --relax' })).toBe(80);
		expect(await frozen('diffusion', { text: 'a fox --turbo --fast' })).toBe(80);
	});

	test('videos: 480p 480, 720p 1536 (turbo doubles); an extension keeps its video\'s resolution; video upscale 480', async () => {
		expect(await frozen('video-diffusion', { prompt: 'https://example.com/a.png waves' })).toBe(480);
		expect(await frozen('video-diffusion', { prompt: 'https://example.com/a.png waves', videoType: 0 })).toBe(480);
		expect(await frozen('video-diffusion', { prompt: 'https://example.com/a.png waves', videoType: 1 })).toBe(1536);
		expect(await frozen('video-diffusion', { prompt: 'https://example.com/a.png waves --turbo', videoType: 1 })).toBe(3072);
		expect(await frozen('video-diffusion', { prompt: 'https://example.com/a.png waves --bs 1' })).toBe(480);
		const hd = await done('video-diffusion', { prompt: 'https://example.com/a.png waves', videoType: 1 });
		expect(await frozen('extend-video', { jobId: hd.job_id, videoNo: 0 })).toBe(1536);
		expect(await frozen('video-upscale', { jobId: hd.job_id, videoNo: 0 })).toBe(480);
	});

	test('image follow-ups and tools', async () => {
		const image = await done('diffusion', { text: 'a fox --v 7 --draft' });
		const on = { jobId: image.job_id, imageNo: 0 };
		expect(await frozen('upscale', { ...on, type: 0 })).toBe(120);
		expect(await frozen('upscale', { ...on, type: 1 })).toBe(160);
		expect(await frozen('variation', { ...on, type: 0 })).toBe(120);
		expect(await frozen('variation', { ...on, type: 1 })).toBe(120);
		expect(await frozen('remix', { ...on, remixPrompt: 'an owl' })).toBe(120);
		expect(await frozen('remix', { ...on, remixPrompt: 'an owl --turbo' })).toBe(240);
		expect(await frozen('inpaint', { ...on, mask: { url: 'https://example.com/m.png' } })).toBe(120);
		expect(await frozen('outpaint', { ...on, scale: 1.5 })).toBe(80);
		expect(await frozen('pan', { ...on, direction: 1, scale: 1.5 })).toBe(80);
		expect(await frozen('enhance', on)).toBe(80);
		expect(await frozen('reroll', { jobId: image.job_id })).toBe(40); // assumption: a new generation of the same (draft) prompt
		expect(await frozen('edit', { ...on, canvas: { width: 2, height: 2 }, imgPos: { width: 1, height: 1, x: 0, y: 0 }, remixPrompt: 'x' })).toBe(120);
		expect(await frozen('blend', { imgUrls: ['https://example.com/a.png', 'https://example.com/b.png'], aspect_ratio: '1:1' })).toBe(80);
		expect(await frozen('describe', { imgUrl: 'https://example.com/a.png' })).toBe(20);
		expect(await frozen('shorten', { prompt: 'a very long prompt --turbo' })).toBe(20);
		expect(await frozen('remove-background', { imgUrl: 'https://example.com/a.png' })).toBe(80);
		expect(await frozen('retexture', { imgUrl: 'https://example.com/a.png', remixPrompt: 'marble' })).toBe(120);
		expect(await frozen('enhance-upscale', { image_url: 'https://example.com/a.png' })).toBe(120);
		expect(await frozen('enhance-upscale', { image_url: 'https://example.com/a.png', target_resolution: '2K' })).toBe(120);
		expect(await frozen('enhance-upscale', { image_url: 'https://example.com/a.png', target_resolution: '4K' })).toBe(160);
	});

	test('the `prices` option plays an account charged otherwise (the seed\'s --draft job froze 80)', async () => {
		const seedLike = await startSimulator({ apiKeys: [KEY], prices: (shape) => (shape.taskType === 'diffusion' && shape.draft ? 80 : undefined) });
		try {
			expect((await submit(seedLike, 'diffusion', { text: 'A beautiful sunset over the snow mountains --v 7 --draft' })).json.meta.usage.frozen).toBe(80);
			expect((await submit(seedLike, 'diffusion', { text: 'a fox' })).json.meta.usage.frozen).toBe(80);
			expect((await submit(seedLike, 'diffusion', { text: 'a fox --turbo' })).json.meta.usage.frozen).toBe(160);
		} finally {
			await seedLike.close();
		}
	});
});

describe('error bodies in three shapes (docs; SDKs\' ErrorResponse; a recorded 403 of /edit)', () => {
	test('flat by default, as the docs show it', async () => {
		const answer = await submit(sim, 'diffusion', {});
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ code: 400, message: 'Invalid request parameters', raw_message: 'text is required', detail: null });
	});

	test('edit for an account off the whitelist: the recorded job-shaped 403', async () => {
		const other = await startSimulator({ apiKeys: [KEY] });
		try {
			const answer = await submit(other, 'edit', { remixPrompt: 'x' });
			expect(answer.status).toBe(403);
			expect(answer.json).toEqual({
				job_id: '',
				model: '',
				task_type: '',
				status: 'failed',
				config: { service_mode: '', webhook_config: { endpoint: '', secret: '' } },
				input: null,
				output: null,
				meta: null,
				detail: null,
				logs: null,
				error: {
					code: 403,
					raw_message: '',
					message: 'This feature is only available for whitelisted accounts. Please upgrade your plan or contact customer support to access this feature.',
					detail: null,
				},
			});
		} finally {
			await other.close();
		}
	});

	test('the fault errorShape turns every error into the nested or the job shape', async () => {
		sim.inject({ errorShape: 'nested' });
		expect((await submit(sim, 'diffusion', {})).json).toEqual({ error: { code: 400, message: 'Invalid request parameters', raw_message: 'text is required', detail: null } });
		expect((await call(sim, '/api/account/balance', { key: 'wrong' })).json).toEqual({ error: { code: 401, message: 'Failed to verify api key', raw_message: '', detail: null } });
		sim.inject({ errorShape: 'job', status: { code: 402, on: 'submit', message: 'Insufficient credits', rawMessage: 'balance too low' } });
		const job = await submit(sim, 'diffusion', { text: 'a' });
		expect(job.status).toBe(402);
		expect(job.json).toMatchObject({ job_id: '', status: 'failed', error: { code: 402, message: 'Insufficient credits', raw_message: 'balance too low' } });
	});
});

describe('statuses beyond the docs (Legnext\'s web app: generating, canceled)', () => {
	test('a canceled job ends `canceled` with its reason, gives its points back, and calls back', async () => {
		const points = async () => (await call(sim, '/api/account/balance')).json.data.available_points;
		const start = await points();
		sim.inject({ cancelJobs: 1, cancelWith: { message: 'Job canceled by moderation' } });
		const answer = await submit(sim, 'diffusion', { text: 'a fox' });
		expect(answer.json.status).toBe('pending');
		const { job, seen } = await pollUntilDone(sim, answer.json.job_id);
		expect(seen[seen.length - 1]).toBe('canceled');
		expect(job.error).toMatchObject({ message: 'Job canceled by moderation' });
		expect(job.meta.usage.consume).toBe(0);
		expect(await points()).toBe(start);
	});

	test('`cancelled` spelling, and `generating` instead of `processing`', async () => {
		// Real time stands still (time scale 1): job time moves only by advance(), so every status is seen.
		const still = await startSimulator({ apiKeys: [KEY], timeScale: 1, durations: fast, concurrencyLimit: 0 });
		try {
			still.inject({ cancelJobs: 1, cancelStatus: 'cancelled', runningStatus: 'generating' });
			const canceled = (await submit(still, 'diffusion', { text: 'one' })).json.job_id;
			const running = (await submit(still, 'diffusion', { text: 'two' })).json.job_id;
			still.advance(2); // 1 s pending, then running; the canceled one ends 40 % into its 4 s
			expect((await getJob(still, canceled)).json.status).toBe('generating');
			expect((await getJob(still, running)).json.status).toBe('generating');
			still.advance(1);
			expect((await getJob(still, canceled)).json).toMatchObject({ status: 'cancelled', error: { message: 'Job canceled' } });
			expect((await getJob(still, running)).json.status).toBe('generating');
			still.advance(3);
			expect((await getJob(still, running)).json.status).toBe('completed');
		} finally {
			await still.close();
		}
	});
});

describe('task types and job IDs (SDKs\' TaskType enum; the Topaz docs\' example ID)', () => {
	test('task_type with hyphens, as the SDKs spell it', async () => {
		sim.inject({ taskTypeSpelling: 'hyphen' });
		const video = await submit(sim, 'video-diffusion', { prompt: 'https://example.com/a.png waves' });
		expect(video.json.task_type).toBe('video-diffusion');
		expect((await submit(sim, 'remove-background', { imgUrl: 'https://example.com/a.png' })).json.task_type).toBe('remove-background');
		expect((await submit(sim, 'diffusion', { text: 'a' })).json.task_type).toBe('diffusion');
	});

	test('numeric job IDs; an unknown ID of any format is a 404, not a 400', async () => {
		const numeric = await startSimulator({ apiKeys: [KEY], timeScale: SCALE, durations: fast, jobIdFormat: 'numeric' });
		try {
			const answer = await submit(numeric, 'diffusion', { text: 'a' });
			expect(answer.json.job_id).toMatch(/^\d{17,20}$/);
			const { job } = await pollUntilDone(numeric, answer.json.job_id);
			expect(job.status).toBe('completed');
			expect((await fetch(job.output.image_url)).status).toBe(200);
			expect((await submit(numeric, 'upscale', { jobId: answer.json.job_id, imageNo: 0, type: 0 })).status).toBe(200);
			expect((await submit(numeric, 'upscale', { jobId: '1868588555208310784', imageNo: 0, type: 0 })).status).toBe(404);
			expect((await getJob(numeric, '1868588555208310784')).status).toBe(404);
		} finally {
			await numeric.close();
		}
	});
});

describe('signed callbacks (Legnext\'s Python SDK: X-Legnext-Signature, X-Legnext-Timestamp)', () => {
	const SECRET = 'whsec-test';
	let receiver: http.Server;
	let hookUrl: string;
	const received: Array<{ headers: http.IncomingHttpHeaders; raw: string }> = [];
	let signed: Sim;
	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString() });
				res.writeHead(200).end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
		signed = await startSimulator({ apiKeys: [KEY], timeScale: SCALE, durations: fast, webhookSecret: SECRET });
	});
	afterAll(async () => {
		await signed.close();
		await new Promise((resolve) => receiver.close(resolve));
	});
	beforeEach(() => {
		received.length = 0;
		signed.reset();
	});

	async function oneCallback() {
		await submit(signed, 'diffusion', { text: 'a fox', callback: hookUrl });
		for (let i = 0; i < 500 && received.length < 1; i++) await sleep(5);
		await signed.whenCallbacksSettled();
		expect(received).toHaveLength(1);
		return received[0];
	}
	const hmac = (text: string) => crypto.createHmac('sha256', SECRET).update(text).digest('hex');

	test('hex HMAC-SHA256 of "<timestamp>." + raw body, the timestamp in unix seconds', async () => {
		const { headers, raw } = await oneCallback();
		const timestamp = String(headers['x-legnext-timestamp']);
		expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
		expect(headers['x-legnext-signature']).toBe(hmac(`${timestamp}.${raw}`));
		expect(JSON.parse(raw)).toMatchObject({ timestamp: expect.any(Number), data: { status: 'completed' } });
	});

	test('faults: a wrong, stale, missing or body-only signature; a bare job; another content type', async () => {
		signed.inject({ callbackSignature: 'wrong' });
		let got = await oneCallback();
		expect(got.headers['x-legnext-signature']).not.toBe(hmac(`${got.headers['x-legnext-timestamp']}.${got.raw}`));
		received.length = 0;
		signed.inject({ callbackSignature: 'stale', staleBy: 900 });
		got = await oneCallback();
		expect(Date.now() / 1000 - Number(got.headers['x-legnext-timestamp'])).toBeGreaterThan(890);
		expect(got.headers['x-legnext-signature']).toBe(hmac(`${got.headers['x-legnext-timestamp']}.${got.raw}`));
		received.length = 0;
		signed.inject({ callbackSignature: 'missing' });
		got = await oneCallback();
		expect(got.headers['x-legnext-signature']).toBeUndefined();
		received.length = 0;
		signed.inject({ callbackSignature: 'bodyOnly', callbackShape: 'bare', callbackContentType: 'text/plain' });
		got = await oneCallback();
		expect(got.headers['x-legnext-timestamp']).toBeUndefined();
		expect(got.headers['x-legnext-signature']).toBe(hmac(got.raw));
		expect(got.headers['content-type']).toBe('text/plain');
		expect(JSON.parse(got.raw)).toMatchObject({ job_id: expect.any(String), status: 'completed' });
	});

	test('no secret: callbacks are unsigned, as the docs and the web app have them', async () => {
		const unsigned = await startSimulator({ apiKeys: [KEY], timeScale: SCALE, durations: fast });
		try {
			await submit(unsigned, 'diffusion', { text: 'a fox', callback: hookUrl });
			for (let i = 0; i < 500 && received.length < 1; i++) await sleep(5);
			await unsigned.whenCallbacksSettled();
			expect(received[0].headers['x-legnext-signature']).toBeUndefined();
			expect(JSON.parse(received[0].raw).data.config.webhook_config.secret).toBe('');
		} finally {
			await unsigned.close();
		}
	});
});

describe('the README\'s table of rules and their sources', () => {
	const readme = fs.readFileSync(path.join(__dirname, 'simulator', 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Rules and their sources'));
	const rows = section
		.split('\n')
		.filter((line) => line.startsWith('| ') && !line.startsWith('| rule |'))
		.map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));

	test('every rule names a source, or says it is an assumption', () => {
		expect(rows.length).toBeGreaterThan(30);
		for (const [rule, source] of rows) {
			expect({ rule, source: source.length > 0 }).toEqual({ rule, source: true });
			expect(source).toMatch(/docs|spec|SDK|web app|api\.md|assumption|none/);
		}
	});

	test('every price the simulator charges is in the table', () => {
		const pricesRow = rows.find(([rule]) => rule.startsWith('Prices'))?.[0] ?? '';
		const topazRow = rows.find(([rule]) => rule.startsWith('Topaz'))?.[0] ?? '';
		for (const [name, row] of Object.entries(PRICE_ROWS) as Array<[string, { fast: number; turbo?: number }]>) {
			const text = name.startsWith('topaz') ? topazRow : pricesRow;
			expect({ name, fast: text.includes(String(row.fast)) }).toEqual({ name, fast: true });
			if (row.turbo) expect({ name, turbo: text.includes(String(row.turbo)) }).toEqual({ name, turbo: true });
		}
	});
});
