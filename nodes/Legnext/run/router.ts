import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiRequest } from '../../shared/api';
import type { LegnextJob } from '../../shared/job';
import { outputItems, type Outcome } from '../../shared/output';
import { readOutputSettings, readRunSettings } from '../../shared/parameters';
import { readReference, withReference } from '../../shared/reference';
import { callbackFor } from './callback';
import { assertAllSucceeded } from './runError';
import { readAll, submitAll, type Prepared } from './submit';
import { WAITS, type Wait } from '../wait';
import type { LegnextOperation, LegnextResource } from './operation';

/**
 * What differs between the node's versions here, handed in by each version: the operations it
 * offers, and whether it has the Wait for Result and Callback fields. Version 1 (Legnext's 0.1.0) has neither: its jobs are output
 * as submitted and its callback is a field of each operation, so those fields must not be read.
 */
export interface RouteSettings {
	resources: LegnextResource[];
	waitAndCallback: boolean;
}

/**
 * One operation over all input items: validate → submit → wait → output. Every item is checked
 * before the first request (a bad item 7 must not leave items 0–6 paid for when the run then
 * stops); the output keeps input order, each item paired to its input.
 */
export async function route(this: IExecuteFunctions, version: RouteSettings): Promise<INodeExecutionData[][]> {
	const operation = currentOperation(this, version.resources);
	const settings = readRunSettings(this, operation.kind === 'submit' && version.waitAndCallback);
	const wait = WAITS[settings.waitMode];

	const prepared = await prepareAll(this, operation, version.waitAndCallback ? wait : undefined);
	const outcomes =
		operation.kind === 'submit'
			? await submitAll(this, prepared, {
					concurrency: settings.concurrency,
					stopAtFirstError: !this.continueOnFail(),
					budget: version.waitAndCallback ? { maxPoints: settings.maxPoints } : undefined,
					untilDone: async (job: LegnextJob, itemIndex: number, request: ApiRequest) =>
						await wait.untilDone(this, job, itemIndex, readRunSettings(this, true, itemIndex), request),
				})
			: await readAll(this, prepared, settings.concurrency, (answer) => ({ job: answer as unknown as LegnextJob }));
	if (!this.continueOnFail()) assertAllSucceeded(this, outcomes);

	if (wait.pause) return await wait.pause(this, outcomes, settings);
	// An operation with its own output shape (Get Balance, version 1's raw jobs) gives one item as it says.
	const shaped = operation.toJson ? outcomes.map((outcome) => withJson(outcome, operation.toJson!)) : outcomes;
	return [await output(this, shaped)];
}

function withJson(outcome: Outcome, toJson: NonNullable<LegnextOperation['toJson']>): Outcome {
	return 'job' in outcome && !('error' in outcome) ? { json: toJson(outcome.job as unknown as IDataObject) } : outcome;
}

async function output(ctx: IExecuteFunctions, outcomes: Outcome[]): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		const options = { ...readOutputSettings(ctx, itemIndex), throwErrors: !ctx.continueOnFail() };
		const made = await outputItems(ctx, outcome, itemIndex, options);
		items.push(...withReference(made, 'error' in outcome ? undefined : referenceOf(ctx, itemIndex)));
	}
	return items;
}

/**
 * Validation of every item, with its callback; errors are kept per item, nothing is sent yet.
 * Without a wait (version 1) an operation sets its own callback.
 */
async function prepareAll(ctx: IExecuteFunctions, operation: LegnextOperation, wait: Wait | undefined): Promise<Prepared[]> {
	const prepared: Prepared[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			prepared.push({ request: await prepareRequest(ctx, operation, wait, itemIndex) });
		} catch (error) {
			prepared.push({ error: error as Error });
		}
	}
	const invalid = prepared.find((entry) => 'error' in entry);
	if (invalid && 'error' in invalid && !ctx.continueOnFail()) throw invalid.error;
	return prepared;
}

async function prepareRequest(
	ctx: IExecuteFunctions,
	operation: LegnextOperation,
	wait: Wait | undefined,
	itemIndex: number,
): Promise<ApiRequest> {
	const request = await operation.request(ctx, itemIndex);
	if (operation.kind !== 'submit' || !wait) return request;
	const reference = readReference(ctx, itemIndex);
	const callback = wait.callbackUrl ? await wait.callbackUrl(ctx, itemIndex, reference) : await callbackFor(ctx, itemIndex, reference);
	return callback ? { ...request, body: { ...request.body, callback } } : request;
}

/** The reference shown on an output item; already checked in validation, so it reads cleanly here. */
function referenceOf(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	try {
		return readReference(ctx, itemIndex);
	} catch {
		return undefined;
	}
}

function currentOperation(ctx: IExecuteFunctions, resources: LegnextResource[]): LegnextOperation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation = resources.find((r) => r.option.value === resource)?.operations.find((o) => o.option.value === operationName);
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${resource} → ${operationName}" is not known`, {
			description: 'Open the node and choose an operation again.',
		});
	}
	return operation;
}
