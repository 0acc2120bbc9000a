import type { IExecuteFunctions } from 'n8n-workflow';

import { INPUT_IMAGE_MAX_BYTES } from '../../../run/binaryImage';
import { readUrlOrBinary, urlOrBinaryFields } from '../imageInput';
import { IMAGE_URL_MAX_LENGTH } from '../../../run/rules';
import type { LegnextOperation } from '../../../run/operation';

export const removeBackground: LegnextOperation = {
	option: {
		name: 'Remove Background',
		value: 'removeBackground',
		action: 'Remove the background of an image',
		description: 'Cut out the subject of any image (a public URL or an image file of the incoming item) and return one PNG with a transparent background',
	},
	kind: 'submit',
	facts: { taskType: 'remove_background', returns: 'the PNG’s URL (imageUrls) and the job ID' },
	properties: urlOrBinaryFields(
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/product.jpg',
			description: `A public http(s) URL of the image, at most ${IMAGE_URL_MAX_LENGTH} characters`,
		},
		INPUT_IMAGE_MAX_BYTES,
	),
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const imgUrl = await readUrlOrBinary(ctx, itemIndex, { maxBytes: INPUT_IMAGE_MAX_BYTES, maxUrlLength: IMAGE_URL_MAX_LENGTH });
		return { method: 'POST' as const, path: '/api/v1/remove-background', body: { imgUrl } };
	},
};
