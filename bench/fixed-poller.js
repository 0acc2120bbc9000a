'use strict';
/**
 * The rivals of row 1: a client that submits a job, then waits `intervalSeconds`, checks, and repeats
 * until the job ends, the way the fal, KIE and PiAPI n8n nodes poll (sleep, then GET: the interval
 * starts when an answer arrives, so each check's round trip is added to the next gap). Plain HTTP to
 * the Legnext simulator, waits compressed by `timeScale` like the node's.
 */

const http = require('http');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Plain http with pooled connections: lighter than fetch, so the rivals' own CPU does not stretch their gaps.
const agent = new http.Agent({ keepAlive: true });

function request(url, { method = 'GET', headers, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, json, text });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** @returns {Promise<{jobId: string, checks: number, status: string}>} */
async function fixedPoll({ baseUrl, apiKey, path, body, intervalSeconds, timeScale }) {
	const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
	const submit = await request(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
	if (submit.status !== 200 || !submit.json?.job_id) throw new Error(`Fixed ${intervalSeconds} s poller: submit answered ${submit.status} ${submit.text}`);
	const jobId = submit.json.job_id;
	let checks = 0;
	for (;;) {
		await sleep((intervalSeconds * 1000) / timeScale);
		const answer = await request(`${baseUrl}/api/v1/job/${jobId}`, { headers });
		checks++;
		// A failed check (rare on loopback) is simply tried again at the next interval, like the rivals do.
		const status = answer.status === 200 ? answer.json?.status : undefined;
		if (status === 'completed' || status === 'failed') return { jobId, checks, status };
	}
}

module.exports = { fixedPoll };
