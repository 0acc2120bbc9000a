import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiRequest } from '../../shared/api';
import { isTerminal, type LegnextJob } from '../../shared/job';
import { outputItems, type Outcome } from '../../shared/output';
import { readOutputSettings } from '../../shared/parameters';
import { readReference, withReference } from '../../shared/reference';
import { findTaskType } from '../../shared/taskTypes';
import { assertTriggerListening, callbackFor } from './callback';
import { checkIntegerInRange, checkNumberInRange, invalidInput, RUN_SETTING_RANGES } from './validate';
import { assertAllSucceeded } from './runError';
import { openLedger } from './ledger';
import { openSlotGate } from './accountSlots';
import { shareIdenticalFollowUps } from './identicalFollowUps';
import { readAll, submitAll, type Prepared, type ReadyItem } from './submit';
import { n8nRunsAgain, planWait, readInPlace, waitCallback, type WaitPlan } from '../wait';
import { pause } from '../wait/pause';
import { readItemSettings, readRunSettings, type ItemSettings, type WaitMode } from '../wait/settings';
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
	const submitsAndWaits = operation.kind === 'submit' && version.waitAndCallback;
	checkRunSettings(this, submitsAndWaits);
	const settings = readRunSettings(this, submitsAndWaits);
	if (submitsAndWaits && settings.waitMode !== 'pause') await assertTriggerListening(this);

	const prepared = await prepareAll(this, operation, version.waitAndCallback, settings.waitMode);
	const ready = (itemIndex: number) => prepared[itemIndex] as ReadyItem;
	let wait: WaitPlan | undefined;
	let outcomes: Outcome[];
	if (operation.kind === 'submit') {
		const ledger = openLedger(this);
		// Identical follow-ups (four items of one job asking for the same video) are sent once and shared.
		const followUps = shareIdenticalFollowUps(this, prepared, version.waitAndCallback);
		const sending = followUps.toSend.flatMap((entry, itemIndex) => ('request' in entry ? [itemIndex] : []));
		// Concurrency → Auto: as many at once as the account has slots, each send into a free one.
		const auto = settings.concurrencyMode === 'auto' && sending.length ? await openSlotGate(this) : undefined;
		const concurrency = auto?.limit ?? settings.concurrency;
		const plan = planWait(settings.waitMode, { sending: sending.length, concurrency, handsBack: ledger.handsBack(sending) });
		if (auto && settings.waitMode === 'pause' && sending.length > auto.limit) {
			this.addExecutionHints({
				message: `Concurrency → Auto: the account runs ${auto.limit} jobs at a time and this run sends ${sending.length}, so the node waits for its jobs in place (it holds this n8n worker) instead of pausing, and only then continues.`,
				location: 'outputPane',
			});
		}
		wait = plan;
		const submitted = await submitAll(this, followUps.toSend, ledger, {
			concurrency,
			slots: auto?.gate,
			stopAtFirstError: !this.continueOnFail(),
			budget: version.waitAndCallback ? { maxPoints: settings.maxPoints } : undefined,
			timeLimitMs: version.waitAndCallback ? (itemIndex) => ready(itemIndex).settings.timeLimitMs : undefined,
			untilDone: async (job, itemIndex, handedBack) => await plan.untilDone(this, job, itemIndex, ready(itemIndex), handedBack),
		});
		outcomes = followUps.share(submitted);
	} else {
		outcomes = await readAll(this, prepared, settings.concurrency, (answer) => ({ job: answer as unknown as LegnextJob }));
	}
	if (!this.continueOnFail()) assertAllSucceeded(this, outcomes);

	// Pause while a job still runs; jobs waited for in place (more items than Concurrency, a retry) have ended.
	if (wait?.pauses && outcomes.some(isRunning)) {
		if (!n8nRunsAgain(this, outcomes)) return await pause(this, outcomes, prepared.map(settingsOf));
		outcomes = await readInPlace(this, outcomes, ready);
	}
	// An operation with its own output shape (Get Balance, version 1's raw jobs) gives one item as it says.
	const shaped = operation.toJson ? outcomes.map((outcome) => withJson(outcome, operation.toJson!)) : outcomes;
	return [await output(this, shaped, prepared.map(settingsOf))];
}

/** An item's own settings; an item that failed validation has none, and only its error is output. */
function settingsOf(entry: Prepared): ItemSettings | undefined {
	return 'settings' in entry ? entry.settings : undefined;
}

/**
 * Node-wide settings that may come from an expression: a whole number in range, or nothing is sent
 * (a text there once gave no concurrency at all, and a crash after the jobs were paid).
 */
function checkRunSettings(ctx: IExecuteFunctions, submits: boolean): void {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const node = ctx.getNode();
	if (options.concurrency !== undefined) {
		checkIntegerInRange(node, 0, 'Options → Concurrency', options.concurrency, RUN_SETTING_RANGES.concurrency);
	}
	if (submits && options.maxPointsPerRun !== undefined) {
		checkIntegerInRange(node, 0, 'Options → Max Points per Run', options.maxPointsPerRun, RUN_SETTING_RANGES.maxPointsPerRun);
	}
}

function isRunning(outcome: Outcome): boolean {
	return 'job' in outcome && !('error' in outcome) && !isTerminal(outcome.job);
}

function withJson(outcome: Outcome, toJson: NonNullable<LegnextOperation['toJson']>): Outcome {
	return 'job' in outcome && !('error' in outcome) ? { json: toJson(outcome.job as unknown as IDataObject) } : outcome;
}

/**
 * The output items, in input order. Without Continue On Fail an item whose output fails (a file
 * link that expired) fails the node, and the error names every job of the run, paid for all the
 * same; the files of items after it are not downloaded.
 */
async function output(ctx: IExecuteFunctions, outcomes: Outcome[], settings: Array<ItemSettings | undefined>): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	const throwErrors = !ctx.continueOnFail();
	let failure: { itemIndex: number; error: Error } | undefined;
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (failure) break;
		try {
			const made = await outputItems(ctx, outcome, itemIndex, { ...(settings[itemIndex]?.output ?? readOutputSettings(ctx, itemIndex)), throwErrors });
			items.push(...withReference(made, 'error' in outcome ? undefined : referenceOf(ctx, itemIndex)));
		} catch (error) {
			failure = { itemIndex, error: error as Error };
		}
	}
	if (failure) {
		const { itemIndex, error } = failure;
		const failed = outcomes[itemIndex];
		assertAllSucceeded(ctx, outcomes.map((outcome, index) => (index === itemIndex ? { error, job: 'job' in failed ? failed.job : undefined } : outcome)));
		throw error;
	}
	return items;
}

/**
 * Validation of every item, with its callback and its own settings (read once, here, from its own
 * input item); errors are kept per item, nothing is sent yet. Without a wait (version 1) an
 * operation sets its own callback.
 */
async function prepareAll(ctx: IExecuteFunctions, operation: LegnextOperation, waits: boolean, waitMode: WaitMode): Promise<Prepared[]> {
	const prepared: Prepared[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			const submitsAndWaits = waits && operation.kind === 'submit';
			if (submitsAndWaits && waitMode !== 'none') checkWaitFields(ctx, operation, itemIndex);
			const request = await prepareRequest(ctx, operation, submitsAndWaits ? waitMode : undefined, itemIndex);
			prepared.push({ request, settings: readItemSettings(ctx, itemIndex) });
		} catch (error) {
			prepared.push({ error: error as Error });
		}
	}
	const invalid = prepared.find((entry) => 'error' in entry);
	if (invalid && 'error' in invalid && !ctx.continueOnFail()) throw invalid.error;
	return prepared;
}

/** The request of an item; with a wait (version 2's submits), the callback its wait or its Callback choice gives. */
async function prepareRequest(
	ctx: IExecuteFunctions,
	operation: LegnextOperation,
	waitMode: WaitMode | undefined,
	itemIndex: number,
): Promise<ApiRequest> {
	const request = await operation.request(ctx, itemIndex);
	if (waitMode === undefined) return request;
	const reference = readReference(ctx, itemIndex);
	const waitCallbackUrl = waitCallback(waitMode);
	const callback = waitCallbackUrl ? await waitCallbackUrl(ctx, itemIndex, reference) : await callbackFor(ctx, itemIndex, reference);
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

/**
 * What an item waits with, before its job is paid for: a time limit that is a number in range (an
 * expression that gives none once meant no limit at all), and files of a kind its job makes.
 */
function checkWaitFields(ctx: IExecuteFunctions, operation: LegnextOperation, itemIndex: number): void {
	const node = ctx.getNode();
	const limit = ctx.getNodeParameter('timeLimitMinutes', itemIndex, 15);
	checkNumberInRange(node, itemIndex, 'Time Limit (Minutes)', limit, RUN_SETTING_RANGES.timeLimitMinutes);
	const download = readOutputSettings(ctx, itemIndex).downloads.download;
	const outputs = findTaskType(operation.facts?.taskType)?.outputs;
	const makesVideos = outputs === 'videos';
	const wantsVideos = download === 'videos' || download === 'chosenVideos';
	const wantsImages = download === 'images' || download === 'grid' || download === 'chosenImages';
	if (outputs && outputs !== 'text' && ((wantsVideos && !makesVideos) || (wantsImages && makesVideos))) {
		throw invalidInput(
			node,
			itemIndex,
			'Download Files',
			`"${download}" does not fit ${operation.option.name}, which makes ${makesVideos ? 'videos' : 'images'}`,
			`Choose ${makesVideos ? '"Videos"' : '"Images", "Grid" or "Chosen Images"'} under Download Files, or "None". Nothing was sent.`,
		);
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
