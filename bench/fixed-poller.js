'use strict';
/**
 * The rivals of row 1: a client that submits a job, then waits `intervalSeconds`, checks, and repeats
 * until the job ends, the way the fal, KIE and PiAPI n8n nodes poll (sleep, then GET: the interval
 * starts when an answer arrives, so each check's round trip is added to the next gap). Plain HTTP to
 * the Legnext simulator, waits compressed by `timeScale` like the node's.
 */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @returns {Promise<{jobId: string, checks: number, status: string}>} */
async function fixedPoll({ baseUrl, apiKey, path, body, intervalSeconds, timeScale }) {
	const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
	const submit = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
	const job = await submit.json();
	if (!submit.ok) throw new Error(`Fixed ${intervalSeconds} s poller: submit answered ${submit.status} ${JSON.stringify(job)}`);
	let checks = 0;
	for (;;) {
		await sleep((intervalSeconds * 1000) / timeScale);
		const answer = await fetch(`${baseUrl}/api/v1/job/${job.job_id}`, { headers });
		checks++;
		// A failed check (rare on loopback) is simply tried again at the next interval, like the rivals do.
		if (!answer.ok) {
			await answer.arrayBuffer();
			continue;
		}
		const now = await answer.json();
		if (now.status === 'completed' || now.status === 'failed') return { jobId: job.job_id, checks, status: now.status };
	}
}

module.exports = { fixedPoll };
