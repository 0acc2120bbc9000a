import type { IExecuteFunctions } from 'n8n-workflow';

import type { ApiRequest } from '../../../../shared/api';
import { unreadableImage } from '../../../run/binaryImage';
import { invalidInput } from '../../../run/validate';
import { readHttpUrl } from '../fields';
import { imageSourceField, readImageSourceChoice, type ImageSourceChoice } from '../imageInput';
import type { LegnextOperation } from '../../../run/operation';

/**
 * Legnext documents no size limit for Describe; 10 MB is the limit it states for its other image
 * inputs (Retexture), and larger bodies earn a 413. Checked here so a large file fails before sending.
 */
export const DESCRIBE_MAX_BYTES = 10 * 1024 * 1024;

const SOURCES: ImageSourceChoice[] = [
	{ name: 'Image URL', value: 'url', description: 'A public image on the web' },
	{ name: 'Binary File', value: 'binary', description: 'An image file from an earlier node (e.g. Read File, HTTP Request)' },
];

/**
 * One version of Legnext's docs names the URL field `imgUrl` (also the OpenAPI spec), another
 * `imageLink`; `imgUrl` is sent. A file is sent as `imageBase64`, a data URL
 * ("data:image/png;base64,…"), as the docs describe it.
 */
async function describeRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<ApiRequest> {
	const source = readImageSourceChoice(ctx, itemIndex, SOURCES);
	if (source === 'url') {
		return { method: 'POST', path: '/api/v1/describe', body: { imgUrl: readHttpUrl(ctx, itemIndex, 'imageUrl', 'Image URL') } };
	}
	return await fromBinaryFile(ctx, itemIndex);
}

async function fromBinaryFile(ctx: IExecuteFunctions, itemIndex: number): Promise<ApiRequest> {
	const node = ctx.getNode();
	const property = String(ctx.getNodeParameter('binaryPropertyName', itemIndex) ?? '').trim();
	if (!property) {
		throw invalidInput(node, itemIndex, 'Input Binary Field', 'is empty', 'Enter the name of the binary field that holds the image, e.g. data.');
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const unreadable = unreadableImage(property, binary);
	if (unreadable) throw invalidInput(node, itemIndex, 'Input Binary Field', unreadable.problem, unreadable.hint);
	const mimeType = String(binary.mimeType).split(';')[0].trim().toLowerCase();
	const tooLarge = (bytes: number) =>
		invalidInput(
			node,
			itemIndex,
			'Input Binary Field',
			`the image in "${property}" is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${DESCRIBE_MAX_BYTES / 1024 / 1024} MB Legnext accepts`,
			'Use a smaller image (e.g. resize it with the Edit Image node), or give its public URL instead.',
		);
	if (typeof binary.bytes === 'number' && binary.bytes > DESCRIBE_MAX_BYTES) throw tooLarge(binary.bytes);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (buffer.length === 0) {
		throw invalidInput(node, itemIndex, 'Input Binary Field', `the file in "${property}" is empty`, 'Pass an image file to this node.');
	}
	if (buffer.length > DESCRIBE_MAX_BYTES) throw tooLarge(buffer.length);
	return {
		method: 'POST',
		path: '/api/v1/describe',
		body: { imageBase64: `data:${mimeType};base64,${buffer.toString('base64')}` },
	};
}

export const describe: LegnextOperation = {
	option: {
		name: 'Describe',
		value: 'describe',
		action: 'Describe an image as prompts',
		description:
			'Write Midjourney prompts that describe an image (a public URL or an image file of the incoming item); the finished job lists four prompts (prompts, promptEn)',
	},
	kind: 'submit',
	facts: { taskType: 'describe', returns: 'four prompts (prompts) and the job ID' },
	properties: [
		imageSourceField(SOURCES),
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/photo.jpg',
			displayOptions: { show: { imageSource: ['url'] } },
			description: 'A public http(s) URL of the image to describe',
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			placeholder: 'e.g. data',
			displayOptions: { show: { imageSource: ['binary'] } },
			hint: 'The name of the input binary field containing the image',
			description: `The binary field of the incoming item that holds the image (PNG, JPEG, WebP or GIF, at most ${DESCRIBE_MAX_BYTES / 1024 / 1024} MB)`,
		},
	],
	request: describeRequest,
};
