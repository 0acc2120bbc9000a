/**
 * Legnext's limits on a request, once for both versions of the node: its docs and OpenAPI spec
 * (../shared/legnext-api.md). The editor's fields show them and validation enforces them, so a
 * request Legnext would refuse is refused here first, before anything is paid.
 */

/** A prompt's length (the flags count too). */
export const PROMPT_LIMITS = { min: 1, max: 8192 };

/** Pan's directions: Legnext wants an integer (a string earns a 400), and 0 (down) is a real value. */
export const PAN_DIRECTIONS = [
	{ name: 'Down', value: 0 },
	{ name: 'Right', value: 1 },
	{ name: 'Up', value: 2 },
	{ name: 'Left', value: 3 },
];
/** How much larger Pan (in one direction) and Zoom Out / Outpaint (on all sides) make an image. */
export const PAN_SCALE = { min: 1.1, max: 3 };
export const ZOOM_OUT_SCALE = { min: 1.1, max: 2 };

/** An image URL for Remove Background, Retexture and Upload Paint. */
export const IMAGE_URL_MAX_LENGTH = 1024;

/** A Vary Region / Edit mask's canvas side, in pixels. */
export const MASK_SIZE = { min: 500, max: 4096 };

/** Edit and Upload Paint: the largest canvas side, in pixels. */
export const CANVAS_MAX = 8192;
