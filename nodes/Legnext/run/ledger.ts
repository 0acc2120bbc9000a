import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiRequest } from '../../shared/api';
import { maskSecrets } from '../../shared/secrets';

/**
 * The ledger: which items of a node run already created a job, or may have (a 5xx, a lost answer).
 * Every later try of the same run hands an item its job back instead of paying again: n8n's Retry
 * On Fail, which runs the node again in the same execution, and n8n's Retry of a failed execution,
 * which runs the failed node again in a new execution made from the failed one's saved data.
 *
 * It lives in the node's context of the execution (`getContext('node')`), which n8n saves with the
 * execution's data and carries into a Retry of it — not in this process's memory: in queue mode the
 * Retry may run on another worker. A new run (another execution, or the editor's Execute step) starts
 * with an empty context, and so sends its items anew.
 */

export type Submission =
	| { state: 'created'; job: IDataObject }
	| { state: 'uncertain'; message: string; description?: string };

/** Where in the node's context the ledger is kept (an n8n execution's data, shown to its readers). */
const LEDGER_FIELD = 'legnextSubmissions';

/** FNV-1a: a short, stable fingerprint of the request body (a Describe body may be megabytes). */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(36);
}

/**
 * n8n's signed binary URL (binaryImage.ts) is signed anew on every try, with its time in the token:
 * the same file gets another URL on a retry. Its file's ID stands for it in the fingerprint.
 */
const SIGNED_TOKEN = /(\/rest\/binary-data\/signed\?token=)[\w-]+\.([\w-]+)\.[\w-]+/g;

function fileIdOf(payload: string): string {
	try {
		const id = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { id?: unknown }).id;
		return typeof id === 'string' ? id : payload;
	} catch {
		return payload;
	}
}

/**
 * An item of the node run and what it pays for. The callback is left out: with Pause Until Callback it
 * is the execution's own resume URL, which a Retry of the execution changes, while the job stays the same.
 */
export function submissionKey(request: ApiRequest, itemIndex: number): string {
	const paid: IDataObject = { ...(request.body ?? {}) };
	delete paid.callback;
	const body = JSON.stringify(paid).replace(SIGNED_TOKEN, (_, prefix: string, payload: string) => `${prefix}${fileIdOf(payload)}`);
	return [itemIndex, request.path, fingerprint(body)].join(':');
}

export interface Ledger {
	previous(key: string): Submission | undefined;
	record(key: string, submission: Submission): void;
}

/**
 * The ledger of this node run, read once per run. Only the run a retry repeats is kept: a retry runs
 * the node again at the same run index (n8n's Retry drops the failed run first), while in a loop every
 * round is a new run, whose jobs are its own; the rounds before it are done.
 */
export function openLedger(ctx: IExecuteFunctions): Ledger {
	const runIndex = Number(ctx.getWorkflowDataProxy(0).$runIndex ?? 0);
	const context = ctx.getContext('node');
	const kept = context[LEDGER_FIELD] as { runIndex?: number; submissions?: IDataObject } | undefined;
	const submissions: IDataObject = kept?.runIndex === runIndex && kept.submissions ? kept.submissions : {};
	context[LEDGER_FIELD] = { runIndex, submissions };
	return {
		previous: (key) => submissions[key] as Submission | undefined,
		// Kept as JSON (n8n stores it with the execution), and without secrets: a submit's answer may
		// echo the callback URL with the Legnext Trigger's token or the resume URL's signature.
		record: (key, submission) => {
			submissions[key] = JSON.parse(maskSecrets(JSON.stringify(submission))) as IDataObject;
		},
	};
}
