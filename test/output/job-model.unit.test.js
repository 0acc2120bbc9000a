// Every example response Legnext documents (seeds/, OpenAPI) goes through the job model to the right output.
const fs = require('fs');
const path = require('path');
const { simplifyJob, rawJob, isTerminal, jobIdProblem, jobFailure, looksLikeJob } = require('../../dist/nodes/shared/job');

/** Legnext's video page prints `"frozen": 00` (a redacted number, not JSON); read it as 0. */
function fixture(name) {
	const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');
	return JSON.parse(text.replace(/:\s*00\b/g, ': 0'));
}

/** n8n fails (and with Retry On Fail re-runs) a node whose first item has a non-null json.error. */
function expectNoErrorField(json) {
	expect(json.error === undefined || json.error === null || json.error === false).toBe(true);
}

describe('job model on documented examples', () => {
	test('Text to Image answer from the docs: pending, placeholder times become null', () => {
		const job = fixture('diffusion-pending.seed.json');
		const out = simplifyJob(job);
		expect(out).toMatchObject({
			jobId: '789320d3-4b20-46d3-a804-6165a079176a',
			status: 'pending',
			taskType: 'diffusion',
			imageUrls: [],
			gridUrl: null,
			videoUrls: [],
			seed: null,
			usage: { type: 'point', frozen: 80, consume: 0 },
			jobError: null,
			callbackUrl: null,
			createdAt: '2025-12-17T11:08:36Z',
			startedAt: null,
			endedAt: null,
		});
		expect(isTerminal(job)).toBe(false);
		expectNoErrorField(out);
		expectNoErrorField(rawJob(job));
	});

	test('video answer from the docs: four MP4 URLs, completed', () => {
		const job = fixture('video-completed.seed.json');
		const out = simplifyJob(job);
		expect(out.status).toBe('completed');
		expect(out.taskType).toBe('video_diffusion');
		expect(out.videoUrls).toHaveLength(4);
		expect(out.videoUrls[0]).toMatch(/_0_0\.mp4\?Expires=/);
		expect(out.imageUrls).toEqual([]);
		expect(out.startedAt).toBe('2025-09-22T04:33:26Z');
		expect(out.endedAt).toBe('2025-09-22T04:37:20Z');
		expect(isTerminal(job)).toBe(true);
		expectNoErrorField(out);
	});

	test('OpenAPI TaskResponse example (no error, no ended_at at all)', () => {
		const job = fixture('openapi-task-response.json');
		const out = simplifyJob(job);
		expect(out).toMatchObject({ jobId: '7dea6cc5-5952-4f82-a906-1ed2328bc1c5', status: 'pending', jobError: null, endedAt: null });
		expectNoErrorField(rawJob(job));
	});

	test('completed image job: grid, four images, seed, actions, callback', () => {
		const out = simplifyJob(fixture('image-completed.json'));
		expect(out.imageUrls).toHaveLength(4);
		expect(out.gridUrl).toMatch(/_grid\.png/);
		expect(out.seed).toBe('1876245923');
		expect(out.availableActions).toEqual({ upscale: [0, 1, 2, 3], variation: [0, 1, 2, 3], reroll: true });
		expect(out.callbackUrl).toBe('https://example.com/hook');
		expectNoErrorField(out);
	});

	test('failed job: the reason moves to jobError, never to error', () => {
		const job = fixture('job-failed.json');
		const out = simplifyJob(job);
		expect(out.jobError).toEqual({ code: 10001, message: 'Sensitive content detected', rawMessage: 'banned prompt detected: gore', detail: null });
		expect(out.endedAt).toBeNull();
		expectNoErrorField(out);
		const raw = rawJob(job);
		expectNoErrorField(raw);
		expect(raw.jobError.code).toBe(10001);
		expect(raw.job_id).toBe(job.job_id);
		expect(isTerminal(job)).toBe(true);
	});

	test('describe job: the prompts are kept', () => {
		const out = simplifyJob(fixture('describe-completed.json'));
		expect(out.prompts).toHaveLength(4);
		expect(out.finalPrompt).toMatch(/--ar 3:2/);
		expect(out.promptEn).toBe('a red fox in the snow');
	});

	test('an unknown status counts as still running', () => {
		const job = fixture('job-unknown-status.json');
		expect(isTerminal(job)).toBe(false);
		expect(simplifyJob(job).status).toBe('retry');
		expect(simplifyJob(job).videoUrls).toEqual([]);
	});

	test('the error body of the docs is not a job', () => {
		expect(looksLikeJob(fixture('error-400.seed.json'))).toBe(false);
		expect(looksLikeJob(fixture('image-completed.json'))).toBe(true);
		expect(jobFailure({ job_id: 'x', status: 'failed' })).toMatchObject({ message: 'Legnext did not give a reason' });
	});

	test('job IDs: Legnext judges their format (a docs example is 1868588555208310784); only empty, spaced or URL-like ones are refused', () => {
		expect(jobIdProblem('789320d3-4b20-46d3-a804-6165a079176a')).toBeUndefined();
		expect(jobIdProblem('1868588555208310784')).toBeUndefined();
		expect(jobIdProblem('789320d3')).toBeUndefined();
		expect(jobIdProblem('')).toBe('is empty');
		expect(jobIdProblem('a job')).toMatch(/has spaces/);
		expect(jobIdProblem('https://image.legnext.ai/x.png')).toMatch(/URL/);
		expect(jobIdProblem('../../account/balance')).toMatch(/URL or a path/);
	});

	test('retexture and edit jobs give their grid like the other four-image jobs; task types in either spelling', () => {
		const grid = 'https://image.legnext.ai/x/grid.png';
		const singles = [0, 1, 2, 3].map((n) => `https://image.legnext.ai/x/${n}.png`);
		for (const task_type of ['retexture', 'edit', 'diffusion', 'reroll']) {
			const out = simplifyJob({ job_id: 'j', status: 'completed', task_type, output: { image_url: grid, image_urls: singles } });
			expect({ task_type, gridUrl: out.gridUrl, imageUrls: out.imageUrls }).toEqual({ task_type, gridUrl: grid, imageUrls: singles });
		}
		// `remove-background` (the SDKs' spelling) is the one-image task: its image_url is the image, not a grid.
		const one = simplifyJob({ job_id: 'j', status: 'completed', task_type: 'remove-background', output: { image_url: singles[0], image_urls: [] } });
		expect(one).toMatchObject({ gridUrl: null, imageUrls: [singles[0]] });
	});

	test('canceled and cancelled end a job, as a failure; generating runs on', () => {
		expect(isTerminal({ job_id: 'j', status: 'canceled' })).toBe(true);
		expect(isTerminal({ job_id: 'j', status: 'cancelled' })).toBe(true);
		expect(isTerminal({ job_id: 'j', status: 'generating' })).toBe(false);
		expect(jobFailure({ job_id: 'j', status: 'canceled' })).toMatchObject({ message: 'the job was canceled' });
		expect(jobFailure({ job_id: 'j', status: 'cancelled', error: { code: 0, message: 'Canceled by the user' } })).toMatchObject({ message: 'Canceled by the user' });
	});
});
