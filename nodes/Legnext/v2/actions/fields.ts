import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	checkHttpUrl,
	checkIntegerInRange,
	checkJobId,
	checkOneOf,
	checkText,
	invalidInput,
} from '../../run/validate';
import { CANVAS_MAX, MASK_SIZE, PROMPT_LIMITS } from '../../run/rules';
import { BINARY_FILE_OPTION, binaryPropertyField, imageSourceField, readBinaryImageUrl, readImageSourceChoice, type ImageSourceChoice } from './imageInput';
import { INPUT_IMAGE_MAX_BYTES, signedImageUrl } from '../../run/binaryImage';

/**
 * Fields that many operations share (a parent job, one of its four images or videos, a remix
 * prompt), and how each is read and checked, so they look and fail the same way everywhere.
 */

export const IMAGE_POSITIONS = '0 is top left, 1 top right, 2 bottom left, 3 bottom right';

export function jobIdField(description: string): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '={{ $json.jobId ?? $json.job_id }}',
		required: true,
		placeholder: 'e.g. 789320d3-4b20-46d3-a804-6165a079176a',
		description: `${description}; taken from the incoming item by default`,
	};
}

/**
 * Image and Video Number default to the file of the incoming item: after a node that downloaded its
 * files (one item per file, the default), each item follows up its own image or video, once. A plain 0
 * made every item follow up image 0: Text to Image → Upscale paid for four upscales of the same image.
 * Items without a file (Don't Download, the grid) keep 0.
 */
const FILE_INDEX_OF_ITEM = '={{ $json.file?.index ?? 0 }}';

export function imageNoField(what: string): INodeProperties {
	return {
		displayName: 'Image Number',
		name: 'imageNo',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 3 },
		default: FILE_INDEX_OF_ITEM,
		description: `Which of the parent job’s four images to ${what}: ${IMAGE_POSITIONS}. By default the image the incoming item holds (its file.index), else 0.`,
	};
}

export function videoNoField(what: string): INodeProperties {
	return {
		displayName: 'Video Number',
		name: 'videoNo',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 3 },
		default: FILE_INDEX_OF_ITEM,
		description: `Which of the parent video job’s four videos to ${what}, from 0 (the first) to 3 (the fourth). By default the video the incoming item holds (its file.index), else 0.`,
	};
}

export function remixPromptField(options: { required: boolean; description: string; placeholder: string }): INodeProperties {
	return {
		displayName: 'Remix Prompt',
		name: 'remixPrompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: options.required,
		placeholder: options.placeholder,
		description: options.description,
	};
}

/**
 * "Image Source" (Image to Video, Topaz Upscale): one of the four images of an earlier job, any
 * public image URL, or an image file of the input item (handed to Legnext as n8n's signed URL).
 */
export function imageSourceFields(texts: { job: string; jobId: string; what: string; url: string; urlPlaceholder: string; maxBytes: number }): INodeProperties[] {
	return [
		imageSourceField(jobUrlOrFile(texts)),
		...updateDisplayOptions({ show: { imageSource: ['binary'] } }, [binaryPropertyField(texts.maxBytes)]),
		...updateDisplayOptions({ show: { imageSource: ['job'] } }, [jobIdField(texts.jobId), imageNoField(texts.what)]),
		...updateDisplayOptions({ show: { imageSource: ['url'] } }, [
			{
				displayName: 'Image URL',
				name: 'imageUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: texts.urlPlaceholder,
				description: `A public http(s) URL: ${texts.url.charAt(0).toLowerCase()}${texts.url.slice(1)}`,
			},
		]),
	];
}

/** Image to Video's and Topaz Upscale's choices: an earlier job's image first. */
function jobUrlOrFile(texts: { job: string; url: string }): ImageSourceChoice[] {
	return [
		{ name: 'Earlier Legnext Job', value: 'job', description: texts.job },
		{ name: 'Image URL', value: 'url', description: texts.url },
		BINARY_FILE_OPTION,
	];
}

type ImageSource = { jobId: string; imageNo: number } | { imageUrl: string };

/** The item's image: a job's image, a URL, or a binary file as n8n's signed URL (checked before any submit). */
export async function readImageSource(ctx: IExecuteFunctions, itemIndex: number, maxBytes: number): Promise<ImageSource> {
	const source = readImageSourceChoice(ctx, itemIndex, jobUrlOrFile({ job: '', url: '' }));
	if (source === 'job') return { jobId: readJobId(ctx, itemIndex), imageNo: readImageNo(ctx, itemIndex) };
	if (source === 'binary') return { imageUrl: await readBinaryImageUrl(ctx, itemIndex, maxBytes) };
	return { imageUrl: readHttpUrl(ctx, itemIndex, 'imageUrl', 'Image URL') };
}

export function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	return checkJobId(ctx.getNode(), itemIndex, 'Job ID', ctx.getNodeParameter('jobId', itemIndex));
}

export function readImageNo(ctx: IExecuteFunctions, itemIndex: number): number {
	return checkIntegerInRange(ctx.getNode(), itemIndex, 'Image Number', ctx.getNodeParameter('imageNo', itemIndex), {
		min: 0,
		max: 3,
		hint: `Use 0, 1, 2 or 3: the position of the image in the parent job’s 2x2 grid (${IMAGE_POSITIONS}).`,
	});
}

export function readVideoNo(ctx: IExecuteFunctions, itemIndex: number): number {
	return checkIntegerInRange(ctx.getNode(), itemIndex, 'Video Number', ctx.getNodeParameter('videoNo', itemIndex), {
		min: 0,
		max: 3,
		hint: 'Use 0, 1, 2 or 3: which of the parent job’s four videos.',
	});
}

/** A required text field, 1–8192 characters. */
export function readText(ctx: IExecuteFunctions, itemIndex: number, name: string, field: string): string {
	return checkText(ctx.getNode(), itemIndex, field, ctx.getNodeParameter(name, itemIndex), PROMPT_LIMITS);
}

/** An optional text field: undefined when left empty, else 1–8192 characters. */
export function readOptionalText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
): string | undefined {
	const value = ctx.getNodeParameter(name, itemIndex, '');
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	return checkText(ctx.getNode(), itemIndex, field, value, PROMPT_LIMITS);
}

export function readHttpUrl(ctx: IExecuteFunctions, itemIndex: number, name: string, field: string): string {
	return checkHttpUrl(ctx.getNode(), itemIndex, field, ctx.getNodeParameter(name, itemIndex));
}

/*
 * Masks (Vary Region, Edit, Upload Paint): rectangles on the image, or a black-and-white mask image.
 * Legnext takes `{areas: [{width, height, points}]}` or `{url}`. `points` is a polygon, four corners
 * as x,y pairs; a rectangle x1,y1 – x2,y2 is sent as [x1,y1, x1,y2, x2,y2, x2,y1], the corner order
 * of Legnext's own example (rectangle 10,10 – 100,100 → [10,10,10,100,100,100,100,10]).
 */

export function maskFields(options: { optional: boolean; what: string }): INodeProperties[] {
	const sources = [
		{ name: 'Rectangles', value: 'areas', description: `Rectangles on the image to ${options.what}` },
		{ name: 'Mask Image URL', value: 'url', description: 'A black-and-white image of the same size: white areas change, black areas stay' },
		{ name: 'Mask Binary File', value: 'binary', description: 'The same black-and-white image as a file of the incoming item, handed to Legnext as n8n’s signed URL' },
	];
	if (options.optional) sources.unshift({ name: 'None', value: 'none', description: 'No mask' });
	const source: INodeProperties = {
		displayName: 'Mask',
		name: 'maskSource',
		type: 'options',
		options: sources,
		default: 'areas',
		description: `Which part of the image to ${options.what}`,
	};
	if (options.optional) source.default = 'none';
	return [
		source,
		{
			displayName: 'Mask Areas',
			name: 'maskAreas',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Rectangle',
			default: { area: [{ width: 1024, height: 1024, x1: 0, y1: 0, x2: 512, y2: 512 }] },
			displayOptions: { show: { maskSource: ['areas'] } },
			description: `Rectangles to ${options.what}, in pixels of an image of the given width and height (x to the right, y down from the top left)`,
			options: [
				{
					name: 'area',
					displayName: 'Rectangle',
					values: [
						{
							displayName: 'Image Height',
							name: 'height',
							type: 'number',
							typeOptions: { minValue: MASK_SIZE.min, maxValue: MASK_SIZE.max },
							default: 1024,
							description: `Height of the image the coordinates refer to, ${MASK_SIZE.min} to ${MASK_SIZE.max} pixels`,
						},
						{
							displayName: 'Image Width',
							name: 'width',
							type: 'number',
							typeOptions: { minValue: MASK_SIZE.min, maxValue: MASK_SIZE.max },
							default: 1024,
							description: `Width of the image the coordinates refer to, ${MASK_SIZE.min} to ${MASK_SIZE.max} pixels`,
						},
						{
							displayName: 'X1 (Left)',
							name: 'x1',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description: 'Left edge of the rectangle, pixels from the left',
						},
						{
							displayName: 'X2 (Right)',
							name: 'x2',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: 512,
							description: 'Right edge of the rectangle, pixels from the left; more than X1 and at most Image Width',
						},
						{
							displayName: 'Y1 (Top)',
							name: 'y1',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description: 'Top edge of the rectangle, pixels from the top',
						},
						{
							displayName: 'Y2 (Bottom)',
							name: 'y2',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: 512,
							description: 'Bottom edge of the rectangle, pixels from the top; more than Y1 and at most Image Height',
						},
					],
				},
			],
		},
		{
			displayName: 'Mask Image URL',
			name: 'maskUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/mask.png',
			displayOptions: { show: { maskSource: ['url'] } },
			description: 'A public black-and-white image the size of the picture: white areas change, black areas stay',
		},
		{
			displayName: 'Mask Binary Field',
			name: 'maskBinaryPropertyName',
			type: 'string',
			default: 'mask',
			required: true,
			placeholder: 'e.g. mask',
			displayOptions: { show: { maskSource: ['binary'] } },
			hint: 'The name of the input binary field containing the mask image',
			description: `The binary field of the incoming item holding the black-and-white mask (at most ${INPUT_IMAGE_MAX_BYTES / 1024 / 1024} MB), handed to Legnext as n8n's signed URL`,
		},
	];
}

/** The item's mask as Legnext wants it, or undefined when the mask is optional and set to None. */
export async function readMask(ctx: IExecuteFunctions, itemIndex: number, optional: boolean): Promise<IDataObject | undefined> {
	const node = ctx.getNode();
	const sources = [
		...(optional ? [{ name: 'None', value: 'none' }] : []),
		{ name: 'Rectangles', value: 'areas' },
		{ name: 'Mask Image URL', value: 'url' },
		{ name: 'Mask Binary File', value: 'binary' },
	];
	const source = checkOneOf(node, itemIndex, 'Mask', ctx.getNodeParameter('maskSource', itemIndex), sources);
	if (source === 'none') return undefined;
	if (source === 'url') return { url: readHttpUrl(ctx, itemIndex, 'maskUrl', 'Mask Image URL') };
	if (source === 'binary') {
		const property = String(ctx.getNodeParameter('maskBinaryPropertyName', itemIndex, 'mask') ?? '').trim();
		return { url: await signedImageUrl(ctx, itemIndex, property, { field: 'Mask Binary Field', maxBytes: INPUT_IMAGE_MAX_BYTES }) };
	}

	const collection = (ctx.getNodeParameter('maskAreas', itemIndex, {}) ?? {}) as IDataObject;
	const rectangles = Array.isArray(collection.area) ? (collection.area as IDataObject[]) : [];
	if (rectangles.length === 0) {
		throw invalidInput(node, itemIndex, 'Mask Areas', 'has no rectangle', 'Add at least one rectangle, or choose Mask Image URL.');
	}
	const areas = rectangles.map((rectangle, position) => {
		const field = (name: string) => `Mask Areas → Rectangle ${position + 1} → ${name}`;
		const size = (name: string, value: unknown) =>
			checkIntegerInRange(node, itemIndex, field(name), value, {
				...MASK_SIZE,
				hint: `Use the width and height in pixels of the image, ${MASK_SIZE.min} to ${MASK_SIZE.max}.`,
			});
		const width = size('Image Width', rectangle.width);
		const height = size('Image Height', rectangle.height);
		const edge = (name: string, value: unknown, max: number) =>
			checkIntegerInRange(node, itemIndex, field(name), value, {
				min: 0,
				max,
				hint: `Use a whole number from 0 to ${max}: a position inside the ${width}x${height} image.`,
			});
		const x1 = edge('X1 (Left)', rectangle.x1, width);
		const y1 = edge('Y1 (Top)', rectangle.y1, height);
		const x2 = edge('X2 (Right)', rectangle.x2, width);
		const y2 = edge('Y2 (Bottom)', rectangle.y2, height);
		if (x2 <= x1 || y2 <= y1) {
			throw invalidInput(
				node,
				itemIndex,
				field(x2 <= x1 ? 'X2 (Right)' : 'Y2 (Bottom)'),
				`the rectangle ${x1},${y1} – ${x2},${y2} is empty`,
				'X2 (Right) must be more than X1 (Left), and Y2 (Bottom) more than Y1 (Top).',
			);
		}
		return { width, height, points: [x1, y1, x1, y2, x2, y2, x2, y1] };
	});
	return { areas };
}

/** Edit and Upload Paint: the canvas, and where the image sits on it. */

export function canvasFields(): INodeProperties[] {
	const pixels = (displayName: string, name: string, defaultValue: number, description: string, min = 1): INodeProperties => ({
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: min, maxValue: CANVAS_MAX },
		default: defaultValue,
		description,
	});
	return [
		pixels('Canvas Width', 'canvasWidth', 1024, 'Width of the result in pixels'),
		pixels('Canvas Height', 'canvasHeight', 1024, 'Height of the result in pixels'),
		pixels('Image Width', 'imageWidth', 512, 'Width in pixels the image takes on the canvas'),
		pixels('Image Height', 'imageHeight', 512, 'Height in pixels the image takes on the canvas'),
		pixels('Image X', 'imageX', 256, 'Offset in pixels of the image’s left edge from the canvas’s left edge', 0),
		pixels('Image Y', 'imageY', 256, 'Offset in pixels of the image’s top edge from the canvas’s top edge', 0),
	];
}

export function readCanvas(ctx: IExecuteFunctions, itemIndex: number): { canvas: IDataObject; imgPos: IDataObject } {
	const node = ctx.getNode();
	const read = (name: string, field: string, min = 1) =>
		checkIntegerInRange(node, itemIndex, field, ctx.getNodeParameter(name, itemIndex), { min, max: CANVAS_MAX });
	const canvas = { width: read('canvasWidth', 'Canvas Width'), height: read('canvasHeight', 'Canvas Height') };
	const imgPos = {
		width: read('imageWidth', 'Image Width'),
		height: read('imageHeight', 'Image Height'),
		x: read('imageX', 'Image X', 0),
		y: read('imageY', 'Image Y', 0),
	};
	return { canvas, imgPos };
}
