// Every Legnext operation's request(), run from the built files with a stub n8n context: the exact
// path and body it sends, and the NodeOperationError (naming field and item) for each bad input.
// Image operations: image-operations.unit.test.js; Prompt Options: prompt-builder.unit.test.js.
const { RESOURCES } = require('../../dist/nodes/Legnext/v2/actions/resources');
const { balanceToJson } = require('../../dist/nodes/Legnext/v2/actions/account/getBalance.operation');
const { findTaskType } = require('../../dist/nodes/shared/taskTypes');
const { JOB, op, requestOf, expectRefused } = require('../harness/operation-context');

describe('the operation list', () => {
	const all = RESOURCES.flatMap((resource) => resource.operations.map((operation) => ({ resource: resource.option.value, operation })));

	test('has every operation of the API', () => {
		const names = RESOURCES.map((resource) => `${resource.option.value}: ${resource.operations.map((o) => o.option.value).join(', ')}`);
		expect(names).toEqual([
			'image: textToImage, blend, reroll, upscale, variation, remix, varyRegion, zoomOut, pan, enhance, topazUpscale, removeBackground, retexture, describe, shorten, edit, uploadPaint',
			'video: imageToVideo, extend, upscale',
			'job: get',
			'account: getBalance',
		]);
	});

	test('each operation declares its facts: a paid one its own Legnext task type (price, timing, output kind), each what it returns', () => {
		const declared = all.map(({ resource, operation }) => [`${resource}:${operation.option.value}`, operation.kind, operation.facts?.taskType, findTaskType(operation.facts?.taskType)?.value]);
		for (const [name, kind, taskType, known] of declared) {
			if (kind === 'submit') expect([name, known]).toEqual([name, taskType]);
			else expect([name, taskType]).toEqual([name, undefined]);
		}
		const paid = declared.filter(([, kind]) => kind === 'submit').map(([, , taskType]) => taskType);
		expect(new Set(paid).size).toBe(paid.length);
		for (const { operation } of all) expect(operation.facts.returns).toMatch(/^[a-z].{10,}[^.]$/);
	});

	test.each(all.map(({ resource, operation }) => [`${resource} → ${operation.option.value}`, operation]))(
		'%s has a name, an action, a description and well-formed fields',
		(label, operation) => {
			const { name, value, action, description } = operation.option;
			expect(name).toMatch(/^[A-Z][A-Za-z ]+$/);
			for (const word of name.split(' ').filter((w) => !['to', 'a', 'of'].includes(w))) expect(word[0]).toBe(word[0].toUpperCase());
			expect(value).toMatch(/^[a-z][A-Za-z]+$/);
			expect(action).toMatch(/^[A-Z][a-z]/);
			expect(description.length).toBeGreaterThan(30);
			expect(['submit', 'read']).toContain(operation.kind);
			const visibleNames = new Set();
			for (const property of operation.properties) {
				const key = `${property.name}|${JSON.stringify(property.displayOptions ?? {})}`;
				expect(visibleNames.has(key)).toBe(false);
				visibleNames.add(key);
				if (property.type === 'boolean') expect(property.description).toMatch(/^Whether /);
				if (property.placeholder && !/^Add /.test(property.placeholder)) expect(property.placeholder).toMatch(/^e\.g\. /);
				if (property.name === 'jobId') expect(property.default).toBe('={{ $json.jobId ?? $json.job_id }}');
				// The file of the incoming item (each of four downloaded images follows up its own), else 0.
				if (property.name === 'imageNo' || property.name === 'videoNo') expect(property.default).toBe('={{ $json.file?.index ?? 0 }}');
			}
		},
	);

	test('operations that create jobs are "submit"; the job and balance lookups are "read"', () => {
		const reads = all.filter(({ operation }) => operation.kind === 'read').map(({ operation }) => operation.option.value);
		expect(reads.sort()).toEqual(['get', 'getBalance']);
	});
});

describe('Image → Text to Image', () => {
	test('sends the prompt as text', async () => {
		expect(await requestOf('image', 'textToImage', { prompt: '  a red fox  ' })).toEqual({
			method: 'POST',
			path: '/api/v1/diffusion',
			body: { text: 'a red fox' },
		});
	});

	test('appends the prompt options as flags', async () => {
		const request = await requestOf('image', 'textToImage', {
			prompt: 'a red fox',
			promptOptions: { aspectRatio: '16:9', version: '7', draft: true, stylize: 250, no: 'text, people' },
		});
		expect(request.body).toEqual({ text: 'a red fox --ar 16:9 --v 7 --draft --s 250 --no text, people' });
	});

	test('refuses an empty prompt, a flag set twice, a bad option and a prompt too long with its flags', async () => {
		await expectRefused('image', 'textToImage', { prompt: '   ' }, 'Prompt');
		const twice = await expectRefused('image', 'textToImage', { prompt: 'a fox --ar 16:9', promptOptions: { aspectRatio: '1:1' } }, 'Prompt Options → Aspect Ratio');
		expect(twice.message).toContain('--ar 16:9');
		await expectRefused('image', 'textToImage', { prompt: 'a fox', promptOptions: { chaos: 101 } }, 'Prompt Options → Chaos');
		await expectRefused('image', 'textToImage', { prompt: 'x'.repeat(8185), promptOptions: { aspectRatio: '16:9' } }, 'Prompt (with Prompt Options)');
		expect((await requestOf('image', 'textToImage', { prompt: 'x'.repeat(8183), promptOptions: { aspectRatio: '1:1' } })).body.text).toHaveLength(8192);
	});
});

describe('Video → Image to Video', () => {
	test('from a job: prompt options become the prompt', async () => {
		const request = await requestOf('video', 'imageToVideo', {
			jobId: JOB,
			imageNo: 1,
			prompt: '',
			promptOptions: { motion: 'high', loop: true, batchSize: 2 },
		});
		expect(request).toEqual({
			method: 'POST',
			path: '/api/v1/video-diffusion',
			body: { jobId: JOB, imageNo: 1, prompt: '--motion high --loop --bs 2', videoType: 0 },
		});
	});

	test('from a URL: the image URL leads, the flags follow the text', async () => {
		const request = await requestOf('video', 'imageToVideo', {
			imageSource: 'url',
			imageUrl: 'https://example.com/a.png',
			prompt: 'waves roll in',
			resolution: '720p',
			promptOptions: { raw: true, endFrameUrl: 'https://example.com/end.png' },
		});
		expect(request.body).toEqual({ prompt: 'https://example.com/a.png waves roll in --raw --end https://example.com/end.png', videoType: 1 });
	});

	test('refuses loop with an end frame, and a flag already in the prompt', async () => {
		await expectRefused('video', 'imageToVideo', { jobId: JOB, promptOptions: { loop: true, endFrameUrl: 'https://example.com/e.png' } }, 'Prompt Options → Loop');
		await expectRefused('video', 'imageToVideo', { jobId: JOB, prompt: 'go --motion low', promptOptions: { motion: 'high' } }, 'Prompt Options → Motion');
		await expectRefused('video', 'imageToVideo', { jobId: JOB, promptOptions: { batchSize: 3 } }, 'Prompt Options → Batch Size');
	});
});

describe('Video → follow-ups of a video job', () => {
	test('Extend: video number 0–3, the prompt only when set', async () => {
		expect(await requestOf('video', 'extend', { jobId: JOB, videoNo: 3, prompt: 'rise' })).toEqual({
			method: 'POST',
			path: '/api/v1/extend-video',
			body: { jobId: JOB, videoNo: 3, prompt: 'rise' },
		});
		expect((await requestOf('video', 'extend', { jobId: JOB })).body).toEqual({ jobId: JOB, videoNo: 0 });
		await expectRefused('video', 'extend', { jobId: JOB, videoNo: 4 }, 'Video Number');
		await expectRefused('video', 'extend', { jobId: 'https://cdn.legnext.ai/video.mp4' }, 'Job ID');
		// Legnext judges an ID's format (a docs example is 1868588555208310784): only empty, spaced or URL-like IDs are refused.
		expect((await requestOf('video', 'extend', { jobId: '1868588555208310784' })).body).toEqual({ jobId: '1868588555208310784', videoNo: 0 });
	});

	test('Upscale', async () => {
		expect(await requestOf('video', 'upscale', { jobId: JOB, videoNo: 1 })).toEqual({
			method: 'POST',
			path: '/api/v1/video-upscale',
			body: { jobId: JOB, videoNo: 1 },
		});
		await expectRefused('video', 'upscale', { jobId: JOB, videoNo: '5' }, 'Video Number');
	});
});

describe('Job and Account', () => {
	test('Job → Get', async () => {
		expect(await requestOf('job', 'get', { jobId: JOB })).toEqual({ method: 'GET', path: `/api/v1/job/${JOB}` });
		await expectRefused('job', 'get', { jobId: 'a job id' }, 'Job ID');
		await expectRefused('job', 'get', { jobId: '' }, 'Job ID');
		expect(await requestOf('job', 'get', { jobId: '1868588555208310784' })).toEqual({ method: 'GET', path: '/api/v1/job/1868588555208310784' });
	});

	test('Account → Get Balance: GET, read-only, the data object camelCased, with the total jobs can spend', async () => {
		const operation = op('account', 'getBalance');
		expect(operation.kind).toBe('read');
		expect(await requestOf('account', 'getBalance', {})).toEqual({ method: 'GET', path: '/api/account/balance' });
		const answer = require('../fixtures/openapi-balance.json');
		const json = operation.toJson(answer);
		expect(json).toEqual({
			accountId: answer.data.account_id,
			balanceUsd: answer.data.balance_usd,
			availableCredits: answer.data.available_credits,
			availablePoints: answer.data.available_points,
			alertThreshold: answer.data.alert_threshold,
			lowBalanceAlert: answer.data.low_balance_alert,
			updatedAt: answer.data.updated_at,
			availableTotal: 3000 + 1068, // credits + bonus points: 4.068 USD, the example's balance_usd
		});
		expect(json).not.toHaveProperty('error');
		expect(balanceToJson({ code: 200, data: { account_id: 1, new_field_x: 2 } })).toMatchObject({ accountId: 1, balanceUsd: null, newFieldX: 2 });
	});
});
