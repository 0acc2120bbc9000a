import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { binaryPropertyNames, expandBinaryName, readableImageTypes, signedImageUrl } from '../../run/binaryImage';
import { checkHttpUrlMaxLength, checkOneOf, invalidInput } from '../../run/validate';

/**
 * An image field that takes a public URL or a binary file of the input item, as n8n's own nodes
 * offer it: "Image Source" URL / Binary File, with the input's binary property name (default `data`).
 * A binary file reaches Legnext as n8n's signed URL of it (../../run/binaryImage.ts). New fields
 * default to URL, so a workflow saved before them behaves as it did.
 */

export const BINARY_FILE_OPTION: ImageSourceChoice = {
	name: 'Binary File',
	value: 'binary',
	description: 'An image file of the incoming item (e.g. from a Form Trigger, Google Drive or HTTP Request), handed to Legnext as n8n’s signed URL of it',
};

const MB = 1024 * 1024;
const BINARY_FIELD = 'Input Binary Field';

/** One choice of an Image Source field, in the operation's words (a job's image, a URL, a file). */
export interface ImageSourceChoice {
	name: string;
	value: 'job' | 'url' | 'binary';
	description: string;
}

/**
 * "Image Source", the one field every operation that takes an image shows (Image to Video, Topaz
 * Upscale, Blend, Describe, Remove Background, Retexture, Upload Paint): its choices in the
 * operation's words, the first the default (a saved node without the field behaves as it did).
 */
export function imageSourceField(choices: ImageSourceChoice[]): INodeProperties {
	// An identifier, not a member expression: n8n's lint reads a parameter's default from it.
	const first = choices[0].value;
	return { displayName: 'Image Source', name: 'imageSource', type: 'options', options: choices, default: first };
}

/** The item's Image Source, one of the field's choices (an expression may give anything). */
export function readImageSourceChoice(ctx: IExecuteFunctions, itemIndex: number, choices: ImageSourceChoice[]): ImageSourceChoice['value'] {
	return checkOneOf(ctx.getNode(), itemIndex, 'Image Source', ctx.getNodeParameter('imageSource', itemIndex, choices[0].value), choices);
}

/** The choices of Remove Background, Retexture and Upload Paint. */
const URL_OR_FILE: ImageSourceChoice[] = [{ name: 'Image URL', value: 'url', description: 'A public image on the web' }, BINARY_FILE_OPTION];

export function binaryPropertyField(maxBytes: number): INodeProperties {
	return {
		displayName: BINARY_FIELD,
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the image',
		description: `The binary field of the incoming item that holds the image (${readableImageTypes(maxBytes)}, at most ${maxBytes / MB} MB). n8n hands Legnext a signed URL of it: binary data must be stored in filesystem or S3 mode, and n8n reachable at its public URL (N8N_WEBHOOK_URL on n8n 2.x, WEBHOOK_URL on n8n 1.123).`,
	};
}

/** The signed URL of the item's image file (one binary property). */
export async function readBinaryImageUrl(ctx: IExecuteFunctions, itemIndex: number, maxBytes: number): Promise<string> {
	const property = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	return await signedImageUrl(ctx, itemIndex, property, { field: BINARY_FIELD, maxBytes });
}

/**
 * "Image Source" URL / Binary File in front of an operation's existing image URL field (Remove
 * Background, Retexture, Upload Paint): the URL field keeps its name and shows for URL only.
 */
export function urlOrBinaryFields(urlField: INodeProperties, maxBytes: number): INodeProperties[] {
	return [
		imageSourceField(URL_OR_FILE),
		{ ...urlField, displayOptions: { show: { imageSource: ['url'] } } },
		{ ...binaryPropertyField(maxBytes), displayOptions: { show: { imageSource: ['binary'] } } },
	];
}

/** The image URL of an item for those operations: as typed, or the binary file's signed URL. */
export async function readUrlOrBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: { maxBytes: number; maxUrlLength: number },
): Promise<string> {
	const source = readImageSourceChoice(ctx, itemIndex, URL_OR_FILE);
	if (source === 'url') {
		return checkHttpUrlMaxLength(ctx.getNode(), itemIndex, 'Image URL', ctx.getNodeParameter('imageUrl', itemIndex), options.maxUrlLength);
	}
	const url = await readBinaryImageUrl(ctx, itemIndex, options.maxBytes);
	return checkHttpUrlMaxLength(ctx.getNode(), itemIndex, BINARY_FIELD, url, options.maxUrlLength);
}

/** Blend: several image files, named one by one or by a prefix (`data` finds data_0, data_1, …). */
export function binaryListField(count: { min: number; max: number }, maxBytes: number): INodeProperties {
	return {
		displayName: 'Input Binary Fields',
		name: 'binaryPropertyNames',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data_0, data_1',
		hint: 'The names of the input binary fields containing the images, separated by commas',
		description: `${count.min} to ${count.max} binary fields of the incoming item that hold the images (${readableImageTypes(maxBytes)}, at most ${maxBytes / MB} MB each), separated by commas. A name the item does not have stands for its numbered fields: "data" finds data_0, data_1, … (a Form Trigger’s multi-file field) or data0, data1, … (several files in one Webhook upload field).`,
	};
}

/** The binary properties Blend's Input Binary Fields name, numbered ones expanded. */
export function binaryImageNames(ctx: IExecuteFunctions, itemIndex: number): string[] {
	return binaryPropertyNames(ctx.getNodeParameter('binaryPropertyNames', itemIndex, 'data')).flatMap((name) => expandBinaryName(ctx, itemIndex, name));
}

export async function readBinaryImageUrls(
	ctx: IExecuteFunctions,
	itemIndex: number,
	count: { min: number; max: number },
	maxBytes: number,
): Promise<string[]> {
	const names = binaryImageNames(ctx, itemIndex);
	if (names.length < count.min || names.length > count.max) {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw invalidInput(
			ctx.getNode(),
			itemIndex,
			'Input Binary Fields',
			`names ${names.length} file${names.length === 1 ? '' : 's'} (${names.join(', ') || 'none'}), Legnext blends ${count.min} to ${count.max}`,
			`Enter ${count.min} to ${count.max} binary field names separated by commas${present.length ? `; the item has: ${present.join(', ')}` : ''}.`,
		);
	}
	const urls: string[] = [];
	for (const name of names) urls.push(await signedImageUrl(ctx, itemIndex, name, { field: 'Input Binary Fields', maxBytes }));
	return urls;
}
