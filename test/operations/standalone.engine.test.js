// Legnext operations that need no earlier job, in n8n's real engine against the simulator: any image
// (by URL or as a binary file of the incoming item), Shorten, and the account's balance. What reaches
// Legnext, and what comes out. Follow-ups of a job: follow-ups.engine.test.js.
const { startWorld, legnextWorkflow } = require('../harness/world');
const { runOperation, expectFinished } = require('../harness/run-operation');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world?.close());

describe('Image operations on any image', () => {
	test('Blend', async () => {
		const result = await runOperation(world, {
			resource: 'image',
			operation: 'blend',
			imageUrls: ['https://example.com/a.png', 'https://example.com/b.png', 'https://example.com/c.png'],
			aspectRatio: '2:3',
		});
		expectFinished(result, 'blend');
		expect(result.submits[0]).toMatchObject({
			path: '/api/v1/blend',
			body: { imgUrls: ['https://example.com/a.png', 'https://example.com/b.png', 'https://example.com/c.png'], aspect_ratio: '2:3' },
		});
	});

	test('Topaz Upscale from a URL, options left to Legnext', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'topazUpscale', imageSource: 'url', imageUrl: 'https://example.com/photo.jpg' });
		expectFinished(result, 'enhance_upscale');
		expect(result.submits[0].body).toEqual({ image_url: 'https://example.com/photo.jpg' });
	});

	test('Remove Background', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'removeBackground', imageUrl: 'https://example.com/product.jpg' });
		const json = expectFinished(result, 'remove_background');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/remove-background', body: { imgUrl: 'https://example.com/product.jpg' } });
		expect(json.imageUrls).toHaveLength(1);
	});

	test('Retexture', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'retexture', imageUrl: 'https://example.com/chair.png', remixPrompt: 'polished marble' });
		expectFinished(result, 'retexture');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/retexture', body: { imgUrl: 'https://example.com/chair.png', remixPrompt: 'polished marble' } });
	});

	test('Describe an image URL', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'describe', imageUrl: 'https://example.com/photo.jpg' });
		const json = expectFinished(result, 'describe');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/describe', body: { imgUrl: 'https://example.com/photo.jpg' } });
		expect(json.prompts.length).toBeGreaterThan(0);
	});

	test('Describe a binary file from the incoming item', async () => {
		const png = Buffer.from(
			'89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4830000000049454e44ae426082',
			'hex',
		);
		const workflow = legnextWorkflow(world, { resource: 'image', operation: 'describe', imageSource: 'binary', binaryPropertyName: 'photo' });
		// The Items node's output pinned with a file, as an earlier node (Read File, HTTP Request) would give it.
		workflow.pinData = {
			Items: [{ json: { name: 'pixel' }, binary: { photo: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'pixel.png' } } }],
		};
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(workflow);
		if (run.status !== 'success') throw run.error;
		const [described] = run.output('Legnext');
		expect(described.json).toMatchObject({ status: 'completed', taskType: 'describe' });
		expect(described.json.prompts.length).toBeGreaterThan(0);
		const submit = world.simulator.requests.slice(mark).find((request) => request.path === '/api/v1/describe');
		expect(submit.body).toEqual({ imageBase64: `data:image/png;base64,${png.toString('base64')}` });
	});

	test('Describe a binary file with a callback: the callback is sent too', async () => {
		const workflow = legnextWorkflow(world, {
			resource: 'image',
			operation: 'describe',
			imageSource: 'binary',
			binaryPropertyName: 'photo',
			waitMode: 'none',
			callback: 'url',
			callbackUrl: 'https://example.com/hook',
		});
		workflow.pinData = {
			Items: [{ json: {}, binary: { photo: { data: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'), mimeType: 'image/png', fileName: 'p.png' } } }],
		};
		const mark = world.simulator.requests.length;
		const run = await world.engine.runWorkflow(workflow);
		if (run.status !== 'success') throw run.error;
		const submit = world.simulator.requests.slice(mark).find((request) => request.path === '/api/v1/describe');
		expect(Object.keys(submit.body).sort()).toEqual(['callback', 'imageBase64']);
		expect(submit.body.callback).toMatch(/^https:\/\/example\.com\/hook/);
	});

	test('Describe without the binary field names it', async () => {
		const run = await world.engine.runWorkflow(
			legnextWorkflow(world, { resource: 'image', operation: 'describe', imageSource: 'binary', binaryPropertyName: 'photo' }),
		);
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/photo/);
	});

	test('Shorten', async () => {
		const result = await runOperation(world, { resource: 'image', operation: 'shorten', prompt: 'a very long and winding prompt about a lighthouse --ar 21:9' });
		const json = expectFinished(result, 'shorten');
		expect(result.submits[0]).toMatchObject({ path: '/api/v1/shorten', body: { prompt: 'a very long and winding prompt about a lighthouse --ar 21:9' } });
		expect(json.prompts.length).toBeGreaterThan(0);
	});
});

describe('Account', () => {
	test('Get Balance: camelCase fields and the total jobs can spend (credits + bonus points), nothing submitted', async () => {
		const result = await runOperation(world, { resource: 'account', operation: 'getBalance' });
		if (result.run.status !== 'success') throw result.run.error;
		const [item] = result.output;
		expect(item.json).toEqual({
			accountId: 52,
			balanceUsd: expect.any(Number),
			availableCredits: expect.any(Number),
			availablePoints: expect.any(Number),
			availableTotal: expect.any(Number),
			alertThreshold: 10,
			lowBalanceAlert: expect.any(Boolean),
			updatedAt: expect.any(String),
		});
		expect(item.json.availableTotal).toBe(item.json.availableCredits + item.json.availablePoints);
		expect(item.json.balanceUsd).toBe(item.json.availableTotal / 1000);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(result.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/account/balance']);
	});
});
