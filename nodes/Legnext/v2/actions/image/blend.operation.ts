import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrlList, checkOneOf } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { INPUT_IMAGE_MAX_BYTES } from '../../../run/binaryImage';
import { BINARY_FILE_OPTION, binaryListField, readBinaryImageUrls } from '../imageInput';

const ASPECT_RATIOS = [
	{ name: 'Portrait (2:3)', value: '2:3' },
	{ name: 'Square (1:1)', value: '1:1' },
	{ name: 'Landscape (3:2)', value: '3:2' },
];
const IMAGE_COUNT = { min: 2, max: 5 };

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
		{
			displayName: 'Image Source',
			name: 'imageSource',
			type: 'options',
			options: [{ name: 'Image URLs', value: 'url', description: 'Public images on the web' }, { ...BINARY_FILE_OPTION, name: 'Binary Files', description: 'Image files of the incoming item, handed to Legnext as n8n’s signed URLs of them' }],
			default: 'url',
		},
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
		const source = checkOneOf(node, itemIndex, 'Image Source', ctx.getNodeParameter('imageSource', itemIndex, 'url'), [
			{ name: 'Image URLs', value: 'url' },
			{ name: 'Binary Files', value: 'binary' },
		]);
		const body = {
			imgUrls:
				source === 'binary'
					? await readBinaryImageUrls(ctx, itemIndex, IMAGE_COUNT, INPUT_IMAGE_MAX_BYTES)
					: checkHttpUrlList(node, itemIndex, 'Image URLs', ctx.getNodeParameter('imageUrls', itemIndex), IMAGE_COUNT),
			aspect_ratio: checkOneOf(node, itemIndex, 'Aspect Ratio', ctx.getNodeParameter('aspectRatio', itemIndex), ASPECT_RATIOS),
		};
		return { method: 'POST' as const, path: '/api/v1/blend', body };
	},
};
