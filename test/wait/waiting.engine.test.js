// Waiting for jobs (poll, pause until callback), many items at once, and results as files, in n8n's engine.
const { startWorld, legnextWorkflow, apiRequests, submitRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld({ concurrencyLimit: 6 });
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

/** Text to Image with Don't Download unless a test asks for files (a new node downloads the four images). */
const textToImage = (extra = {}) => ({ resource: 'image', operation: 'textToImage', prompt: 'a lighthouse', download: 'none', ...extra });

async function served(url) {
	const response = await fetch(url);
	return Buffer.from(await response.arrayBuffer());
}

describe('Poll Until Done', () => {
	test('a failed job is an error with Legnext’s reason; with Continue On Fail an error item', async () => {
		world.simulator.inject({ failJobs: 1 });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Legnext could not finish job [0-9a-f-]{36}: .+/);

		world.simulator.inject({ failJobs: 1 });
		const kept = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ $json.p }}' }), { items: [{ p: 'a' }, { p: 'b' }], node: { onError: 'continueRegularOutput' } }),
		);
		const output = kept.output('Legnext');
		expect(output).toHaveLength(2);
		expect(output.filter((item) => item.json.error)).toHaveLength(1);
		expect(output.filter((item) => item.json.status === 'completed')).toHaveLength(1);
	});

	test('unknown statuses count as still running: "retry" (a third-party client), "generating" (Legnext\'s web app)', async () => {
		world.simulator.inject({ unknownStatus: 'retry' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json.status).toBe('completed');

		world.simulator.reset();
		world.simulator.inject({ runningStatus: 'generating' });
		const generating = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(generating.status).toBe('success');
		expect(generating.output('Legnext')[0].json.status).toBe('completed');
		const [job] = world.simulator.jobs.values();
		expect(job.runningStatus).toBe('generating');
	});

	test('the web app\'s running states (queued, running) are waited through like the docs\' ones, and named without a warning', async () => {
		world.simulator.inject({ statusSpelling: 'webapp' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage()));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json.status).toBe('completed');
		const [job] = world.simulator.jobs.values();
		expect(job.statusSpelling).toBe('webapp');

		world.simulator.reset();
		world.simulator.inject({ statusSpelling: 'webapp' });
		const video = { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', timeLimitMinutes: 1 };
		const limited = await world.engine.runWorkflow(legnextWorkflow(world, video));
		expect(limited.status).toBe('error');
		expect(limited.error.message).toMatch(/Job [0-9a-f-]{36} was still "(queued|running)" after 1 min, the time limit/);
	});

	test('a time limit names the job, its last status and how to pick it up; the job is not sent again', async () => {
		world.simulator.inject({});
		const video = { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', timeLimitMinutes: 1 };
		const run = await world.engine.runWorkflow(legnextWorkflow(world, video));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/Job [0-9a-f-]{36} was still "(pending|processing|staged)" after 1 min, the time limit/);
		expect(run.error.description).toMatch(/Job → Get/);
		expect(world.simulator.createdJobs()).toBe(1);

		// A status nobody documented keeps the wait going to the limit, and the error names it.
		world.simulator.reset();
		world.simulator.inject({ unknownStatus: 'retry', unknownStatusPolls: 1000 });
		const unknown = await world.engine.runWorkflow(legnextWorkflow(world, video));
		expect(unknown.status).toBe('error');
		expect(unknown.error.message).toMatch(/Job [0-9a-f-]{36} was still "retry" \(a status Legnext’s docs do not list\) after 1 min, the time limit/);
	});

	test.each(['canceled', 'cancelled'])('a "%s" job ends the wait at once, as a failure with Legnext\'s reason and the job ID', async (cancelStatus) => {
		// A 4-minute video, canceled 40 % into its processing; the time limit is an hour away.
		world.simulator.inject({ cancelJobs: 1, cancelStatus, cancelWith: { message: 'Job canceled by moderation', raw_message: '' } });
		const video = { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', timeLimitMinutes: 60 };
		const started = Date.now();
		const run = await world.engine.runWorkflow(legnextWorkflow(world, video));
		// An hour of job time is 18 s here; the job ends (canceled) about 100 s of job time in, 0.5 s.
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(run.status).toBe('error');
		const [job] = world.simulator.jobs.values();
		// n8n marks an execution whose error message contains "canceled" as stopped by the user: the message spells it "cancelled".
		expect(run.error.message).toBe(`Legnext cancelled job ${job.id}: Job cancelled by moderation (item 0)`);
		expect(run.error.description).toMatch(new RegExp(`status "${cancelStatus}"`));
		// The check that saw it canceled was the last: no more reads, nothing sent again.
		expect(world.simulator.view(job.id).status).toBe(cancelStatus);
		const reads = apiRequests(world.simulator).filter((r) => r.method === 'GET').length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(apiRequests(world.simulator).filter((r) => r.method === 'GET')).toHaveLength(reads);
		expect(world.simulator.createdJobs()).toBe(1);
	});

	test('cancelling the execution stops the waiting at once', async () => {
		const handle = world.engine.startWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png' }),
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const cancelledAt = Date.now();
		handle.cancel();
		const run = await handle.promise;
		expect(Date.now() - cancelledAt).toBeLessThan(2000);
		expect(run.status).not.toBe('success');
		const checksAfter = apiRequests(world.simulator).filter((r) => r.method === 'GET' && r.at > cancelledAt + 200);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(apiRequests(world.simulator).filter((r) => r.method === 'GET' && r.at > cancelledAt + 200)).toHaveLength(checksAfter.length);
	});
});

describe('many items at once', () => {
	test('12 items against a cap of 6: all done, in order, no job lost or doubled', async () => {
		const items = Array.from({ length: 12 }, (_, n) => ({ n }));
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ "picture " + $json.n }}', options: { concurrency: 6 } }), { items }),
		);
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output).toHaveLength(12);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.status).toBe('completed');
		});
		expect(new Set(output.map((item) => item.json.jobId)).size).toBe(12);
		expect(world.simulator.createdJobs()).toBe(12);
		// Output order is input order: item n carries the job made from item n's prompt.
		expect(output.map((item) => world.simulator.jobs.get(item.json.jobId).body.text)).toEqual(items.map(({ n }) => `picture ${n}`));
	});

	test('concurrency above the account cap: 429s are waited out, still exactly one job per item', async () => {
		const items = Array.from({ length: 9 }, (_, n) => ({ n }));
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ "p" + $json.n }}', options: { concurrency: 9 } }), { items }),
		);
		expect(run.status).toBe('success');
		expect(run.output('Legnext')).toHaveLength(9);
		expect(world.simulator.createdJobs()).toBe(9);
		// Nine submits against a cap of six: Legnext refused some, and the node waited them out.
		const refused = world.simulator.requests.filter((r) => r.status === 429);
		expect(refused.length).toBeGreaterThan(0);
	});
});

describe('results as files', () => {
	test('all four images, one item per file, bytes equal to what was served', async () => {
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'images' })));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output).toHaveLength(4);
		for (const [n, item] of output.entries()) {
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.json.file).toMatchObject({ kind: 'image', index: n });
			const binary = item.binary.data;
			expect(binary.mimeType).toBe('image/png');
			expect(binary.fileName).toBe(`diffusion_${item.json.jobId}_${n}.png`);
			const stored = await world.engine.binaryBuffer(binary);
			expect(stored.equals(await served(item.json.imageUrls[n]))).toBe(true);
			expect(stored.subarray(0, 4).toString('hex')).toBe('89504e47');
		}
	});

	test('grid and chosen images on one item', async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ download: 'chosenImages', imageNumbers: [1, 3], fileLayout: 'filesOnOneItem' })),
		);
		const [item] = run.output('Legnext');
		expect(Object.keys(item.binary).sort()).toEqual(['image_1', 'image_3']);
		const grid = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'grid', fileLayout: 'filesOnOneItem' })));
		expect(Object.keys(grid.output('Legnext')[0].binary)).toEqual(['grid']);
		expect(grid.output('Legnext')[0].binary.grid.fileName).toMatch(/_grid\.png$/);
	});

	test('videos stream into binary storage with their MIME type', async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', download: 'videos' }),
		);
		const output = run.output('Legnext');
		expect(output).toHaveLength(4);
		const stored = await world.engine.binaryBuffer(output[0].binary.data);
		expect(output[0].binary.data.mimeType).toBe('video/mp4');
		expect(stored.subarray(4, 8).toString()).toBe('ftyp');
		expect(stored.equals(await served(output[0].json.videoUrls[0]))).toBe(true);
	});

	test('unsigned CDN links (Legnext\'s examples from October 2025 on) download like signed ones', async () => {
		world.simulator.inject({ fileLinks: 'cdn' });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'images' })));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output).toHaveLength(4);
		expect(output[0].json.imageUrls[0]).toMatch(/\/mj\/[0-9a-f-]{36}_0\.png$/);
		expect(output[0].json.gridUrl).toMatch(/\/mj\/[0-9a-f-]{36}_grid\.png$/);
		const stored = await world.engine.binaryBuffer(output[1].binary.data);
		expect(stored.equals(await served(output[0].json.imageUrls[1]))).toBe(true);
	});

	test.each([
		['signed', 403],
		['cdn', 404],
	])('an expired %s link gives a clear error that fits it (HTTP %i)', async (fileLinks, status) => {
		world.simulator.inject({ expireFiles: true, fileLinks });
		const run = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ download: 'grid' })));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(new RegExp(`file link of the grid of job .* has expired or was refused \\(HTTP ${status}\\)`));
		expect(run.error.description).toMatch(/Job → Get/);
		expect(run.error.description).toMatch(/30 days/);
	});

	test('a file over the size limit is refused', async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', download: 'videos', maxFileSizeMb: 0.1 }),
		);
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/larger than the 0.1 MB limit/);
	});
});

describe('Pause Until Callback', () => {
	test('the execution waits, Legnext’s callback resumes it, and the jobs come from the API', async () => {
		const items = [{ p: 'a' }, { p: 'b' }, { p: 'c' }];
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ $json.p }}', waitMode: 'callback', download: 'grid' }), { items }),
		);
		expect(run.status).toBe('waiting');
		const bodies = submitRequests(world.simulator).map((r) => r.body);
		expect(bodies).toHaveLength(3);
		for (const body of bodies) expect(body.callback).toContain(world.engine.webhookBaseUrl.replace(/\/$/, ''));

		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		expect(done.status).toBe('success');
		const output = done.output('Legnext');
		expect(output).toHaveLength(3);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.status).toBe('completed');
			expect(item.binary.data.mimeType).toBe('image/png');
		});
		expect(world.simulator.createdJobs()).toBe(3);
	});

	test('callbacks that come twice or not at all: every item still arrives', async () => {
		world.simulator.inject({ callbacks: 'twice' });
		const twice = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback' }), { items: [{}, {}] }));
		const doneTwice = await world.engine.waitForResume(twice, { timeoutMs: 20_000 });
		expect(doneTwice.output('Legnext').map((item) => item.json.status)).toEqual(['completed', 'completed']);

		world.simulator.reset();
		world.simulator.inject({ callbacks: 'missing' });
		// No callback at all: the node's own final check at the time limit (0.5 min of job time) decides.
		const missing = await world.engine.runWorkflow(legnextWorkflow(world, textToImage({ waitMode: 'callback', timeLimitMinutes: 3 }), { items: [{}, {}] }));
		const doneMissing = await world.engine.waitForResume(missing, { timeoutMs: 20_000 });
		expect(doneMissing.output('Legnext').map((item) => item.json.status)).toEqual(['completed', 'completed']);
	});

	test('a canceled job resumes the execution at once, as an error item with Legnext\'s reason', async () => {
		world.simulator.inject({ cancelJobsWhen: (body) => body.text === 'b', cancelWith: { message: 'Job canceled by moderation', raw_message: '' } });
		const items = [{ p: 'a' }, { p: 'b' }];
		const started = Date.now();
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, textToImage({ prompt: '={{ $json.p }}', waitMode: 'callback', timeLimitMinutes: 60 }), { items }),
		);
		expect(run.status).toBe('waiting');
		const done = await world.engine.waitForResume(run, { timeoutMs: 20_000 });
		// An hour of job time is 18 s here: the resume came with the callbacks, long before the limit.
		expect(Date.now() - started).toBeLessThan(10_000);
		const output = done.output('Legnext');
		expect(output[0].json.status).toBe('completed');
		const canceled = [...world.simulator.jobs.values()].find((job) => job.body.text === 'b');
		expect(output[1].json.error).toBe(`Legnext cancelled job ${canceled.id}: Job cancelled by moderation (item 1)`);
	});

	test('a local n8n with the real Legnext: says why callbacks cannot arrive, before any request', async () => {
		const other = await startWorld({}, { credentials: { baseUrl: 'https://api.legnext.ai' } });
		try {
			const run = await other.engine.runWorkflow(legnextWorkflow(other, textToImage({ waitMode: 'callback' })));
			expect(run.status).toBe('error');
			expect(run.error.message).toMatch(/Legnext cannot reach this n8n/);
			expect(run.error.description).toMatch(/Set N8N_WEBHOOK_URL \(n8n 2\.x\) or WEBHOOK_URL \(n8n 1\.123\)/);
		} finally {
			await other.close();
		}
	});
});
