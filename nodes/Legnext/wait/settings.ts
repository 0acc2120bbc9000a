import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readOutputSettings, type OutputSettings } from '../../shared/parameters';

/**
 * The settings a run waits with, read in one place. The node's own (wait mode, concurrency, the cap)
 * are item 0's values; an item's own (time limit, what its output holds) are read once from its own
 * input item before anything is sent, and kept with it: in its slot while it is polled, and in the
 * pause's stash for webhook(), which has no input item to evaluate expressions against. Both waits
 * use the same values.
 */

/** "Wait for Result": Don't Wait, Poll Until Done, Pause Until Callback. */
export type WaitMode = 'none' | 'poll' | 'pause';
/** Pause Until Callback is saved as 'callback' in workflows: the saved value stays, the code says pause. */
const SAVED_WAIT_MODES: Record<string, WaitMode> = { none: 'none', poll: 'poll', callback: 'pause' };

/** The node's settings for a run of paid jobs. */
export interface RunSettings {
	waitMode: WaitMode;
	/** How many items are sent (and awaited) at once; Legnext's standard cap on running jobs is 6. */
	concurrency: number;
	/**
	 * Options → Concurrency Mode: `auto` sends into the account's free slots; `fixed` sends `concurrency`
	 * at a time. A node that sets neither runs Auto; one that sets only a Concurrency number chose that
	 * number, so it runs Fixed. Version 1 (0.1.0's node) and reads are always Fixed.
	 */
	concurrencyMode: 'auto' | 'fixed';
	/** Options → Max Points per Run; 0 = no cap. */
	maxPoints: number;
}

/** One item's settings, from its own input item. */
export interface ItemSettings {
	timeLimitMs: number;
	output: OutputSettings;
}

export function readRunSettings(ctx: IExecuteFunctions, submits: boolean): RunSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		waitMode: submits ? (SAVED_WAIT_MODES[ctx.getNodeParameter('waitMode', 0, 'poll') as string] ?? 'poll') : 'none',
		concurrency: Math.max(1, Math.floor(Number(options.concurrency ?? 6))),
		concurrencyMode: submits ? concurrencyModeOf(options) : 'fixed',
		maxPoints: Math.max(0, Number(options.maxPointsPerRun ?? 0)),
	};
}

function concurrencyModeOf(options: IDataObject): RunSettings['concurrencyMode'] {
	if (options.concurrencyMode === 'auto' || options.concurrencyMode === 'fixed') return options.concurrencyMode;
	return options.concurrency === undefined ? 'auto' : 'fixed';
}

export function readItemSettings(ctx: IExecuteFunctions, itemIndex: number): ItemSettings {
	return {
		timeLimitMs: Number(ctx.getNodeParameter('timeLimitMinutes', itemIndex, 15)) * 60_000,
		output: readOutputSettings(ctx, itemIndex),
	};
}
