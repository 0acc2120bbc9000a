import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

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

/** FNV-1a: a short, stable fingerprint (an input item may hold megabytes of JSON). */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(36);
}

/** A binary file of the input item, by what stays the same on every try: n8n's file ID, or its name and size. */
function fileIdentity(binary: IBinaryData): string {
	return binary.id ?? `${binary.fileName ?? ''}:${binary.mimeType}:${binary.fileSize ?? String(binary.data ?? '').length}`;
}

/**
 * An item of the node run, whatever its expressions return on this try: its position, the input item
 * (JSON and files) and the node's settings as written (raw parameters, expressions unevaluated). A
 * prompt of `{{ $now }}` or a random `--seed` gives another request on every try, yet it is the same
 * item, and a retry hands it its job back. A workflow edited before n8n's Retry of the execution (its
 * parameters changed) sends anew: the user asked for something else.
 */
function submissionKey(ctx: IExecuteFunctions, itemIndex: number): string {
	const item = ctx.getInputData()[itemIndex];
	const files = Object.entries(item?.binary ?? {}).map(([property, binary]) => `${property}=${fileIdentity(binary)}`);
	const input = JSON.stringify(item?.json ?? {}) + files.join(',');
	return [itemIndex, fingerprint(input), fingerprint(JSON.stringify(ctx.getNode().parameters))].join(':');
}

/**
 * What a retry needs of a created job, no more: the ledger is stored with the execution's data, for
 * every item of the run, and the whole submit answer (its callback URL, placeholders for output, empty
 * logs and errors) was most of what Don't Wait's execution stored per item. A retry reads the job
 * again before it uses anything else of it (../wait: Poll reads a handed-back job at once, Don't Wait
 * reads it once), and the run's budget counts what the job froze.
 */
function handBack(job: IDataObject): IDataObject {
	const { job_id, task_type, status } = job;
	const usage = (job.meta as IDataObject | undefined)?.usage;
	return { job_id, task_type, status, ...(usage === undefined ? {} : { meta: { usage } }) };
}

export interface Ledger {
	/** What an earlier try of this node run did for the item. */
	previous(itemIndex: number): Submission | undefined;
	record(itemIndex: number, submission: Submission): void;
	/** Whether an earlier try created a job for any of these items: this try hands jobs back. */
	handsBack(itemIndexes: number[]): boolean;
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
	const keys = new Map<number, string>();
	const keyOf = (itemIndex: number) => {
		let key = keys.get(itemIndex);
		if (key === undefined) keys.set(itemIndex, (key = submissionKey(ctx, itemIndex)));
		return key;
	};
	const previous = (itemIndex: number) => submissions[keyOf(itemIndex)] as Submission | undefined;
	return {
		previous,
		// Kept as JSON (n8n stores it with the execution), and without secrets: a submit's answer may
		// echo the callback URL with the Legnext Trigger's token or the resume URL's signature.
		record: (itemIndex, submission) => {
			const kept = submission.state === 'created' ? { state: 'created', job: handBack(submission.job) } : submission;
			submissions[keyOf(itemIndex)] = JSON.parse(maskSecrets(JSON.stringify(kept))) as IDataObject;
		},
		handsBack: (itemIndexes) => itemIndexes.some((itemIndex) => previous(itemIndex)?.state === 'created'),
	};
}
