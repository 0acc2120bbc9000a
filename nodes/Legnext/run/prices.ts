import type { IDataObject } from 'n8n-workflow';

import { findTaskType, type PriceRow } from '../../shared/taskTypes';

/**
 * What a request will cost, before it is sent. Legnext's price depends on the task *and* the request:
 * `--turbo` doubles it, `--draft` halves a generation, a 720p video costs 1,536 where 480p costs 480,
 * a creative upscale 160 where a subtle one costs 120, Topaz 4K 160 where 2K costs 120. So the
 * budget prices each request by its shape: the published price for that shape (shared/taskTypes.ts, from
 * Legnext's pricing page), and the key under which what the account was charged for the same shape
 * is remembered (a recorded `--draft` job froze 80 where the page says 40).
 */
export interface PriceShape {
	/** The same key for requests Legnext prices alike: task type, speed, draft, and the row (resolution, upscale type). */
	key: string;
	/** The pricing page's points for this shape; undefined for a task the table does not know. */
	published: number | undefined;
	/**
	 * The most the request can cost when its speed is not in it: a follow-up (it names a parent job)
	 * whose prompt sets no speed runs at its parent's, which may be `--turbo` (twice the price). The
	 * budget counts it at this until Legnext says what it froze; undefined when the request sets it.
	 */
	dearest?: number;
}

/** A submit path's task type: `/api/v1/video-diffusion` → `video_diffusion`. */
function taskTypeOfPath(path: string): string {
	return (path.split('/').pop() ?? '').replace(/-/g, '_');
}

const SPEED_FLAG = /(?:^|\s)--(turbo|relax|fast)(?=\s|$)/i;

/** Midjourney reads the last speed flag; `--relax` is not available on Legnext and counts as fast. */
function speedOf(prompt: string): 'fast' | 'turbo' {
	const last = [...prompt.matchAll(new RegExp(SPEED_FLAG.source, 'gi'))].pop()?.[1]?.toLowerCase();
	return last === 'turbo' ? 'turbo' : 'fast';
}

function priceFrom(row: PriceRow, turbo: boolean, draft: boolean): number {
	if (draft && row.draft !== undefined) return turbo ? (row.draftTurbo ?? row.draft) : row.draft;
	return turbo ? (row.turbo ?? row.fast) : row.fast;
}

export function priceShape(path: string, body: IDataObject = {}): PriceShape {
	const taskType = taskTypeOfPath(path);
	const entry = findTaskType(taskType);
	const prompt = [body.text, body.prompt, body.remixPrompt].filter((value) => typeof value === 'string').join(' ');
	const turbo = speedOf(prompt) === 'turbo';
	const row = entry ? (typeof entry.price === 'function' ? entry.price(body) : entry.price) : undefined;
	const draft = /(?:^|\s)--draft(?=\s|$)/i.test(prompt) && row?.draft !== undefined;
	const inheritsSpeed = typeof body.jobId === 'string' && !SPEED_FLAG.test(prompt);
	return {
		key: [taskType, turbo ? 'turbo' : 'fast', draft ? 'draft' : '', row ? row.fast : ''].join(':'),
		published: row ? priceFrom(row, turbo, draft) : undefined,
		...(row && inheritsSpeed ? { dearest: priceFrom(row, true, draft) } : {}),
	};
}
