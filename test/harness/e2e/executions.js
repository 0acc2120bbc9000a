// Executions as n8n's public API returns them (`/api/v1/executions?includeData=true`): waiting for
// one, reading a node's output, its errors, its binary data.
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** The first finished execution of a workflow that is not in `knownIds`. */
async function waitForNewFinishedExecution(n8n, workflowId, knownIds = [], timeoutMs = 90000) {
	const known = new Set(knownIds.map(String));
	return n8n.waitForExecution((e) => !known.has(String(e.id)) && FINISHED.includes(e.status), timeoutMs, { workflowId });
}

async function executionIds(n8n, workflowId) {
	return (await n8n.listExecutions(workflowId, { limit: 250 })).map((e) => String(e.id));
}

/** The node's output items of its last run (main output 0). */
function nodeOutput(execution, nodeName, output = 0) {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[runs.length - 1].data?.main?.[output] ?? [];
}

/** Every error message an execution carries: the workflow's, and each node run's. */
function errorMessages(execution) {
	const messages = [];
	const resultData = execution.data?.resultData ?? {};
	if (resultData.error?.message) messages.push(resultData.error.message);
	for (const runs of Object.values(resultData.runData ?? {})) {
		for (const run of runs) if (run.error?.message) messages.push(run.error.message);
	}
	return messages;
}

/** Compact text for assertion messages. */
function describeExecution(execution) {
	if (!execution) return 'no execution';
	const nodes = Object.entries(execution.data?.resultData?.runData ?? {})
		.map(([name, runs]) => `${name}: ${runs.map((r) => r.executionStatus ?? (r.error ? 'error' : 'ok')).join(',')}`)
		.join('; ');
	return `execution ${execution.id} status=${execution.status} [${nodes}] errors=${JSON.stringify(errorMessages(execution))}`;
}

/** Throws, naming what the execution did, unless it ended with `status`. */
function expectStatus(execution, status) {
	if (execution?.status !== status) throw new Error(`Expected status "${status}": ${describeExecution(execution)}`);
}

/** The bytes of a binary data item, as the editor downloads them (`/rest/binary-data`). */
async function binaryBytes(n8n, binary) {
	// Without an id the bytes sit in the execution, base64 (n8n 1.x's default binary data mode).
	if (!binary.id) return { bytes: Buffer.from(binary.data, 'base64'), contentType: binary.mimeType };
	const url = `${n8n.baseUrl}/rest/binary-data?${new URLSearchParams({ id: binary.id, action: 'download' })}`;
	const response = await fetch(url, { headers: { cookie: n8n.cookie, 'browser-id': n8n.browserId } });
	if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
	return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

module.exports = { FINISHED, waitForNewFinishedExecution, executionIds, nodeOutput, errorMessages, describeExecution, expectStatus, binaryBytes };
