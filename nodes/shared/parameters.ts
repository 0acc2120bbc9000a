import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { DownloadChoice, DownloadOptions, FileLayout } from './files';

/**
 * Every node parameter the steps after the request need, read in one place: from `execute()`
 * (per item) and from `webhook()` (the resume of a paused execution, the trigger), whose
 * `getNodeParameter` takes no item index.
 */
type ParameterContext = IExecuteFunctions | IWebhookFunctions;

/** "Wait for Result": Don't Wait, Poll Until Done, Pause Until Callback. */
export type WaitMode = 'none' | 'poll' | 'pause';
/** Pause Until Callback is saved as 'callback' in workflows: the saved value stays, the code says pause. */
const SAVED_WAIT_MODES: Record<string, WaitMode> = { none: 'none', poll: 'poll', callback: 'pause' };

export interface OutputSettings {
	simplify: boolean;
	downloads: DownloadOptions;
}

/** The node's settings for a run of paid jobs. */
export interface RunSettings {
	waitMode: WaitMode;
	/** How many items are sent (and awaited) at once; Legnext's standard cap on running jobs is 6. */
	concurrency: number;
	timeLimitMs: number;
	/** Options → Max Points per Run; 0 = no cap. */
	maxPoints: number;
}

function parameter<T>(ctx: ParameterContext, name: string, itemIndex: number, fallback: T): T {
	return ('getInputData' in ctx ? ctx.getNodeParameter(name, itemIndex, fallback) : ctx.getNodeParameter(name, fallback)) as T;
}

export function readOutputSettings(ctx: ParameterContext, itemIndex = 0): OutputSettings {
	// The Legnext node keeps Simplify under Options; the trigger shows it on its own.
	const options = parameter<IDataObject>(ctx, 'options', itemIndex, {});
	const simplify = options.simplify ?? parameter(ctx, 'simplify', itemIndex, true);
	return {
		simplify: simplify !== false,
		downloads: {
			download: parameter<DownloadChoice>(ctx, 'download', itemIndex, 'none'),
			imageNumbers: parameter<number[]>(ctx, 'imageNumbers', itemIndex, [0]).map(Number),
			videoNumbers: parameter<number[]>(ctx, 'videoNumbers', itemIndex, [0]).map(Number),
			layout: parameter<FileLayout>(ctx, 'fileLayout', itemIndex, 'itemPerFile'),
			maxFileSizeMb: Number(parameter(ctx, 'maxFileSizeMb', itemIndex, 200)),
		},
	};
}

/** Wait mode, concurrency and the cap are the node's (item 0's values); the time limit may differ per item. */
export function readRunSettings(ctx: ParameterContext, submits: boolean, itemIndex = 0): RunSettings {
	return {
		waitMode: submits ? (SAVED_WAIT_MODES[parameter<string>(ctx, 'waitMode', 0, 'poll')] ?? 'poll') : 'none',
		concurrency: Math.max(1, Math.floor(Number(parameter<IDataObject>(ctx, 'options', 0, {}).concurrency ?? 6))),
		timeLimitMs: Number(parameter(ctx, 'timeLimitMinutes', itemIndex, 15)) * 60_000,
		maxPoints: Math.max(0, Number(parameter<IDataObject>(ctx, 'options', 0, {}).maxPointsPerRun ?? 0)),
	};
}
