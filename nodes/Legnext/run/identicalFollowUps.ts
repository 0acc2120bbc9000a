import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Outcome } from '../../shared/output';
import type { Prepared } from './submit';

/**
 * A run never sends two identical follow-ups: n8n runs a node once per incoming item, so four items
 * of one job (one per file) asking for Image to Video of image 2 would pay for four identical videos.
 * A follow-up is a request made from an earlier job (its body names `jobId`); it is identical when
 * path and body are the same, callback included (a different Reference is a different request).
 * What an n8n user expects: every input item still gets its output item, paired to it, so an
 * identical item after the first gets the first one's job (the same JSON and files), paid once.
 * Options → Send Identical Follow-Ups Again sends each one anyway. A prompt-only job (Text to Image
 * twice) is never shared: each run of it draws new pictures.
 */

/** A stand-in for an item that shares an earlier item's job: nothing is sent for it. */
const SHARED = new Error('shares the job of an earlier item');

export interface SharedFollowUps {
	/** What to hand the submit step: identical items after the first are not sent. */
	toSend: Prepared[];
	/** Each identical item's outcome becomes the first one's. */
	share(outcomes: Outcome[]): Outcome[];
}

/** `enabled`: version 2 only; version 1 (Legnext's 0.1.0) sends every item as it always did. */
export function shareIdenticalFollowUps(ctx: IExecuteFunctions, prepared: Prepared[], enabled: boolean): SharedFollowUps {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const firstOf = new Map<number, number>();
	if (enabled && options.repeatIdenticalFollowUps !== true) {
		const seen = new Map<string, number>();
		for (const [itemIndex, entry] of prepared.entries()) {
			if (!('request' in entry) || entry.request.body?.jobId === undefined) continue;
			const key = JSON.stringify([entry.request.method, entry.request.path, entry.request.body]);
			const first = seen.get(key);
			if (first === undefined) seen.set(key, itemIndex);
			else firstOf.set(itemIndex, first);
		}
	}
	return {
		toSend: prepared.map((entry, itemIndex) => (firstOf.has(itemIndex) ? { error: SHARED } : entry)),
		share: (outcomes) => outcomes.map((outcome, itemIndex) => outcomes[firstOf.get(itemIndex) ?? itemIndex] ?? outcome),
	};
}
