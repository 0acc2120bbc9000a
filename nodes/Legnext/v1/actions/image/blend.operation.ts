import type { IExecuteFunctions } from 'n8n-workflow';

import { checkHttpUrl, checkOneOf, invalidInput } from '../../../run/validate';
import type { LegnextOperation } from '../../../run/operation';
import { callbackField, jobAsReturned, withCallback } from '../fields';

const ASPECT_RATIOS = [
	{ name: '2:3', value: '2:3' },
	{ name: '1:1', value: '1:1' },
	{ name: '3:2', value: '3:2' },
];
const IMAGE_COUNT = { min: 2, max: 5 };

/** 0.1.0's list: one URL per line, trimmed, blank lines dropped. An array (from an expression) works too. */
function readImageUrls(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const node = ctx.getNode();
	const value = ctx.getNodeParameter('imgUrls', itemIndex, '');
	const lines = (Array.isArray(value) ? value.map(String) : String(value ?? '').split('\n'))
		.map((url) => url.trim())
		.filter((url) => url.length > 0);
	if (lines.length < IMAGE_COUNT.min || lines.length > IMAGE_COUNT.max) {
		throw invalidInput(
			node,
			itemIndex,
			'Image URLs',
			`has ${lines.length} URL${lines.length === 1 ? '' : 's'}, Legnext needs 2 to 5`,
			'Enter 2 to 5 public image URLs, one per line.',
		);
	}
	return lines.map((url, position) => checkHttpUrl(node, itemIndex, `Image URLs (line ${position + 1})`, url));
}

export const blend: LegnextOperation = {
	option: {
		name: 'Blend',
		value: 'blend',
		action: 'Blend images',
		description: 'Start blending 2 to 5 images into new ones; outputs the job as submitted',
	},
	kind: 'submit',
	properties: [
		{
			displayName: 'Image URLs',
			name: 'imgUrls',
			type: 'string',
			default: '',
			required: true,
			typeOptions: { rows: 4 },
			placeholder: 'e.g. https://example.com/a.png',
			description: '2 to 5 public image URLs, one per line',
		},
		{
			displayName: 'Aspect Ratio',
			name: 'aspect_ratio',
			type: 'options',
			default: '1:1',
			required: true,
			options: ASPECT_RATIOS,
			description: 'The shape of the blended images',
		},
		callbackField,
	],
	request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const body = withCallback(ctx, itemIndex, {
			imgUrls: readImageUrls(ctx, itemIndex),
			aspect_ratio: checkOneOf(node, itemIndex, 'Aspect Ratio', ctx.getNodeParameter('aspect_ratio', itemIndex, '1:1'), ASPECT_RATIOS),
		});
		return { method: 'POST', path: '/api/v1/blend', body };
	},
	toJson: jobAsReturned,
};
