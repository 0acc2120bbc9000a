import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { unreadableImage } from '../../../run/binaryImage';
import { invalidInput } from '../../../run/validate';

/**
 * Blend's second request shape, the docs' API reference page: `base64Array` (2–5 images as data URIs)
 * and `dimension`, beside the OpenAPI files' and 0.1.0's `imgUrls` and `aspect_ratio`. The node sends
 * `imgUrls` first (three sources against one) and builds this shape only when Legnext answers 400
 * naming `base64Array` or `dimension` (nodes/shared/api.ts). A binary file is then read from n8n's
 * storage, so it needs no public n8n URL; an image URL is fetched by n8n.
 *
 * Memory: one image is read at a time and refused past Legnext's 10 MB as its bytes arrive (a server
 * that lies about its size is cut off), so an item holds at most 5 × 10 MB of images and their base64
 * text; Legnext's API module sends one such request at a time per n8n process.
 */

export const DIMENSIONS: Record<string, string> = { '2:3': 'PORTRAIT', '1:1': 'SQUARE', '3:2': 'LANDSCAPE' };

/** Fields of the base64 shape a 400 may name: the signal to send it instead. */
export const BASE64_SHAPE_FIELDS = ['base64Array', 'dimension'];

export type BlendImage = { url: string } | { binaryProperty: string };

const MB = 1024 * 1024;

export async function base64Body(
	ctx: IExecuteFunctions,
	itemIndex: number,
	images: BlendImage[],
	aspectRatio: string,
	maxBytes: number,
): Promise<IDataObject> {
	const base64Array: string[] = [];
	for (const image of images) {
		const { bytes, mimeType } = 'url' in image ? await fetchImage(ctx, itemIndex, image.url, maxBytes) : await readBinary(ctx, itemIndex, image.binaryProperty);
		base64Array.push(`data:${mimeType};base64,${bytes.toString('base64')}`);
	}
	return { base64Array, dimension: DIMENSIONS[aspectRatio] };
}

async function readBinary(ctx: IExecuteFunctions, itemIndex: number, property: string): Promise<{ bytes: Buffer; mimeType: string }> {
	// Its type and size were checked before the first request (../../imageInput.ts).
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	return { bytes: await ctx.helpers.getBinaryDataBuffer(itemIndex, property), mimeType: String(binary.mimeType).split(';')[0].trim() };
}

async function fetchImage(ctx: IExecuteFunctions, itemIndex: number, url: string, maxBytes: number): Promise<{ bytes: Buffer; mimeType: string }> {
	const cannot = (problem: string, hint: string) => invalidInput(ctx.getNode(), itemIndex, 'Image URLs', problem, hint);
	let response: { statusCode: number; headers: IDataObject; body: AsyncIterable<Buffer> & { destroy(): void } };
	try {
		response = await ctx.helpers.httpRequest({ method: 'GET', url, encoding: 'stream', returnFullResponse: true, ignoreHttpStatusErrors: true, timeout: 60_000 });
	} catch (error) {
		throw cannot(`n8n could not fetch ${url} (${(error as { code?: string }).code ?? (error as Error).message})`, 'This Legnext takes Blend images as files: n8n reads each URL first. Check that n8n can open it.');
	}
	const mimeType = String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	const declared = Number(response.headers['content-length']);
	const unreadable = unreadableImage(url, { mimeType, data: '' });
	if (response.statusCode < 200 || response.statusCode >= 300 || unreadable || declared > maxBytes) {
		response.body.destroy();
		if (response.statusCode < 200 || response.statusCode >= 300) throw cannot(`${url} answered HTTP ${response.statusCode}`, 'Give a public image URL that opens in a browser.');
		if (unreadable) throw cannot(unreadable.problem, unreadable.hint);
		throw cannot(`${url} is ${(declared / MB).toFixed(1)} MB, more than the ${maxBytes / MB} MB Legnext accepts`, 'Use a smaller image.');
	}
	const chunks: Buffer[] = [];
	let received = 0;
	for await (const chunk of response.body) {
		received += chunk.length;
		if (received > maxBytes) {
			response.body.destroy();
			throw cannot(`${url} is more than the ${maxBytes / MB} MB Legnext accepts`, 'Use a smaller image.');
		}
		chunks.push(chunk);
	}
	if (received === 0) throw cannot(`${url} is empty`, 'Give the URL of an image.');
	return { bytes: Buffer.concat(chunks), mimeType };
}
