/* eslint-disable @n8n/community-nodes/no-restricted-globals, @typescript-eslint/no-explicit-any -- test support, not node code */
// Talking to the Legnext simulator from its own tests (test/harness/simulator*.test.ts): plain HTTP calls,
// polling to the end, downloads, and the simulator they share.
import { startSimulator } from './simulator/server';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type Json = Record<string, any>;

export const KEY = 'test-key';
export const OTHER_KEY = 'other-key';
export const SCALE = 100; // job seconds per real second: a 12 s job takes 120 ms

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function call(sim: Sim, path: string, init: { method?: string; body?: unknown; raw?: string; key?: string | null } = {}) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (init.key !== null) headers['x-api-key'] = init.key ?? KEY;
	const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
	const response = await fetch(sim.url + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
	const text = await response.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json: json as Json };
}


export const submit = (sim: Sim, path: string, body: unknown, key?: string) => call(sim, `/api/v1/${path}`, { body, key });
export const getJob = (sim: Sim, id: string, key?: string) => call(sim, `/api/v1/job/${id}`, { key });

/** Poll until terminal; returns every status seen, in order (no repeats). */
export async function pollUntilDone(sim: Sim, id: string, key?: string): Promise<{ job: Json; seen: string[] }> {
	const seen: string[] = [];
	for (let i = 0; i < 2000; i++) {
		const { json } = await getJob(sim, id, key);
		if (seen[seen.length - 1] !== json.status) seen.push(json.status);
		if (['completed', 'failed', 'canceled', 'cancelled'].includes(json.status)) return { job: json, seen };
		await sleep(3);
	}
	throw new Error(`job ${id} never finished`);
}


export async function download(url: string) {
	const response = await fetch(url);
	return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}


export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const ZERO = '0001-01-01T00:00:00Z';
export const SIGNED = /^http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f-]{36}\/(grid|\d)\.(png|mp4)\?Expires=\d+&Signature=[^&]+$/;

/**
 * The simulator both test files use: two keys, short jobs (in job seconds), small videos. `durations`:
 * other job lengths than these (per task type, in job seconds).
 */
export async function startTestSimulator({ durations = {} }: { durations?: Record<string, { pending: number; processing: number }> } = {}): Promise<Sim> {
	return await startSimulator({
		apiKeys: [KEY, OTHER_KEY],
		timeScale: SCALE,
		durations: { diffusion: { pending: 2, processing: 10 }, video_diffusion: { pending: 1, processing: 12 }, upscale: { pending: 1, processing: 5 }, ...durations },
		videoBytes: 100_000,
	});
}
