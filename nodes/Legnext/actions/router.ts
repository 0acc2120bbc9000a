import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { legnextRequest, type ApiRequest } from '../../shared/api';
import { clock } from '../../shared/clock';
import { jobToJson, type LegnextJob } from '../../shared/job';
import { pollUntilDone } from '../wait/poll';
import { jobItems, readDownloadOptions } from '../../shared/results';
import { previousSubmission, recordSubmission, submissionKey } from '../../shared/submissions';
import { callbackFor } from './callbackTarget';
import { mapWithConcurrency } from './concurrency';
import type { LegnextOperation } from './operation';
import { pauseUntilCallback } from './pauseUntilCallback';
import { findOperation } from './resources';

export type WaitMode = 'none' | 'poll' | 'callback';

export interface NodeOptions {
	simplify?: boolean;
	concurrency?: number;
}

export type Prepared = { request: ApiRequest } | { error: Error };
type Outcome = { answer: IDataObject } | { error: Error };

/**
 * Runs one operation over all input items: every item is validated before the first request,
 * jobs are submitted a few at a time and awaited together, and the output keeps input order with
 * each item paired to its input.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = currentOperation(this);
	const waitMode = operation.kind === 'submit' ? (this.getNodeParameter('waitMode', 0, 'poll') as WaitMode) : 'none';

	// Nothing is sent until every item has passed its checks: a bad item 7 must not leave items
	// 0–6 submitted and paid for when the execution then stops.
	const prepared: Prepared[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push({ request: await prepareRequest(this, operation, itemIndex, waitMode) });
		} catch (error) {
			prepared.push({ error: error as Error });
		}
	}
	const invalid = prepared.find((entry) => 'error' in entry);
	if (invalid && 'error' in invalid && !this.continueOnFail()) throw invalid.error;

	if (waitMode === 'callback') return await pauseUntilCallback(this, prepared);

	const concurrency = concurrencyOf(this);
	// A slot is held from submit until the job ends: Legnext caps running jobs, not requests.
	const outcomes = await mapWithConcurrency(prepared, concurrency, async (entry, itemIndex): Promise<Outcome> => {
		if ('error' in entry) return entry;
		try {
			return { answer: await runItem(this, operation, entry.request, itemIndex, waitMode) };
		} catch (error) {
			return { error: error as Error };
		}
	});

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		output.push(...(await outputItems(this, operation, outcome, itemIndex)));
	}
	return [output];
}

export function currentOperation(ctx: IExecuteFunctions): LegnextOperation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${resource} → ${operationName}" is not known`, {
			description: 'Open the node and choose an operation again.',
		});
	}
	return operation;
}

/** How many items are sent (and awaited) at once; Legnext's standard cap on running jobs is 6. */
export function concurrencyOf(ctx: IExecuteFunctions): number {
	return Math.max(1, Math.floor(nodeOptions(ctx, 0).concurrency ?? 6));
}

export function timeLimitMsOf(ctx: IExecuteFunctions, itemIndex: number): number {
	return Number(ctx.getNodeParameter('timeLimitMinutes', itemIndex, 15)) * 60_000;
}

export function nodeOptions(ctx: IExecuteFunctions, itemIndex: number): NodeOptions {
	return ctx.getNodeParameter('options', itemIndex, {}) as NodeOptions;
}

async function prepareRequest(
	ctx: IExecuteFunctions,
	operation: LegnextOperation,
	itemIndex: number,
	waitMode: WaitMode,
): Promise<ApiRequest> {
	const request = await operation.request(ctx, itemIndex);
	// With "Pause until callback" the callback is n8n's resume URL, set when the job is sent.
	if (operation.kind !== 'submit' || waitMode === 'callback') return request;
	const callback = await callbackFor(ctx, itemIndex);
	if (callback) request.body = { ...request.body, callback };
	return request;
}

async function runItem(
	ctx: IExecuteFunctions,
	operation: LegnextOperation,
	request: ApiRequest,
	itemIndex: number,
	waitMode: WaitMode,
): Promise<IDataObject> {
	if (operation.kind !== 'submit') return await legnextRequest<IDataObject>(ctx, request, { kind: 'read', itemIndex });
	const submittedAt = clock.now();
	const job = await submitOnce(ctx, request, itemIndex);
	if (waitMode !== 'poll') return job;
	const timeLimitMs = timeLimitMsOf(ctx, itemIndex);
	const done = await pollUntilDone(ctx, job as unknown as LegnextJob, { itemIndex, timeLimitMs, submittedAt, request: request.body });
	return done.job as unknown as IDataObject;
}

/** The item's output: its job (with files when asked), its answer, or an error item. */
export async function outputItems(
	ctx: IExecuteFunctions,
	operation: LegnextOperation,
	outcome: Outcome,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	let error = 'error' in outcome ? outcome.error : undefined;
	if ('answer' in outcome) {
		if (operation.toJson) return [{ json: operation.toJson(outcome.answer), pairedItem: { item: itemIndex } }];
		const job = outcome.answer as unknown as LegnextJob;
		const json = jobToJson(job, nodeOptions(ctx, itemIndex).simplify === false ? 'raw' : 'simplified');
		try {
			return await jobItems(ctx, job, json, readDownloadOptions(ctx, itemIndex), itemIndex);
		} catch (downloadError) {
			error = downloadError as Error;
		}
	}
	if (!ctx.continueOnFail()) {
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	return [errorItem(error as Error, itemIndex)];
}

/** Submits a paid job, unless an earlier try of this same node run already did. */
export async function submitOnce(ctx: IExecuteFunctions, request: ApiRequest, itemIndex: number): Promise<IDataObject> {
	const key = submissionKey(ctx, itemIndex, request.path, request.body);
	const previous = previousSubmission(key);
	if (previous?.state === 'created') return previous.job;
	if (previous?.state === 'uncertain') {
		throw new NodeOperationError(ctx.getNode(), `An earlier try may already have created this job (item ${itemIndex})`, {
			description:
				'n8n is retrying the node, but the first try ended without an answer from Legnext. To avoid paying twice it is not sent again: check your Legnext dashboard, then run the workflow again.',
			itemIndex,
		});
	}
	const outcome = await legnextRequest<IDataObject>(ctx, request, { kind: 'submit', itemIndex }).then(
		(job) => ({ job }),
		(error: Error) => ({ error }),
	);
	if ('error' in outcome) {
		if (jobMayExist(outcome.error)) recordSubmission(key, { state: 'uncertain' });
		throw outcome.error;
	}
	recordSubmission(key, { state: 'created', job: outcome.job });
	return outcome.job;
}

/** A 4xx answer is a refusal; anything else (5xx, lost answer) may hide a created job. */
function jobMayExist(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	if (error.context?.neverSent === true) return false;
	const status = Number(error.httpCode);
	return !(status >= 400 && status < 500);
}

/**
 * n8n's shape for an item that failed under "Continue On Fail": `json.error` (+ `details`), and the
 * error itself on the item so "Continue (using error output)" routes it to the error output.
 */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description) json.details = description;
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) item.error = error;
	return item;
}
