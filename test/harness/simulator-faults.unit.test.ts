/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- a test of the simulator, not node code */
// The Legnext simulator's callbacks, concurrency cap, injected faults and job timing (its API:
// test/harness/simulator.contract.test.ts). The node's tests rely on each fault doing what it says.
import * as http from 'http';
import { AddressInfo } from 'net';
import { startSimulator } from './simulator/server';
import { Sim, Json, KEY, OTHER_KEY, SCALE, sleep, call, submit, getJob, pollUntilDone, startTestSimulator } from './simulator-client';

let sim: Sim;
beforeAll(async () => {
	sim = await startTestSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

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

describe('a callback URL that answers 401', () => {
	test('the answer is recorded with its status and body, and the callback is not sent again', async () => {
		const refusing = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Authorization data is wrong!"}'));
		});
		await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
		const hook = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/webhook/legnext`;
		try {
			const { json } = await submit(sim, 'diffusion', { text: 'a fox', callback: hook });
			for (let i = 0; i < 500 && sim.callbacks.length === 0; i++) await sleep(5);
			await sim.whenCallbacksSettled();
			sim.advance(3600); // an hour of job time: no retry comes, however long one waits
			await sleep(50);
			await sim.whenCallbacksSettled();
			expect(sim.callbacks).toEqual([
				expect.objectContaining({ url: hook, jobId: json.job_id, kind: 'final', jobStatus: 'completed', status: 401, responseBody: '{"message":"Authorization data is wrong!"}' }),
			]);
			expect(sim.callbacks[0].error).toBeUndefined();
		} finally {
			await new Promise((resolve) => refusing.close(resolve));
		}
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


describe('outages', () => {
	// A simulator at real speed, so the outages' job-time windows move only with advance().
	let still: Sim;
	beforeAll(async () => {
		still = await startSimulator({ apiKeys: [KEY], timeScale: 1 });
	});
	afterAll(async () => await still.close());
	beforeEach(() => still.reset());
	const reads = () => still.requests.filter((r) => r.path.startsWith('/api/v1/job/'));

	test('unreachable on job reads for 120 s of job time: sockets destroyed, submits and balance go on, then reads answer', async () => {
		const { json } = await submit(still, 'diffusion', { text: 'a fox' });
		still.inject({ unreachable: { on: 'job', forSeconds: 120 } });
		await expect(getJob(still, json.job_id)).rejects.toThrow();
		expect((await submit(still, 'diffusion', { text: 'another fox' })).status).toBe(200);
		expect((await call(still, '/api/account/balance')).status).toBe(200);
		still.advance(119);
		await expect(getJob(still, json.job_id)).rejects.toThrow();
		still.advance(1);
		expect((await getJob(still, json.job_id)).status).toBe(200);
		expect(reads().map((r) => [r.status, r.dropped ?? false])).toEqual([
			[0, true],
			[0, true],
			[200, false],
		]);
		expect(still.createdJobs()).toBe(2);
	});

	test('unreachable for a count of requests; with both, whichever runs out first', async () => {
		const { json } = await submit(still, 'diffusion', { text: 'a fox' });
		still.inject({ unreachable: { on: 'job', count: 2 } });
		await expect(getJob(still, json.job_id)).rejects.toThrow();
		await expect(getJob(still, json.job_id)).rejects.toThrow();
		expect((await getJob(still, json.job_id)).status).toBe(200);

		still.inject({ unreachable: { on: 'job', count: 5, forSeconds: 10 } });
		await expect(getJob(still, json.job_id)).rejects.toThrow();
		still.advance(10);
		expect((await getJob(still, json.job_id)).status).toBe(200);
		expect(() => still.inject({ unreachable: { on: 'job' } })).toThrow(/forSeconds, count or both/);
	});

	test('unavailable: 503 with Legnext’s body and Retry-After for a while, then answers again', async () => {
		const { json } = await submit(still, 'diffusion', { text: 'a fox' });
		still.inject({ unavailable: { on: 'job', forSeconds: 60, retryAfter: 5 } });
		const down = await getJob(still, json.job_id);
		expect(down.status).toBe(503);
		expect(down.json).toEqual({ code: 503, message: 'Service unavailable', raw_message: expect.any(String), detail: null });
		expect(down.headers.get('retry-after')).toBe('5');
		expect((await submit(still, 'diffusion', { text: 'b' })).status).toBe(200);
		still.advance(60);
		expect((await getJob(still, json.job_id)).status).toBe(200);
	});
});

describe('refuseSubmit', () => {
	const balance = async () => (await call(sim, '/api/account/balance')).json.data.available_points;

	test('nth: the second submit of a batch is refused with the given error; the others create their jobs', async () => {
		const before = await balance();
		sim.inject({ refuseSubmit: { nth: 2, code: 403, message: 'Sensitive content detected', rawMessage: 'banned prompt detected' } });
		const answers = [];
		for (const text of ['one', 'two', 'three']) answers.push(await submit(sim, 'diffusion', { text }));
		expect(answers.map((a) => a.status)).toEqual([200, 403, 200]);
		expect(answers[1].json).toEqual({ code: 403, message: 'Sensitive content detected', raw_message: 'banned prompt detected', detail: null });
		expect(sim.createdJobs()).toBe(2);
		expect([...sim.jobs.values()].map((job) => (job.body as Json).text)).toEqual(['one', 'three']);
		expect(await balance()).toBe(before - 160); // the refused one froze nothing
	});

	test('when: every submit whose body matches is refused (default 403), with the path and task type to decide on', async () => {
		const seen: Array<[unknown, unknown]> = [];
		sim.inject({
			refuseSubmit: {
				when: (body: any, info: any) => {
					seen.push([body.text, info]);
					return /nsfw/.test(body.text);
				},
			},
		});
		const statuses = [];
		for (const text of ['a fox', 'nsfw one', 'a cat', 'nsfw two']) statuses.push((await submit(sim, 'diffusion', { text })).status);
		expect(statuses).toEqual([200, 403, 200, 403]);
		expect(seen[0]).toEqual(['a fox', { path: '/api/v1/diffusion', taskType: 'diffusion' }]);
		expect(sim.createdJobs()).toBe(2);
	});
});

describe('job durations', () => {
	const lengths = (s: Sim, id: string) => {
		const job = s.jobs.get(id)!;
		return { pending: (job.startedAt - job.createdAt) / 1000, processing: (job.endsAt - job.startedAt) / 1000 };
	};

	test('Midjourney speed flags: --draft and --turbo render faster, --relax (not available on Legnext) runs as fast; the last speed flag wins', async () => {
		const defaults = await startSimulator({ apiKeys: [KEY], concurrencyLimit: 0 });
		try {
			const of = async (text: string, path = 'diffusion', field = 'text') => lengths(defaults, (await submit(defaults, path, { [field]: text })).json.job_id);
			expect(await of('a fox')).toEqual({ pending: 3, processing: 57 });
			expect(await of('a fox --v 7 --draft')).toEqual({ pending: 3, processing: 5.7 });
			expect(await of('a fox --turbo')).toEqual({ pending: 3, processing: 14.25 });
			expect(await of('a fox --relax')).toEqual({ pending: 3, processing: 57 });
			expect(await of('a fox --turbo --relax')).toEqual({ pending: 3, processing: 57 });
			expect(await of('a fox --relax --turbo')).toEqual({ pending: 3, processing: 14.25 });
			expect(await of('a fox --turbo', 'shorten', 'prompt')).toEqual({ pending: 2, processing: 28 }); // text jobs render nothing
		} finally {
			await defaults.close();
		}
		// A `durations` table is fast mode too: the shared simulator's diffusion is 2 + 10 s.
		const { json } = await submit(sim, 'diffusion', { text: 'a quick sketch --v 7 --draft' });
		expect(lengths(sim, json.job_id)).toEqual({ pending: 2, processing: 1 });
		const { job } = await pollUntilDone(sim, json.job_id);
		expect(job.output.available_actions.enhance).toEqual([0, 1, 2, 3]); // a draft can be enhanced
	});

	test('a durations function gives each job its exact length (a number: the whole job), flags or not', async () => {
		const exact = await startSimulator({
			apiKeys: [KEY],
			timeScale: 1,
			concurrencyLimit: 0,
			durations: (_taskType: string, job: any) => {
				const seconds = /T=(\d+)/.exec(job.body.text)?.[1];
				return seconds === undefined ? { pending: 1, processing: 4 } : Number(seconds);
			},
		});
		try {
			const ids: Record<string, string> = {};
			for (const text of ['T=8 a fox', 'T=25 a fox --draft', 'T=600 a fox --relax', 'no mark --turbo']) {
				ids[text] = (await submit(exact, 'diffusion', { text })).json.job_id;
			}
			const total = (id: string) => Object.values(lengths(exact, id)).reduce((a, b) => a + b, 0);
			expect(total(ids['T=8 a fox'])).toBeCloseTo(8, 9);
			expect(total(ids['T=25 a fox --draft'])).toBeCloseTo(25, 9);
			expect(total(ids['T=600 a fox --relax'])).toBeCloseTo(600, 9);
			expect(lengths(exact, ids['no mark --turbo'])).toEqual({ pending: 1, processing: 4 });
			const status = async (text: string) => (await getJob(exact, ids[text])).json.status;
			exact.advance(7.9);
			expect(await status('T=8 a fox')).toBe('processing');
			exact.advance(0.2);
			expect(await status('T=8 a fox')).toBe('completed');
			exact.advance(591);
			expect(await status('T=600 a fox --relax')).toBe('processing');
			exact.advance(1);
			const done = (await getJob(exact, ids['T=600 a fox --relax'])).json;
			expect(done.status).toBe('completed');
			expect(Math.abs(Date.parse(done.meta.ended_at) - Date.parse(done.meta.created_at) - 600_000)).toBeLessThanOrEqual(1000); // whole seconds shown
		} finally {
			await exact.close();
		}
	});
});
