import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * Remembers which items of a node run already created a job. n8n's "Retry On Fail" runs the whole
 * node again when it throws (or when its first item is an error item), including items that were
 * already submitted and paid for; this ledger hands those items their job back instead of
 * submitting again. Kept in memory, bounded, for the life of the n8n process.
 */
export type Submission = { state: 'created'; job: IDataObject } | { state: 'uncertain' };

const MAX_ENTRIES = 10_000;
const TTL_MS = 6 * 60 * 60 * 1000;

const ledger = new Map<string, { submission: Submission; at: number }>();

/** FNV-1a: a short, stable fingerprint of the request body (a Describe body may be megabytes). */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(36);
}

export function submissionKey(ctx: IExecuteFunctions, itemIndex: number, path: string, body: unknown): string | undefined {
	const executionId = ctx.getExecutionId();
	if (!executionId) return undefined;
	const node = ctx.getNode();
	return [executionId, node.id, Number(ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0), itemIndex, path, fingerprint(JSON.stringify(body ?? null))].join(':');
}

export function previousSubmission(key: string | undefined): Submission | undefined {
	if (!key) return undefined;
	const entry = ledger.get(key);
	if (!entry) return undefined;
	if (Date.now() - entry.at > TTL_MS) {
		ledger.delete(key);
		return undefined;
	}
	return entry.submission;
}

export function recordSubmission(key: string | undefined, submission: Submission): void {
	if (!key) return;
	ledger.delete(key);
	ledger.set(key, { submission, at: Date.now() });
	// Map keeps insertion order: the first key is the oldest.
	while (ledger.size > MAX_ENTRIES) ledger.delete(ledger.keys().next().value as string);
}
