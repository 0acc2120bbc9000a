import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrlList, checkOneOf } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { INPUT_IMAGE_MAX_BYTES } from '../../../run/binaryImage';
import { BINARY_FILE_OPTION, binaryImageNames, binaryListField, imageSourceField, readBinaryImageUrls, readImageSourceChoice, type ImageSourceChoice } from '../imageInput';
import { BASE64_SHAPE_FIELDS, base64Body, type BlendImage } from './blendBase64';

const ASPECT_RATIOS = [
	{ name: 'Portrait (2:3)', value: '2:3' },
	{ name: 'Square (1:1)', value: '1:1' },
	{ name: 'Landscape (3:2)', value: '3:2' },
];
const IMAGE_COUNT = { min: 2, max: 5 };
const SOURCES: ImageSourceChoice[] = [
	{ name: 'Image URLs', value: 'url', description: 'Public images on the web' },
	{ ...BINARY_FILE_OPTION, name: 'Binary Files', description: 'Image files of the incoming item, handed to Legnext as n8n’s signed URLs of them' },
];

export const blend: LegnextOperation = {
	option: {
		name: 'Blend',
		value: 'blend',
		action: 'Blend images into a new image',
		description:
			'Merge 2 to 5 images (public URLs or image files of the incoming item) into four new images that combine their content and style',
	},
	kind: 'submit',
	facts: { taskType: 'blend', returns: 'four image URLs (imageUrls) and the job ID' },
	properties: [
		imageSourceField(SOURCES),
		{ ...binaryListField(IMAGE_COUNT, INPUT_IMAGE_MAX_BYTES), displayOptions: { show: { imageSource: ['binary'] } } },
		{
			displayName: 'Image URLs',
			name: 'imageUrls',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Image URL' },
			default: ['', ''],
			required: true,
			displayOptions: { show: { imageSource: ['url'] } },
			placeholder: 'e.g. https://example.com/photo.png',
			description:
				'2 to 5 public http(s) image URLs. An expression may also give an array, or one text with the URLs separated by commas or spaces.',
		},
		{
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: ASPECT_RATIOS,
			default: '1:1',
			description: 'The shape of the blended images',
		},
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const source = readImageSourceChoice(ctx, itemIndex, SOURCES);
		let imgUrls: string[];
		let images: BlendImage[];
		if (source === 'binary') {
			imgUrls = await readBinaryImageUrls(ctx, itemIndex, IMAGE_COUNT, INPUT_IMAGE_MAX_BYTES);
			images = binaryImageNames(ctx, itemIndex).map((binaryProperty) => ({ binaryProperty }));
		} else {
			imgUrls = checkHttpUrlList(node, itemIndex, 'Image URLs', ctx.getNodeParameter('imageUrls', itemIndex), IMAGE_COUNT);
			images = imgUrls.map((url) => ({ url }));
		}
		const aspectRatio = checkOneOf(node, itemIndex, 'Aspect Ratio', ctx.getNodeParameter('aspectRatio', itemIndex), ASPECT_RATIOS);
		const path = '/api/v1/blend';
		return {
			method: 'POST' as const,
			path,
			body: { imgUrls, aspect_ratio: aspectRatio },
			// Legnext's sources disagree on Blend's body: the docs' API reference sends base64Array + dimension.
			otherShape: {
				namedBy: BASE64_SHAPE_FIELDS,
				build: async () => ({ method: 'POST' as const, path, body: await base64Body(ctx, itemIndex, images, aspectRatio, INPUT_IMAGE_MAX_BYTES) }),
			},
		};
	},
};
