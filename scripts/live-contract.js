#!/usr/bin/env node
'use strict';
/**
 * `npm run test:live`: the simulator's contract checked against the real Legnext, for a maintainer
 * with a key (no machine of the project reaches Legnext). Runs the requests that cost nothing or
 * little against both, and prints, rule by rule, where the real answers differ from the simulator's:
 * the balance, GET /api/account/active_tasks, refused requests (a wrong key, a body without its
 * field, Blend without a body: which shape this Legnext takes), an unknown job, and one Shorten (20
 * points) read to its end (statuses, `meta` times, outputs). Never part of `npm test`.
 *
 *   LEGNEXT_API_KEY=… [LEGNEXT_BASE_URL=https://api.legnext.ai] npm run test:live
 *
 * Without LEGNEXT_API_KEY it says it was skipped and exits 0. The key is sent only to Legnext and
 * never printed.
 */
const crypto = require('crypto');
const { startSimulator } = require('../test/harness/simulator/server');

const KEY = process.env.LEGNEXT_API_KEY;
const BASE = (process.env.LEGNEXT_BASE_URL || 'https://api.legnext.ai').replace(/\/+$/, '');
const SIM_KEY = 'live-contract-key';

/** A value's shape: its JSON type, and for objects the shapes of their fields. */
function shape(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
	if (typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape(value[key])]));
	return typeof value;
}

/** Where two shapes differ, as paths: "meta.started_at: string ≠ null". */
function differences(a, b, path = '') {
	if (JSON.stringify(a) === JSON.stringify(b)) return [];
	if (typeof a === 'object' && typeof b === 'object' && a && b && !Array.isArray(a) && !Array.isArray(b)) {
		const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
		return keys.flatMap((key) => differences(a[key], b[key], path ? `${path}.${key}` : key));
	}
	const show = (s) => (s === undefined ? 'absent' : JSON.stringify(s));
	return [`${path || '(body)'}: simulator ${show(a)} · Legnext ${show(b)}`];
}

async function call(base, key, method, path, body) {
	const headers = { 'content-type': 'application/json' };
	if (key) headers['x-api-key'] = key;
	const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text: json === undefined ? text.slice(0, 200) : undefined };
}

const results = [];
function report(rule, sim, live, extra = []) {
	const diffs = [...(sim.status === live.status ? [] : [`HTTP ${sim.status} · Legnext HTTP ${live.status}`]), ...differences(shape(sim.json), shape(live.json)), ...extra];
	results.push({ rule, diffs });
}

async function both(sim, method, path, body, keys = {}) {
	return [await call(sim.url, keys.sim ?? SIM_KEY, method, path, body), await call(BASE, keys.live ?? KEY, method, path, body)];
}

async function untilDone(base, key, jobId) {
	const seen = [];
	for (let i = 0; i < 120; i++) {
		const { json } = await call(base, key, 'GET', `/api/v1/job/${jobId}`);
		if (json && seen[seen.length - 1]?.status !== json.status) seen.push(json);
		if (json && ['completed', 'failed', 'canceled', 'cancelled'].includes(String(json.status).trim().toLowerCase())) return seen;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	return seen;
}

async function main() {
	if (!KEY) {
		console.log('test:live skipped: LEGNEXT_API_KEY is not set. With a key it compares the real Legnext API with the simulator, rule by rule (it spends about 20 points: one Shorten).');
		return;
	}
	const sim = await startSimulator({ apiKeys: [SIM_KEY], timeScale: 20 });
	try {
		report('balance: GET /api/account/balance', ...(await both(sim, 'GET', '/api/account/balance')));
		const [, balance] = await both(sim, 'GET', '/api/account/balance');
		const data = balance.json?.data ?? {};
		const usd = (Number(data.available_credits) + Number(data.available_points)) / 1000;
		results.push({ rule: 'balance_usd = (credits + points) / 1000', diffs: Math.abs(usd - Number(data.balance_usd)) < 0.002 ? [] : [`Legnext: ${data.balance_usd} for ${data.available_credits} + ${data.available_points}`] });
		report('account concurrency: GET /api/account/active_tasks (simulator: the bare ActiveTasksResponse)', ...(await both(sim, 'GET', '/api/account/active_tasks')));
		const [simWrong, liveWrong] = await both(sim, 'GET', '/api/account/balance', undefined, { sim: 'wrong', live: `wrong-${crypto.randomUUID()}` });
		report('a refused key: 401, raw_message ""', simWrong, liveWrong, liveWrong.json?.raw_message === '' ? [] : [`Legnext raw_message: ${JSON.stringify(liveWrong.json?.raw_message)}`]);
		const [simBad, liveBad] = await both(sim, 'POST', '/api/v1/diffusion', {});
		report('a body without its field: 400 naming it', simBad, liveBad, /text/.test(JSON.stringify(liveBad.json ?? liveBad.text)) ? [] : ['Legnext does not name `text`']);
		const [simBlend, liveBlend] = await both(sim, 'POST', '/api/v1/blend', {});
		const named = /base64Array/.test(JSON.stringify(liveBlend.json ?? liveBlend.text)) ? 'base64Array' : /imgUrls/.test(JSON.stringify(liveBlend.json ?? liveBlend.text)) ? 'imgUrls' : 'neither';
		report(`Blend's shape: the 400 names ${named} (simulator default imgUrls; switch blendShape)`, simBlend, liveBlend, named === 'imgUrls' ? [] : [`this Legnext takes ${named}: the simulator plays it with blendShape: 'base64Array'`]);
		const unknown = crypto.randomUUID();
		report('an unknown job: 404', ...(await both(sim, 'GET', `/api/v1/job/${unknown}`)));
		const prompt = 'a lighthouse on a cliff at dawn, oil painting, dramatic sky --ar 16:9';
		const [simShort, liveShort] = await both(sim, 'POST', '/api/v1/shorten', { prompt });
		report('a submit answers a pending job (Shorten, 20 points)', simShort, liveShort, liveShort.json?.status === 'pending' ? [] : [`Legnext status ${JSON.stringify(liveShort.json?.status)}`]);
		if (liveShort.json?.job_id) {
			const simSeen = await untilDone(sim.url, SIM_KEY, simShort.json.job_id);
			const liveSeen = await untilDone(BASE, KEY, liveShort.json.job_id);
			const known = ['pending', 'staged', 'queued', 'processing', 'running', 'completed', 'failed', 'canceled', 'cancelled'];
			const strange = liveSeen.map((job) => job.status).filter((status) => !known.includes(String(status).trim().toLowerCase()));
			results.push({ rule: `statuses Legnext showed (${liveSeen.map((j) => j.status).join(' → ')}) are ones the simulator plays (both spellings: statusSpelling)`, diffs: strange.map((status) => `unknown status ${JSON.stringify(status)}`) });
			const times = (job) => JSON.stringify([job?.meta?.started_at, job?.meta?.ended_at].map((t) => (t === '' ? '""' : String(t).startsWith('0001') ? 'zero time' : t ? 'a time' : String(t))));
			results.push({ rule: 'meta times of a job not started, in the submit answer ("" or Go\'s zero time: switch pendingShape)', diffs: times(simShort.json) === times(liveShort.json) ? [] : [`simulator ${times(simShort.json)} · Legnext ${times(liveShort.json)}`] });
			report('the ended Shorten job (GET /api/v1/job)', { status: 200, json: simSeen.at(-1) }, { status: 200, json: liveSeen.at(-1) });
		}
	} finally {
		await sim.close();
	}
	let same = 0;
	for (const { rule, diffs } of results) {
		if (!diffs.length) same++;
		console.log(`${diffs.length ? '✗' : '✓'} ${rule}`);
		for (const diff of diffs) console.log(`    ${diff}`);
	}
	console.log(`\n${same} of ${results.length} rules answer as the simulator does against ${BASE}. A difference is a rule for the simulator's README (with its source) or a switch, not a test to loosen.`);
}

main().catch((error) => {
	console.error(error?.stack ?? String(error));
	process.exit(1);
});
