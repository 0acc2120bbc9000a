/**
 * Legnext's task types, once: the `task_type` a job carries, what the editor calls it, how long it
 * typically takes and what it outputs. Poll timing (wait/schedule.ts), grid detection (job.ts), the
 * trigger's Task Types filter and the AI tool's text all read this table.
 */

/**
 * What a finished job of the type gives: `grid` four images and their 2x2 grid (`image_url` is the
 * grid); `image` one image (`image_url` is the image itself); `images` images whose grid is not
 * known; `videos`; `text` prompts.
 */
export type TaskOutput = 'grid' | 'image' | 'images' | 'videos' | 'text';

export interface TaskType {
	/** Legnext's `task_type`. */
	value: string;
	/** The Legnext node's operation that creates it (`resource:operation`), and what the editor calls it. */
	operation: string;
	name: string;
	/** Legnext's typical duration, queue included, in seconds (its OpenAPI spec); absent where it publishes none. */
	typicalSeconds?: [number, number];
	outputs: TaskOutput;
}

export const TASK_TYPES: readonly TaskType[] = [
	{ value: 'diffusion', operation: 'image:textToImage', name: 'Text to Image', typicalSeconds: [30, 90], outputs: 'grid' },
	{ value: 'variation', operation: 'image:variation', name: 'Variation', typicalSeconds: [60, 90], outputs: 'grid' },
	{ value: 'reroll', operation: 'image:reroll', name: 'Reroll', typicalSeconds: [60, 90], outputs: 'grid' },
	{ value: 'blend', operation: 'image:blend', name: 'Blend', typicalSeconds: [60, 90], outputs: 'grid' },
	{ value: 'upscale', operation: 'image:upscale', name: 'Upscale', typicalSeconds: [90, 120], outputs: 'image' },
	{ value: 'inpaint', operation: 'image:varyRegion', name: 'Vary Region', typicalSeconds: [90, 120], outputs: 'grid' },
	{ value: 'outpaint', operation: 'image:zoomOut', name: 'Zoom Out', typicalSeconds: [90, 120], outputs: 'grid' },
	{ value: 'pan', operation: 'image:pan', name: 'Pan', typicalSeconds: [90, 120], outputs: 'grid' },
	{ value: 'remix', operation: 'image:remix', name: 'Remix', typicalSeconds: [90, 120], outputs: 'grid' },
	{ value: 'describe', operation: 'image:describe', name: 'Describe', typicalSeconds: [30, 60], outputs: 'text' },
	{ value: 'shorten', operation: 'image:shorten', name: 'Shorten', typicalSeconds: [20, 40], outputs: 'text' },
	{ value: 'enhance', operation: 'image:enhance', name: 'Enhance', outputs: 'image' },
	{ value: 'enhance_upscale', operation: 'image:topazUpscale', name: 'Topaz Upscale', outputs: 'image' },
	{ value: 'remove_background', operation: 'image:removeBackground', name: 'Remove Background', outputs: 'image' },
	{ value: 'retexture', operation: 'image:retexture', name: 'Retexture', outputs: 'images' },
	{ value: 'edit', operation: 'image:edit', name: 'Edit', outputs: 'images' },
	{ value: 'upload_paint', operation: 'image:uploadPaint', name: 'Upload Paint', outputs: 'images' },
	{ value: 'video_diffusion', operation: 'video:imageToVideo', name: 'Image to Video', typicalSeconds: [180, 300], outputs: 'videos' },
	{ value: 'extend_video', operation: 'video:extend', name: 'Extend Video', typicalSeconds: [180, 300], outputs: 'videos' },
	{ value: 'video_upscale', operation: 'video:upscale', name: 'Video Upscale', typicalSeconds: [240, 360], outputs: 'videos' },
];

/** The entry of the task type the node's `resource:operation` creates. */
export function taskTypeOfOperation(operation: string): TaskType | undefined {
	return TASK_TYPES.find((type) => type.operation === operation);
}

/** The table's entry for a job's `task_type`, if Legnext's type is one we know. */
export function findTaskType(taskType: string | undefined): TaskType | undefined {
	return TASK_TYPES.find((type) => type.value === taskType);
}
