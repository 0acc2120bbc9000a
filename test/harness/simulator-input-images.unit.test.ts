/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code, not node code */
// The simulator fetches the input images a job names, as Legnext does (test/simulator/input-images.js):
// a job whose image it cannot read is accepted, then ends failed naming the URL, and its points come back.
import * as http from 'http';
import type { AddressInfo } from 'net';

import { inputImageUrls } from './simulator/input-images';
import { Sim, submit, call, pollUntilDone, startTestSimulator } from './simulator-client';

let sim: Sim;
let images: http.Server;
let imagesUrl: string;
beforeAll(async () => {
	sim = await startTestSimulator();
	// A tiny image host: /ok.png an image, /page an HTML page, /missing.png a 404, /big.png over 10 MB.
	images = http.createServer((req, res) => {
		if (req.url === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64));
		if (req.url === '/page') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
		if (req.url === '/big.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10 * 1024 * 1024 + 1));
		res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', () => resolve()));
	imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await sim.close();
	await new Promise((resolve) => images.close(resolve));
});
beforeEach(() => sim.reset());

test('which URLs of a body are input images (example.com stands for a fetchable one)', () => {
	expect(inputImageUrls('/api/v1/blend', { imgUrls: ['http://a.test/1.png', 'https://example.com/2.png'] })).toEqual(['http://a.test/1.png']);
	expect(inputImageUrls('/api/v1/video-diffusion', { prompt: 'http://a.test/f.png waves --end http://a.test/e.png' })).toEqual([
		'http://a.test/f.png',
		'http://a.test/e.png',
	]);
	expect(inputImageUrls('/api/v1/diffusion', { text: 'a fox --sref http://a.test/s.png' })).toEqual(['http://a.test/s.png']);
	expect(inputImageUrls('/api/v1/inpaint', { jobId: 'x', mask: { url: 'http://a.test/m.png' } })).toEqual(['http://a.test/m.png']);
	expect(inputImageUrls('/api/v1/enhance-upscale', { image_url: 'http://a.test/u.png' })).toEqual(['http://a.test/u.png']);
});

test('an image it can read: the job completes, and the fetch is recorded', async () => {
	const { json } = await submit(sim, 'remove-background', { imgUrl: `${imagesUrl}/ok.png` });
	const { job } = await pollUntilDone(sim, json.job_id);
	expect(job.status).toBe('completed');
	expect(sim.imageFetches).toEqual([{ url: `${imagesUrl}/ok.png`, status: 200, contentType: 'image/png', bytes: 64 }]);
});

test.each([
	['a 404', '/missing.png', /HTTP 404/],
	['a page that is not an image', '/page', /not an image \(content-type text\/html\)/],
	['an image over 10 MB', '/big.png', /larger than 10 MB/],
	['a host nobody answers on', 'unreachable', /ECONNREFUSED/],
])('%s: accepted, then failed naming the URL; the points come back', async (_name, path, reason) => {
	const before = (await call(sim, '/api/account/balance')).json.data.available_points;
	const url = path === 'unreachable' ? 'http://127.0.0.1:9/x.png' : `${imagesUrl}${path}`;
	const answer = await submit(sim, 'blend', { imgUrls: [`${imagesUrl}/ok.png`, url], aspect_ratio: '1:1' });
	expect(answer.status).toBe(200);
	const { job } = await pollUntilDone(sim, answer.json.job_id);
	expect(job.status).toBe('failed');
	expect(job.error).toMatchObject({ code: 10003, message: 'Image fetch failed' });
	expect(job.error.raw_message).toContain(`failed to fetch image ${url}: `);
	expect(job.error.raw_message).toMatch(reason);
	expect((await call(sim, '/api/account/balance')).json.data.available_points).toBe(before);
});
