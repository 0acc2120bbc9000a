import type { IDataObject } from 'n8n-workflow';

/**
 * Legnext's task types, once, keyed by the `task_type` a job carries: what the editor calls it, how long
 * it typically takes, what it outputs and what it costs. Poll timing (wait/schedule.ts), grid detection
 * (job.ts), the trigger's Task Types filter and the budget (run/prices.ts) read this table; an operation
 * of the node names its task type in its own `facts` (run/operation.ts), never the other way round.
 */

/**
 * What a finished job of the type gives: `grid` four images and their 2x2 grid (`image_url` is the
 * grid); `image` one image (`image_url` is the image itself); `images` images whose grid is not
 * known; `videos`; `text` prompts.
 */
export type TaskOutput = 'grid' | 'image' | 'images' | 'videos' | 'text';

/**
 * Points per job on Legnext's pricing page: fast mode, turbo (`--turbo`), and draft (`--draft`) where
 * the page has one; absent = the page shows "-" (the fast price applies).
 */
export interface PriceRow {
	fast: number;
	turbo?: number;
	draft?: number;
	draftTurbo?: number;
}

/** Topaz: 120 up to 2K, 160 at 4K (Legnext's docs); above 4K the docs say nothing, so the 4K price (the most known). */
const topazPrice = (request: IDataObject): PriceRow =>
	['HD', 'FHD', '2K'].includes(String(request.target_resolution ?? '2K').toUpperCase()) ? { fast: 120 } : { fast: 160 };

export interface TaskType {
	/** Legnext's `task_type`. */
	value: string;
	/** What the editor calls it (the trigger's Task Types filter). */
	name: string;
	/** Legnext's typical duration, queue included, in seconds (its OpenAPI spec); absent where it publishes none. */
	typicalSeconds?: [number, number];
	outputs: TaskOutput;
	/**
	 * Legnext's published price (its pricing page), or how the request picks the row. Where the request
	 * cannot tell which row applies (an extension's resolution is its video's), the dearer row: the
	 * budget must never count a job for less than it may cost.
	 */
	price: PriceRow | ((request: IDataObject) => PriceRow);
}

export const TASK_TYPES: readonly TaskType[] = [
	{ value: 'diffusion', name: 'Text to Image', typicalSeconds: [30, 90], outputs: 'grid', price: { fast: 80, turbo: 160, draft: 40, draftTurbo: 80 } },
	{ value: 'variation', name: 'Variation', typicalSeconds: [60, 90], outputs: 'grid', price: { fast: 120, turbo: 240 } },
	{ value: 'reroll', name: 'Reroll', typicalSeconds: [60, 90], outputs: 'grid', price: { fast: 80, turbo: 160 } }, // the page has no Reroll row: a new generation of the parent's prompt (its draft unknown: the fast price)
	{ value: 'blend', name: 'Blend', typicalSeconds: [60, 90], outputs: 'grid', price: { fast: 80 } },
	{ value: 'upscale', name: 'Upscale', typicalSeconds: [90, 120], outputs: 'image', price: (request) => (Number(request.type) === 1 ? { fast: 160, turbo: 320 } : { fast: 120, turbo: 240 }) },
	{ value: 'inpaint', name: 'Vary Region', typicalSeconds: [90, 120], outputs: 'grid', price: { fast: 120, turbo: 240 } },
	{ value: 'outpaint', name: 'Zoom Out', typicalSeconds: [90, 120], outputs: 'grid', price: { fast: 80, turbo: 160 } },
	{ value: 'pan', name: 'Pan', typicalSeconds: [90, 120], outputs: 'grid', price: { fast: 80, turbo: 160 } },
	{ value: 'remix', name: 'Remix', typicalSeconds: [90, 120], outputs: 'grid', price: { fast: 120, turbo: 240 } },
	{ value: 'describe', name: 'Describe', typicalSeconds: [30, 60], outputs: 'text', price: { fast: 20 } },
	{ value: 'shorten', name: 'Shorten', typicalSeconds: [20, 40], outputs: 'text', price: { fast: 20 } },
	{ value: 'enhance', name: 'Enhance', outputs: 'image', price: { fast: 80, turbo: 160 } },
	{ value: 'enhance_upscale', name: 'Topaz Upscale', outputs: 'image', price: topazPrice },
	{ value: 'remove_background', name: 'Remove Background', outputs: 'image', price: { fast: 80, turbo: 160 } },
	{ value: 'retexture', name: 'Retexture', outputs: 'grid', price: { fast: 120, turbo: 240 } },
	{ value: 'edit', name: 'Edit', outputs: 'grid', price: { fast: 120, turbo: 240 } },
	{ value: 'upload_paint', name: 'Upload Paint', outputs: 'images', price: { fast: 120, turbo: 240 } }, // the page's "Advanced Edit"
	{ value: 'video_diffusion', name: 'Image to Video', typicalSeconds: [180, 300], outputs: 'videos', price: (request) => (Number(request.videoType) === 1 ? { fast: 1536, turbo: 3072 } : { fast: 480, turbo: 960 }) },
	{ value: 'extend_video', name: 'Extend Video', typicalSeconds: [180, 300], outputs: 'videos', price: { fast: 1536, turbo: 3072 } }, // its video's resolution is not in the request: the 720p row
	{ value: 'video_upscale', name: 'Video Upscale', typicalSeconds: [240, 360], outputs: 'videos', price: { fast: 480, turbo: 960 } },
];

/**
 * A `task_type` as this table spells it: the docs' examples use underscores (`video_diffusion`), the
 * SDKs' enum hyphens (`video-diffusion`, `remove-background`, `upload-paint`).
 */
export function normalTaskType(taskType: string | undefined): string {
	return String(taskType ?? '').trim().toLowerCase().replace(/-/g, '_');
}

/** The table's entry for a job's `task_type` (either spelling), if Legnext's type is one we know. */
export function findTaskType(taskType: string | undefined): TaskType | undefined {
	const value = normalTaskType(taskType);
	return TASK_TYPES.find((type) => type.value === value);
}
