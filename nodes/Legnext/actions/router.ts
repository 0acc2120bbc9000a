import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { legnextRequest, type ApiRequest } from '../../shared/api';
import { jobToJson, type LegnextJob } from '../../shared/job';
import { previousSubmission, recordSubmission, submissionKey } from '../../shared/submissions';
import { checkHttpUrl } from '../../shared/validate';
import type { LegnextOperation } from './operation';
import { findOperation } from './resources';

interface NodeOptions {
	callbackUrl?: string;
	simplify?: boolean;
	concurrency?: number;
}

type Prepared = { request: ApiRequest } | { error: Error };

/**
 * Runs one operation over all input items: every item is validated before the first request,
 * jobs are submitted a few at a time, and the output has one item per input item, in order.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${resource} → ${operationName}" is not known`, {
			description: 'Open the node and choose an operation again.',
		});
	}

	// Nothing is sent until every item has passed its checks: a bad item 7 must not leave items
	// 0–6 submitted and paid for when the execution then stops.
	const prepared: Prepared[] = items.map((_, itemIndex) => {
		try {
			return { request: prepareRequest(this, operation, itemIndex) };
		} catch (error) {
			return { error: error as Error };
		}
	});
	const invalid = prepared.find((entry) => 'error' in entry);
	if (invalid && 'error' in invalid && !this.continueOnFail()) throw invalid.error;

	const concurrency = Math.max(1, Math.floor(nodeOptions(this, 0).concurrency ?? 6));
	const results = await mapWithConcurrency(prepared, concurrency, async (entry, itemIndex) => {
		if ('error' in entry) return entry;
		try {
			return { json: await runItem(this, operation, entry.request, itemIndex) };
		} catch (error) {
			return { error: error as Error };
		}
	});

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, result] of results.entries()) {
		if ('json' in result) {
			output.push({ json: result.json, pairedItem: { item: itemIndex } });
		} else if (this.continueOnFail()) {
			output.push({ json: errorJson(result.error), pairedItem: { item: itemIndex } });
		} else {
			throw result.error;
		}
	}
	return [output];
}

function nodeOptions(ctx: IExecuteFunctions, itemIndex: number): NodeOptions {
	return ctx.getNodeParameter('options', itemIndex, {}) as NodeOptions;
}

function prepareRequest(ctx: IExecuteFunctions, operation: LegnextOperation, itemIndex: number): ApiRequest {
	const request = operation.request(ctx, itemIndex);
	if (operation.kind !== 'submit') return request;
	const callbackUrl = String(nodeOptions(ctx, itemIndex).callbackUrl ?? '').trim();
	// An empty callback is never sent: Legnext would try to call "".
	if (callbackUrl) {
		request.body = { ...request.body, callback: checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', callbackUrl) };
	}
	return request;
}

async function runItem(
	ctx: IExecuteFunctions,
	operation: LegnextOperation,
	request: ApiRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const answer =
		operation.kind === 'submit'
			? await submitOnce(ctx, request, itemIndex)
			: await legnextRequest<IDataObject>(ctx, request, { kind: 'read', itemIndex });
	if (operation.toJson) return operation.toJson(answer);
	const simplify = nodeOptions(ctx, itemIndex).simplify !== false;
	return jobToJson(answer as unknown as LegnextJob, simplify ? 'simplified' : 'raw');
}

/** Submits a paid job, unless an earlier try of this same node run already did. */
async function submitOnce(ctx: IExecuteFunctions, request: ApiRequest, itemIndex: number): Promise<IDataObject> {
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

function errorJson(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description) json.details = description;
	return json;
}

/** Like Promise.all over a map, with at most `limit` calls running; results keep input order. */
async function mapWithConcurrency<T, R>(
	entries: T[],
	limit: number,
	call: (entry: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await call(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
	return results;
}
