// Images from the workflow: a binary file of the input item handed to Legnext as n8n's signed binary
// URL, which the simulator fetches (test/engine/binary-data.js serves it as n8n does); and every case
// where that cannot work fails the item before anything is paid.
const { startWorld, apiRequests } = require('../harness/world');

let world;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => await world.close());
beforeEach(() => world.simulator.reset());

/** Start → Items → Files (binary properties) → Legnext. */
function binaryWorkflow(parameters, { files = [{ property: 'data' }], inMemory = false, items = [{}], node = {} } = {}) {
	const id = (name) => `n-${name}`;
	return {
		nodes: [
			{ id: id('start'), name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: id('items'), name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items } },
			{ id: id('files'), name: 'Files', type: 'test.files', typeVersion: 1, position: [400, 0], parameters: { files, inMemory } },
			{
				id: id('legnext'),
				name: 'Legnext',
				type: world.legnext,
				typeVersion: 2,
				position: [600, 0],
				parameters,
				credentials: { legnextApi: { id: 'cred-1', name: 'Legnext account' } },
				...node,
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Files', type: 'main', index: 0 }]] },
			Files: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] },
		},
	};
}

const imageToVideo = (extra = {}) => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'binary', prompt: 'waves roll in', ...extra });
const blend = (extra = {}) => ({ resource: 'image', operation: 'blend', imageSource: 'binary', ...extra });
const submits = () => apiRequests(world.simulator).filter((request) => request.method === 'POST');
const SIGNED = /\/rest\/binary-data\/signed\?token=/;

describe('a binary file reaches Legnext as n8n’s signed URL, which Legnext fetches', () => {
	test('Image to Video from the binary field "data": no URL typed', async () => {
		const run = await world.engine.runWorkflow(binaryWorkflow(imageToVideo()));
		expect(run.status).toBe('success');
		const [item] = run.output('Legnext');
		expect(item.json.status).toBe('completed');
		const [submit] = submits();
		const [firstFrame] = submit.body.prompt.split(' ');
		expect(firstFrame).toMatch(SIGNED);
		expect(firstFrame.startsWith(world.engine.webhookBaseUrl)).toBe(true);
		expect(world.simulator.imageFetches).toEqual([expect.objectContaining({ url: firstFrame, status: 200, contentType: 'image/png', bytes: 128 })]);
		expect(world.simulator.imageFetches[0].error).toBeUndefined();
	});

	test('Blend from the numbered binary fields data_0, data_1, data_2 (a Form Trigger’s multi-file field)', async () => {
		const files = [0, 1, 2].map((i) => ({ property: `data_${i}`, bytes: 100 + i }));
		const run = await world.engine.runWorkflow(binaryWorkflow(blend(), { files }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json.status).toBe('completed');
		const [submit] = submits();
		expect(submit.body.imgUrls).toHaveLength(3);
		for (const url of submit.body.imgUrls) expect(url).toMatch(SIGNED);
		expect(world.simulator.imageFetches.map((fetch) => fetch.bytes).sort()).toEqual([100, 101, 102]);
	});

	test('Blend from files on a Legnext that takes base64Array (docs\' API reference): the files themselves go as data URIs', async () => {
		world.simulator.inject({ blendShape: 'base64Array' });
		const files = [0, 1].map((i) => ({ property: `data_${i}`, bytes: 200 + i }));
		const run = await world.engine.runWorkflow(binaryWorkflow(blend(), { files }));
		expect(run.status).toBe('success');
		expect(run.output('Legnext')[0].json.status).toBe('completed');
		const [first, second] = submits();
		expect(first.status).toBe(400);
		expect(second.body.dimension).toBe('SQUARE');
		const sizes = second.body.base64Array.map((uri) => Buffer.from(uri.replace(/^data:image\/png;base64,/, ''), 'base64').length);
		expect(sizes).toEqual([200, 201]);
	});

	test('Blend from named binary fields; Remove Background, Retexture and Topaz Upscale from a file', async () => {
		let run;
		// n8n's Webhook node names several files of one multipart field data0, data1, …
		run = await world.engine.runWorkflow(binaryWorkflow(blend(), { files: [{ property: 'data0' }, { property: 'data1' }] }));
		expect(run.status).toBe('success');
		expect(submits()[0].body.imgUrls).toHaveLength(2);
		world.simulator.reset();
		const files = [{ property: 'a' }, { property: 'b' }];
		run = await world.engine.runWorkflow(binaryWorkflow(blend({ binaryPropertyNames: 'b, a' }), { files }));
		expect(run.status).toBe('success');
		expect(submits()[0].body.imgUrls).toHaveLength(2);
		for (const [operation, extra, field] of [
			['removeBackground', {}, 'imgUrl'],
			['retexture', { remixPrompt: 'marble' }, 'imgUrl'],
			['topazUpscale', {}, 'image_url'],
		]) {
			world.simulator.reset();
			run = await world.engine.runWorkflow(binaryWorkflow({ resource: 'image', operation, imageSource: 'binary', ...extra }));
			expect(run.status).toBe('success');
			expect(submits()[0].body[field]).toMatch(SIGNED);
			expect(world.simulator.imageFetches).toHaveLength(1);
		}
	});

	test('Prompt Options from files: style and character references (Text to Image), end frame (Image to Video)', async () => {
		const files = [{ property: 'style', bytes: 300 }, { property: 'hero', bytes: 301 }, { property: 'last', bytes: 302 }];
		const textToImage = {
			resource: 'image',
			operation: 'textToImage',
			prompt: 'a fox',
			promptOptions: { styleReferenceBinary: 'style', characterReferenceBinary: 'hero', styleWeight: 200 },
		};
		let run = await world.engine.runWorkflow(binaryWorkflow(textToImage, { files }));
		expect(run.status).toBe('success');
		const { text } = submits()[0].body;
		expect(text).toMatch(/^a fox --sref \S+\/rest\/binary-data\/signed\?token=\S+ --sw 200 --cref \S+\/rest\/binary-data\/signed\?token=\S+$/);
		expect(world.simulator.imageFetches.map((fetch) => fetch.bytes).sort()).toEqual([300, 301]);

		world.simulator.reset();
		run = await world.engine.runWorkflow(
			binaryWorkflow(imageToVideo({ binaryPropertyName: 'style', promptOptions: { endFrameBinary: 'last' } }), { files }),
		);
		expect(run.status).toBe('success');
		const words = submits()[0].body.prompt.split(' ');
		expect(words[0]).toMatch(SIGNED);
		expect(words[words.indexOf('--end') + 1]).toMatch(SIGNED);
		expect(world.simulator.imageFetches.map((fetch) => fetch.bytes).sort()).toEqual([300, 302]);

		world.simulator.reset();
		run = await world.engine.runWorkflow(binaryWorkflow(textToImage, { files, inMemory: true }));
		expect(run.status).toBe('error');
		expect(run.error.message).toMatch(/^Prompt Options → Style Reference Binary Fields: n8n keeps the file in "style" in memory/);
		expect(submits()).toHaveLength(0);
	});

	test('a mask from a file (Vary Region): Mask Binary File', async () => {
		const parent = await world.engine.runWorkflow(binaryWorkflow({ resource: 'image', operation: 'textToImage', prompt: 'a room' }, { files: [] }));
		const jobId = parent.output('Legnext')[0].json.jobId;
		const parameters = { resource: 'image', operation: 'varyRegion', jobId, imageNo: 1, maskSource: 'binary', remixPrompt: 'a window' };
		const run = await world.engine.runWorkflow(binaryWorkflow(parameters, { files: [{ property: 'mask', bytes: 640 }] }));
		expect(run.status).toBe('success');
		const submit = submits().find((request) => request.path === '/api/v1/inpaint');
		expect(submit.body.mask.url).toMatch(SIGNED);
		expect(world.simulator.imageFetches).toEqual([expect.objectContaining({ url: submit.body.mask.url, status: 200, bytes: 640 })]);
	});

	test('the signed URL serves the file to anyone with the token, and nothing without it', async () => {
		await world.engine.runWorkflow(binaryWorkflow(imageToVideo()));
		const [url] = submits()[0].body.prompt.split(' ');
		const good = await fetch(url);
		expect(good.status).toBe(200);
		expect(good.headers.get('content-type')).toBe('image/png');
		expect((await good.arrayBuffer()).byteLength).toBe(128);
		const forged = await fetch(url.replace(/token=.*/, 'token=abc'));
		expect(forged.status).toBe(400);
	});

	test('a URL Legnext cannot fetch fails the job as the simulator’s rule says', async () => {
		const run = await world.engine.runWorkflow(
			binaryWorkflow({ resource: 'image', operation: 'removeBackground', imageUrl: `${world.engine.webhookBaseUrl}rest/binary-data/signed?token=expired` }),
		);
		expect(run.status).toBe('error');
		expect(String(run.error.message)).toMatch(/Legnext could not finish job .*failed to fetch image .*HTTP 400/);
		expect(world.simulator.imageFetches[0]).toMatchObject({ status: 400, error: 'HTTP 400' });
	});
});

describe('where a binary file cannot work, the item fails before anything is paid, saying what to set', () => {
	async function refused(workflow) {
		const run = await world.engine.runWorkflow(workflow);
		expect(run.status).toBe('error');
		expect(submits()).toHaveLength(0);
		expect(world.simulator.createdJobs()).toBe(0);
		return run.error;
	}

	test('binary data kept in memory: set N8N_DEFAULT_BINARY_DATA_MODE', async () => {
		const error = await refused(binaryWorkflow(imageToVideo(), { inMemory: true }));
		expect(error.message).toMatch(/Input Binary Field: n8n keeps the file in "data" in memory.*\(item 0\)/);
		expect(error.description).toMatch(/N8N_DEFAULT_BINARY_DATA_MODE=filesystem/);
	});

	test('Blend with binary data in memory', async () => {
		const files = [{ property: 'data_0' }, { property: 'data_1' }];
		const error = await refused(binaryWorkflow(blend(), { files, inMemory: true }));
		expect(error.message).toMatch(/in memory/);
		expect(error.description).toMatch(/N8N_DEFAULT_BINARY_DATA_MODE/);
	});

	test('n8n’s URL is local while Legnext’s is not: set WEBHOOK_URL', async () => {
		const publicLegnext = await startWorld({}, { credentials: { baseUrl: 'https://api.legnext.ai' } });
		try {
			const workflow = binaryWorkflow(imageToVideo());
			workflow.nodes[3].type = publicLegnext.legnext;
			const run = await publicLegnext.engine.runWorkflow(workflow);
			expect(run.status).toBe('error');
			expect(run.error.message).toMatch(/Legnext cannot fetch the file: n8n's address http:\/\/127\.0\.0\.1:\d+ is local.*\(item 0\)/);
			expect(run.error.description).toMatch(/WEBHOOK_URL/);
			expect(publicLegnext.simulator.requests).toHaveLength(0);
		} finally {
			await publicLegnext.close();
		}
	});

	test('a file over Legnext’s size limit, a file that is not an image, a missing field', async () => {
		let error = await refused(binaryWorkflow(imageToVideo(), { files: [{ property: 'data', bytes: 10 * 1024 * 1024 + 1 }] }));
		expect(error.message).toMatch(/is 10\.0 MB, more than the 10 MB Legnext accepts/);
		error = await refused(binaryWorkflow(imageToVideo(), { files: [{ property: 'data', mimeType: 'application/pdf', fileName: 'a.pdf' }] }));
		expect(error.message).toMatch(/"data" holds a file of type application\/pdf \(a\.pdf\), not an image/);
		error = await refused(binaryWorkflow(imageToVideo({ binaryPropertyName: 'photo' })));
		expect(error.message).toMatch(/the item has no binary field "photo"/);
		expect(error.description).toMatch(/Its binary fields are: data/);
		error = await refused(binaryWorkflow(blend(), { files: [{ property: 'data' }] }));
		expect(error.message).toMatch(/names 1 file \(data\), Legnext blends 2 to 5/);
	});

	test('an image Legnext cannot read (an iPhone HEIC photo, an SVG) is refused before anything is paid; a GIF is sent', async () => {
		let error = await refused(binaryWorkflow(imageToVideo(), { files: [{ property: 'data', mimeType: 'image/heic', fileName: 'IMG_0001.HEIC' }] }));
		expect(error.message).toMatch(/"data" holds a HEIC image \(IMG_0001\.HEIC\); Legnext reads PNG, JPEG, WebP and GIF \(item 0\)/);
		expect(error.description).toMatch(/Edit Image/);
		error = await refused(binaryWorkflow(blend(), { files: [{ property: 'data_0' }, { property: 'data_1', mimeType: 'image/svg+xml', fileName: 'logo.svg' }] }));
		expect(error.message).toMatch(/"data_1" holds a SVG\+XML image \(logo\.svg\)/);
		// A file read from disk without an extension: n8n types it text/plain; the hint says where to set the type.
		error = await refused(binaryWorkflow(imageToVideo(), { files: [{ property: 'data', mimeType: 'text/plain', fileName: 'photo' }] }));
		expect(error.message).toMatch(/a file of type text\/plain \(photo\), not an image/);
		expect(error.description).toMatch(/Read\/Write Files from Disk.*MIME Type/);

		const run = await world.engine.runWorkflow(binaryWorkflow(imageToVideo({ download: 'none' }), { files: [{ property: 'data', mimeType: 'image/gif', fileName: 'a.gif' }] }));
		expect(run.status).toBe('success');
		expect(submits()).toHaveLength(1);
		// TIFF: Topaz Upscale reads it (Legnext's Topaz page), the others do not.
		world.simulator.reset();
		error = await refused(binaryWorkflow({ resource: 'image', operation: 'retexture', imageSource: 'binary', remixPrompt: 'marble' }, { files: [{ property: 'data', mimeType: 'image/tiff', fileName: 'scan.tif' }] }));
		expect(error.message).toMatch(/"data" holds a TIFF image \(scan\.tif\)/);
		world.simulator.reset();
		const topaz = await world.engine.runWorkflow(
			binaryWorkflow({ resource: 'image', operation: 'topazUpscale', imageSource: 'binary', download: 'none' }, { files: [{ property: 'data', mimeType: 'image/tiff', fileName: 'scan.tif' }] }),
		);
		expect(topaz.status).toBe('success');
		expect(submits()[0].body.image_url).toMatch(SIGNED);
	});

	test('a bad item 2 of 3 stops the run before items 0 and 1 are sent; with Continue On Fail it alone fails', async () => {
		const items = [{ name: 'photo' }, { name: 'photo' }, { name: 'missing' }];
		// One item per job: the videos are not downloaded here (the default would give an item per video).
		const parameters = imageToVideo({ binaryPropertyName: '={{ $json.name }}', download: 'none' });
		const files = [{ property: 'photo' }];
		const error = await refused(binaryWorkflow(parameters, { items, files }));
		expect(error.message).toMatch(/\(item 2\)/);
		const run = await world.engine.runWorkflow(binaryWorkflow(parameters, { items, files, node: { onError: 'continueRegularOutput' } }));
		expect(run.status).toBe('success');
		const output = run.output('Legnext');
		expect(output.map((item) => item.json.status ?? 'error')).toEqual(['completed', 'completed', 'error']);
		expect(String(output[2].json.error)).toMatch(/no binary field "missing"/);
		expect(submits()).toHaveLength(2);
	});
});

describe('saved workflows behave as before', () => {
	test('Remove Background without Image Source set uses its Image URL', async () => {
		const run = await world.engine.runWorkflow(binaryWorkflow({ resource: 'image', operation: 'removeBackground', imageUrl: 'https://example.com/a.png' }));
		expect(run.status).toBe('success');
		expect(submits()[0].body).toEqual({ imgUrl: 'https://example.com/a.png' });
	});
});
