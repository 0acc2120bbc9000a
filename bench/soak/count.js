'use strict';
/**
 * The soak's books (bench/soak.js): from what the simulator was sent and created, and every
 * execution n8n kept (its public API, with data), which jobs a user can find in n8n and which not.
 *
 * - created: jobs the simulator created for the soak's prompts; submits per job: the submit
 *   requests of those prompts (answered or not) ÷ jobs created.
 * - named: a job whose ID is in an execution's run data (an output item, an error item, a node's
 *   error: what n8n shows the user), in the Legnext workflows or their Legnext Trigger's executions.
 * - doubled: a prompt that created more than one job (paid twice); a job that started its
 *   Legnext Trigger's workflow more than once is counted apart (deliveries).
 * - crashed: jobs of the prompts of a killed worker's executions: n8n 2.x does not run them again and
 *   saves nothing of them (docs/queue-mode.md). n8n ends them `crashed`, or, in queue mode, `error`
 *   with Bull's "This execution failed to be processed too many times" and no node's data at all; their
 *   prompts are then those of the starts n8n answered whose prompts no execution shows (as many starts
 *   as such executions: `unmatched` says otherwise).
 * - lost: created, not named, not crashed. A prompt whose submit got a 5xx created nothing here
 *   (the simulator's 500 comes before the job); its item says a job may exist.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The prompt a request body or job body belongs to (its `soak e<n> p<m>` tag), if any. */
const promptOf = (body) => /soak e\d+ p\d+/.exec(String(body?.text ?? ''))?.[0];

const killed = (execution) =>
	execution.status === 'crashed' ||
	(execution.status === 'error' && Object.keys(execution.data?.resultData?.runData ?? {}).length === 0 && /processed too many times/.test(execution.data?.resultData?.error?.message ?? ''));

function books({ simulator, executions, prompts, starts }) {
	const jobsOf = new Map();
	for (const [jobId, job] of simulator.jobs) {
		const prompt = promptOf(job.body);
		if (!prompt) continue;
		if (!jobsOf.has(prompt)) jobsOf.set(prompt, []);
		jobsOf.get(prompt).push(jobId);
	}
	const submitRequests = simulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && promptOf(r.body));
	const submits = {
		accepted: submitRequests.filter((r) => r.status === 200).length,
		refused429: submitRequests.filter((r) => r.status === 429).length,
		failed5xx: submitRequests.filter((r) => r.status >= 500).length,
		all: submitRequests.length,
	};
	const fiveHundreds = simulator.requests.filter((r) => r.path.startsWith('/api/') && r.status >= 500).length;

	const named = new Set();
	const crashedPrompts = new Set();
	const deliveries = new Map();
	const statuses = {};
	const seen = new Set();
	const killedExecutions = [];
	for (const execution of executions) {
		statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
		const resultData = execution.data?.resultData ?? {};
		const text = JSON.stringify({ runData: resultData.runData ?? {}, error: resultData.error ?? null });
		const ids = new Set(text.match(UUID) ?? []);
		const own = text.match(/soak e\d+ p\d+/g) ?? [];
		for (const prompt of own) seen.add(prompt);
		for (const id of ids) named.add(id);
		if (resultData.runData?.['Legnext Trigger']) for (const id of ids) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
		if (killed(execution)) {
			for (const prompt of own) crashedPrompts.add(prompt);
			killedExecutions.push({ id: execution.id, workflowId: execution.workflowId, status: execution.status, withData: own.length > 0 });
		}
	}
	// A killed execution without data: its prompts are those of an answered start that no execution shows.
	const unseen = starts.filter((start) => start.answered && !prompts.some((p) => p.execution === start.n && seen.has(p.tag)));
	for (const start of unseen) for (const prompt of prompts) if (prompt.execution === start.n) crashedPrompts.add(prompt.tag);
	const unmatched = unseen.length - killedExecutions.filter((e) => !e.withData).length;

	const row = { prompts: prompts.length, created: 0, named: 0, doubled: 0, lost: 0, crashed: 0, crashedNamed: 0 };
	const lostJobs = [];
	const doubledPrompts = [];
	for (const prompt of prompts) {
		const jobs = jobsOf.get(prompt.tag) ?? [];
		row.created += jobs.length;
		if (crashedPrompts.has(prompt.tag)) {
			row.crashed += jobs.length;
			row.crashedNamed += jobs.filter((id) => named.has(id)).length;
			continue;
		}
		if (jobs.length > 1) {
			row.doubled += jobs.length - 1;
			doubledPrompts.push({ prompt: prompt.tag, kind: prompt.kind, execution: prompt.execution, jobs });
		}
		for (const id of jobs) {
			if (named.has(id)) row.named++;
			else {
				row.lost++;
				lostJobs.push({ prompt: prompt.tag, kind: prompt.kind, job: id });
			}
		}
	}
	row.submitsPerJob = row.created ? submits.accepted / row.created : 0;
	row.submits = submits;
	row.doubleDeliveries = [...deliveries.values()].filter((n) => n > 1).length;
	return { row, statuses, fiveHundreds, lostJobs, doubledPrompts, killedExecutions, crashedStarts: unseen.map((start) => start.n), unmatched };
}

module.exports = { books, promptOf };
