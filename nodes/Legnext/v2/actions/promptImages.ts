import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { binaryPropertyNames, expandBinaryName, INPUT_IMAGE_MAX_BYTES, signedImageUrl } from '../../run/binaryImage';
import { invalidInput } from '../../run/validate';

/**
 * Prompt Options that take image files of the input item instead of URLs: style and character
 * references (Text to Image) and the end frame (Image to Video). Each file becomes n8n's signed URL of
 * it (../../run/binaryImage.ts, checked before anything is paid) and joins the URLs of its URL option,
 * so the prompt builder sees URLs only.
 */

const MB = 1024 * 1024;
const NAMES_HINT = `separated by commas; a name the item does not have stands for its numbered fields (data → data_0, data_1, …). PNG, JPEG, WebP or GIF, at most ${INPUT_IMAGE_MAX_BYTES / MB} MB each, handed to Legnext as n8n's signed URLs`;

export const imageReferenceBinaryOptions: INodeProperties[] = [
	{
		displayName: 'Character Reference Binary Fields',
		name: 'characterReferenceBinary',
		type: 'string',
		default: '',
		placeholder: 'e.g. hero',
		description: `Binary fields of the incoming item holding images of a character to keep consistent (--cref), ${NAMES_HINT}`,
	},
	{
		displayName: 'Style Reference Binary Fields',
		name: 'styleReferenceBinary',
		type: 'string',
		default: '',
		placeholder: 'e.g. style',
		description: `Binary fields of the incoming item holding images whose look to copy (--sref), ${NAMES_HINT}`,
	},
];

export const videoEndFrameBinaryOption: INodeProperties = {
	displayName: 'End Frame Binary Field',
	name: 'endFrameBinary',
	type: 'string',
	default: '',
	placeholder: 'e.g. lastFrame',
	description: `The binary field of the incoming item holding the image the videos should end on (--end), at most ${INPUT_IMAGE_MAX_BYTES / MB} MB, handed to Legnext as n8n's signed URL. Not with End Frame URL or Loop.`,
};

const LISTS = [
	{ binary: 'styleReferenceBinary', urls: 'styleReferenceUrls', label: 'Style Reference Binary Fields' },
	{ binary: 'characterReferenceBinary', urls: 'characterReferenceUrls', label: 'Character Reference Binary Fields' },
] as const;

/** The options with their binary fields turned into URLs (a copy; the binary keys removed). */
export async function withBinaryImageUrls(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): Promise<IDataObject> {
	const resolved: IDataObject = { ...options };
	for (const list of LISTS) {
		const names = binaryPropertyNames(options[list.binary]);
		delete resolved[list.binary];
		if (!names.length) continue;
		const field = `Prompt Options → ${list.label}`;
		const urls: string[] = [];
		for (const name of names.flatMap((entry) => expandBinaryName(ctx, itemIndex, entry))) {
			urls.push(await signedImageUrl(ctx, itemIndex, name, { field, maxBytes: INPUT_IMAGE_MAX_BYTES }));
		}
		const typed = options[list.urls];
		resolved[list.urls] = [...(Array.isArray(typed) ? typed : typed ? [typed] : []), ...urls] as string[];
	}
	const endFrame = String(options.endFrameBinary ?? '').trim();
	delete resolved.endFrameBinary;
	if (endFrame) {
		const field = 'Prompt Options → End Frame Binary Field';
		if (String(options.endFrameUrl ?? '').trim()) {
			throw invalidInput(ctx.getNode(), itemIndex, field, 'is set together with End Frame URL', 'Use one end frame: remove End Frame URL or End Frame Binary Field.');
		}
		resolved.endFrameUrl = await signedImageUrl(ctx, itemIndex, endFrame, { field, maxBytes: INPUT_IMAGE_MAX_BYTES });
	}
	return resolved;
}
