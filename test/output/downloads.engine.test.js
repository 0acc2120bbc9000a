// Downloads into n8n's binary data in n8n's engine, from a file server that does not say how large its
// files are (chunked, no content-length): the node counts the bytes as n8n stores them.
const http = require('node:http');

const { startWorld, legnextWorkflow } = require('../harness/world');

let world;
let proxy;
let served = 0;

/** The simulator's files, passed on chunked (no content-length): the size is only known by counting. */
async function startChunkedProxy() {
	let target;
	const server = http.createServer(async (req, res) => {
		const upstream = await fetch(`${target}${req.url}`);
		res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
		for await (const chunk of upstream.body) {
			served += chunk.length;
			if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
		}
		res.end();
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		setTarget: (url) => (target = url),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

beforeAll(async () => {
	proxy = await startChunkedProxy();
	// 1 MB videos; 16 MB for a job whose image URL says `big`.
	const videoBytes = (job) => (JSON.stringify(job.body).includes('big') ? 16 : 1) * 1024 * 1024;
	world = await startWorld({ concurrencyLimit: 0, fileBaseUrl: proxy.url, videoBytes });
	proxy.setTarget(world.simulator.url);
});
afterAll(async () => {
	await world.close();
	await proxy.close();
});
beforeEach(() => {
	world.simulator.reset();
	served = 0;
});

const videos = (extra = {}) => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: 'https://example.com/a.png', download: 'videos', ...extra });

test('files of unstated size arrive whole, byte for byte', async () => {
	const run = await world.engine.runWorkflow(legnextWorkflow(world, videos()));
	expect(run.status).toBe('success');
	const output = run.output('Legnext');
	expect(output).toHaveLength(4);
	for (const item of output) {
		const stored = await world.engine.binaryBuffer(item.binary.data);
		const direct = Buffer.from(await (await fetch(item.json.file.url.replace(proxy.url, world.simulator.url))).arrayBuffer());
		expect(stored.length).toBe(direct.length);
		expect(stored.equals(direct)).toBe(true);
	}
});

test('a file of unstated size over the limit is cut off at the limit, with the limit in the error', async () => {
	const run = await world.engine.runWorkflow(legnextWorkflow(world, videos({ imageUrl: 'https://example.com/big.png', maxFileSizeMb: 0.25 })));
	expect(run.status).toBe('error');
	expect(run.error.message).toMatch(/The file video 0 of job [0-9a-f-]{36} is larger than the 0.25 MB limit/);
	// The download stopped near the limit (what the sockets had taken in), not at the end of the 16 MB file.
	expect(served).toBeLessThan(8 * 1024 * 1024);
});
