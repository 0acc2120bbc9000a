import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { legnextCanReach } from '../../shared/localUrl';
import { invalidInput } from './validate';

/**
 * An image the workflow holds (a binary file of the input item) handed to Legnext as a URL it can
 * fetch: n8n's own signed binary URL (`createBinarySignedUrl`, `<n8n>/rest/binary-data/signed?token=…`).
 * Legnext has no upload endpoint for API keys, and takes public URLs only.
 *
 * Everything that would make Legnext's fetch fail is checked here, in validation, before anything is
 * paid: a missing or empty file, a file that is not an image, one over Legnext's size limit, binary
 * data kept in memory (n8n cannot sign a URL for it), and an n8n whose URL only this machine can open
 * while Legnext runs elsewhere. Only the file's metadata is read (no bytes, no base64).
 */

/**
 * Legnext's size limit for an input image: 10 MB is what it states for Retexture ("JPG/PNG/WebP ≤
 * 10 MB", legnext-api.md), and it documents none for the others, so 10 MB is used for all but
 * Topaz Upscale, whose field says 100 MB (Legnext's Topaz page).
 */
export const INPUT_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const TOPAZ_IMAGE_MAX_BYTES = 100 * 1024 * 1024;

/** How long the signed URL stays valid: long enough for a job that waits in a queue (Relax) to start. */
const SIGNED_URL_LIFETIME = '1 day';

const MB = 1024 * 1024;

export interface BinaryImageOptions {
	/** The field as the editor names it, for messages, e.g. "Input Binary Field". */
	field: string;
	maxBytes: number;
}

/** The binary property names of a field: one name, or several separated by commas. */
export function binaryPropertyNames(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((name) => String(name ?? '').trim()).filter((name) => name !== '');
}

/**
 * The item's binary properties for one name: the name itself, or, when the item has no property of
 * that name, its numbered ones: `<name>_0`, `<name>_1`, … (n8n's Form Trigger, a multi-file field) or
 * `<name>0`, `<name>1`, … (n8n's Webhook node, several files in one multipart field).
 */
export function expandBinaryName(ctx: IExecuteFunctions, itemIndex: number, name: string): string[] {
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	if (binary[name]) return [name];
	const numberOf = (key: string) => (key.startsWith(name) ? /^_?(\d+)$/.exec(key.slice(name.length))?.[1] : undefined);
	const numbered = Object.keys(binary)
		.filter((key) => numberOf(key) !== undefined)
		.sort((a, b) => Number(numberOf(a)) - Number(numberOf(b)));
	return numbered.length ? numbered : [name];
}

/** A URL Legnext can fetch for the image in the item's binary property, or an error naming the fix. */
export async function signedImageUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	options: BinaryImageOptions,
): Promise<string> {
	const node = ctx.getNode();
	const { field } = options;
	if (!property) {
		throw invalidInput(node, itemIndex, field, 'is empty', 'Enter the name of the input binary field that holds the image, e.g. data.');
	}
	const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw invalidInput(
			node,
			itemIndex,
			field,
			`the item has no binary field "${property}"`,
			present.length
				? `Its binary fields are: ${present.join(', ')}. Enter one of them.`
				: 'The item carries no file. Connect a node that outputs the image as a binary file (e.g. Form Trigger, Read/Write Files from Disk, HTTP Request), or choose Image URL.',
		);
	}
	checkIsImage(ctx, itemIndex, property, binary, field, options.maxBytes);
	const bytes = await sizeOf(ctx, binary);
	if (bytes === 0) {
		throw invalidInput(node, itemIndex, field, `the file in "${property}" is empty`, 'Pass an image file to this node.');
	}
	if (bytes !== undefined && bytes > options.maxBytes) {
		throw invalidInput(
			node,
			itemIndex,
			field,
			`the image in "${property}" is ${(bytes / MB).toFixed(1)} MB, more than the ${options.maxBytes / MB} MB Legnext accepts`,
			'Use a smaller image (e.g. resize or compress it with the Edit Image node), or give a public URL of it instead.',
		);
	}
	const url = signUrl(ctx, itemIndex, property, binary, field);
	await checkReachable(ctx, itemIndex, url, field);
	return isMovedLater(binary) ? signUrl(ctx, itemIndex, property, await keptCopy(ctx, binary), field) : url;
}

/**
 * A file that came in with the execution's trigger (a Webhook or Form Trigger writes it before the
 * execution has an ID) is kept in n8n's temporary place, `…/executions/temp/…`. When n8n saves the
 * execution (it pauses, or it ends) it moves the file to the execution's own place (n8n's
 * restoreBinaryDataId, 1.123 and 2.x), and a URL signed for the old place answers 404. Legnext may
 * fetch the image at any moment before the job starts, after a pause or after a Don't Wait run ended,
 * so such a file is copied (streamed, not read into memory) to this node's own place, which stays.
 */
function isMovedLater(binary: IBinaryData): boolean {
	return /\/executions\/temp\//.test(String(binary.id ?? ''));
}

async function keptCopy(ctx: IExecuteFunctions, binary: IBinaryData): Promise<IBinaryData> {
	const stream = await ctx.helpers.getBinaryStream(binary.id as string);
	return await ctx.helpers.prepareBinaryData(stream, binary.fileName, binary.mimeType);
}

/**
 * The image types Legnext reads: Midjourney's (PNG, JPEG, WebP, GIF; Legnext's Retexture page names
 * JPG/PNG/WebP), and TIFF for Topaz Upscale (Legnext's Topaz page: JPEG, PNG or TIFF, up to 100 MB, the
 * only operation with that limit). Another image type (an iPhone's HEIC, SVG, BMP) would be sent, paid
 * for and fail at Legnext's fetch, so it stops here.
 */
const READABLE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/jpg', 'image/pjpeg', 'image/webp', 'image/gif'];
const TOPAZ_ONLY_TYPES = ['image/tiff'];

/** The accepted types in words, for a field of this size limit ("PNG, JPEG, WebP or GIF"). */
export function readableImageTypes(maxBytes: number): string {
	return maxBytes === TOPAZ_IMAGE_MAX_BYTES ? 'PNG, JPEG, WebP, GIF or TIFF' : 'PNG, JPEG, WebP or GIF';
}

/** Why a file is not an image Legnext reads, or undefined when it is one. */
export function unreadableImage(property: string, binary: IBinaryData, maxBytes = INPUT_IMAGE_MAX_BYTES): { problem: string; hint: string } | undefined {
	const mimeType = String(binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (READABLE_IMAGE_TYPES.includes(mimeType)) return undefined;
	if (maxBytes === TOPAZ_IMAGE_MAX_BYTES && TOPAZ_ONLY_TYPES.includes(mimeType)) return undefined;
	const readable = readableImageTypes(maxBytes);
	const name = binary.fileName ? ` (${binary.fileName})` : '';
	if (mimeType.startsWith('image/')) {
		return {
			problem: `"${property}" holds a ${mimeType.slice('image/'.length).toUpperCase()} image${name}; Legnext reads ${readable.replace(' or ', ' and ')}`,
			hint: 'Convert it to PNG or JPEG first (e.g. the Edit Image node with Format PNG), or give a public URL of a PNG or JPEG image instead.',
		};
	}
	return {
		problem: `"${property}" holds ${mimeType ? `a file of type ${mimeType}` : 'a file of unknown type'}${name}, not an image`,
		hint: `Legnext reads images (${readable}). Choose the binary field that holds one. If it is an image typed wrongly (a file without extension is typed text/plain), set its type where it is read, e.g. Read/Write Files from Disk → Options → MIME Type.`,
	};
}

function checkIsImage(ctx: IExecuteFunctions, itemIndex: number, property: string, binary: IBinaryData, field: string, maxBytes: number): void {
	const unreadable = unreadableImage(property, binary, maxBytes);
	if (unreadable) throw invalidInput(ctx.getNode(), itemIndex, field, unreadable.problem, unreadable.hint);
}

/** The file's size from n8n's metadata: `bytes` when n8n recorded it, else its stored metadata. */
async function sizeOf(ctx: IExecuteFunctions, binary: IBinaryData): Promise<number | undefined> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) {
		try {
			return (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize;
		} catch {
			return undefined;
		}
	}
	// In memory: the base64 text's length gives the size without decoding it.
	const data = String(binary.data ?? '').replace(/=+$/, '');
	return Math.floor((data.length * 3) / 4);
}

function signUrl(ctx: IExecuteFunctions, itemIndex: number, property: string, binary: IBinaryData, field: string): string {
	const inMemory = () =>
		invalidInput(
			ctx.getNode(),
			itemIndex,
			field,
			`n8n keeps the file in "${property}" in memory, so it cannot give Legnext a URL for it`,
			'Set N8N_DEFAULT_BINARY_DATA_MODE=filesystem (or s3) and restart n8n, so that n8n can hand Legnext a signed URL of the file; or give a public URL of the image instead (choose Image URL).',
		);
	// Without an ID the file lives in the item itself (memory mode): n8n can sign no URL for it.
	if (!binary.id) throw inMemory();
	try {
		return ctx.helpers.createBinarySignedUrl(binary, SIGNED_URL_LIFETIME);
	} catch (error) {
		if (/memory mode/i.test((error as Error).message ?? '')) throw inMemory();
		throw invalidInput(
			ctx.getNode(),
			itemIndex,
			field,
			`n8n could not sign a URL for the file in "${property}": ${(error as Error).message}`,
			'Check that binary data is stored in filesystem or S3 mode (N8N_DEFAULT_BINARY_DATA_MODE), or give a public URL of the image instead.',
		);
	}
}

/** A Legnext on this machine (the simulator, a proxy) can fetch from a local n8n; Legnext's cloud cannot. */
async function checkReachable(ctx: IExecuteFunctions, itemIndex: number, url: string, field: string): Promise<void> {
	if (await legnextCanReach(ctx, url)) return;
	throw invalidInput(
		ctx.getNode(),
		itemIndex,
		field,
		`Legnext cannot fetch the file: n8n's address ${new URL(url).origin} is local, only this machine or network can open it`,
		'Set N8N_WEBHOOK_URL (n8n 2.x) or WEBHOOK_URL (n8n 1.123) to n8n’s public https address and restart n8n, so that Legnext can fetch the file from n8n; or give a public URL of the image instead (choose Image URL).',
	);
}
