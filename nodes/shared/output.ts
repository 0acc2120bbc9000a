import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeFiles, downloadFile, filesToDownload, type DownloadOptions } from './files';
import { isFailed, isTerminal, jobToJson, type LegnextJob } from './job';
import { failedJobError } from './jobErrors';
import type { OutputSettings } from './parameters';


type OutputContext = IExecuteFunctions | IWebhookFunctions;

/**
 * What became of one input item: a job (submitted, waited for or read), another answer, or an error
 * — `expected` when it is what the user asked for (an item past Max Points per Run), which becomes
 * an error item without failing the node.
 */
export type Outcome = { job: LegnextJob } | { json: IDataObject } | { error: Error; job?: LegnextJob; expected?: boolean };

export interface OutputOptions extends OutputSettings {
	/** Throw errors (execute() without Continue On Fail) instead of making error items. */
	throwErrors?: boolean;
	/** The trigger starts the workflow with the job even when its files cannot be had. */
	filesOptional?: boolean;
	/**
	 * Exactly one item for the job, its files all on it as with "All Files on One Item" when there are
	 * several: the resume of Pause Until Callback, whose output n8n pairs with the node's input items
	 * by position (n8n-core's `addPairedItemLineage` overwrites every `pairedItem`), so that one item
	 * per file would pair item 0's second file with item 1.
	 */
	oneItemPerJob?: boolean;
}

/**
 * The only place output items are made, for the Legnext node, its resume and the trigger: the
 * job's JSON (simplified or raw), its files as binary data, or an error item.
 */
export async function outputItems(
	ctx: OutputContext,
	outcome: Outcome,
	itemIndex: number,
	options: OutputOptions,
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: itemIndex };
	const job = 'job' in outcome ? outcome.job : undefined;
	const fail = (error: Error): INodeExecutionData[] => {
		if (options.throwErrors) throw error;
		return [errorItem(error, itemIndex, job)];
	};
	if ('error' in outcome) return outcome.expected ? [errorItem(outcome.error, itemIndex)] : fail(outcome.error);
	if ('json' in outcome) return [{ json: outcome.json, pairedItem }];

	if (!job) return [];
	const json = jobToJson(job, options.simplify ? 'simplified' : 'raw');
	if (options.downloads.download === 'none') return [{ json, pairedItem }];
	if (isFailed(job)) return options.filesOptional ? [{ json, pairedItem }] : fail(failedJobError(ctx.getNode(), job, itemIndex));
	try {
		return await jobFiles(ctx, job, json, options, itemIndex);
	} catch (error) {
		// The job still starts the workflow; the files can be fetched again with Job → Get.
		if (!options.filesOptional) return fail(error as Error);
		const details = (error as { description?: string }).description ?? '';
		return [{ json: { ...json, downloadError: `${(error as Error).message}. ${details}`.trim() }, pairedItem }];
	}
}

/** The job's JSON with its files as binary data, one item per file or all on one item. */
async function jobFiles(
	ctx: OutputContext,
	job: LegnextJob,
	json: IDataObject,
	options: OutputOptions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: itemIndex };
	const downloads: DownloadOptions = options.downloads;
	const files = filesToDownload(job, downloads);
	if (files.length === 0) {
		// The trigger sees every kind of job: one without files of the chosen kind still starts the workflow.
		if (options.filesOptional) return [{ json, pairedItem }];
		if (!isTerminal(job)) {
			throw new NodeOperationError(ctx.getNode(), `Job ${job.job_id} is still "${job.status}": it has no files yet (item ${itemIndex})`, {
				description: 'Choose "Poll Until Done" under "Wait for Result", or read the job again later with Job → Get.',
				itemIndex,
			});
		}
		throw new NodeOperationError(ctx.getNode(), `Job ${job.job_id} has no files of the kind chosen in "Download Files" (item ${itemIndex})`, {
			description: `The job (task type "${job.task_type}") produced ${describeFiles(job)}. Choose another "Download Files" value, or "Don't Download".`,
			itemIndex,
		});
	}
	const binaries: IBinaryData[] = [];
	for (const file of files) binaries.push(await downloadFile(ctx, job, file, downloads, itemIndex));

	if (downloads.layout === 'filesOnOneItem' || (options.oneItemPerJob && files.length > 1)) {
		const binary = Object.fromEntries(files.map((file, n) => [file.kind === 'grid' ? 'grid' : `${file.kind}_${file.index}`, binaries[n]]));
		return [{ json, binary, pairedItem }];
	}
	return files.map((file, n) => ({
		json: { ...json, file: { kind: file.kind, index: file.index ?? null, url: file.url } },
		binary: { data: binaries[n] },
		pairedItem,
	}));
}

/**
 * An item for an error, with `error` and `details` only. n8n routes such an item to the error
 * output ("Continue (using error output)"), and keeps `details`: it rewrites the JSON of any
 * item that carries the error object itself to `{error: message}` (normalizeNodeErrors).
 */
export function errorItem(error: Error, itemIndex: number, job?: LegnextJob): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	let details = typeof description === 'string' ? description : '';
	// A job that was created is paid for: its item names it, whatever the error said.
	if (job?.job_id && !`${error.message} ${details}`.includes(job.job_id)) {
		details = `${details} Job ${job.job_id} was created for this item: pick it up with a Legnext node set to Job → Get.`.trim();
	}
	if (details) json.details = details;
	return { json, pairedItem: { item: itemIndex } };
}
