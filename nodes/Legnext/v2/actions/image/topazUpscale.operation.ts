import type { IDataObject, IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';

import { checkOneOf } from '../../../run/validate';
import { imageSourceFields, readImageSource } from '../fields';
import type { LegnextOperation } from '../../../run/operation';
import { TOPAZ_IMAGE_MAX_BYTES } from '../../../run/binaryImage';

type Choice = INodePropertyOptions & { value: string };

/**
 * Legnext's documented values (docs.legnext.ai, Enhancement → Topaz Upscale). `aliases` are
 * spellings Legnext also accepts; the editor offers one of each.
 */
const SETTINGS: Array<{ name: string; field: string; label: string; choices: Choice[]; aliases?: string[]; fallback: string; description: string }> = [
	{
		name: 'targetResolution',
		field: 'target_resolution',
		label: 'Target Resolution',
		fallback: '2K',
		description: 'Long edge of the result: up to 2K costs 120 points, 4K 160 (Legnext’s docs give no price above 4K)',
		choices: [
			{ name: 'HD', value: 'HD', description: 'Long edge 1920 pixels, as FHD: Legnext’s docs give the two one row (HD/FHD)' },
			{ name: 'FHD', value: 'FHD', description: 'Long edge 1920 pixels (Legnext’s docs: HD/FHD)' },
			{ name: '2K', value: '2K', description: 'Long edge 2560 pixels (Legnext’s default)' },
			{ name: '4K', value: '4K', description: 'Long edge 3840 pixels' },
			{ name: '6K', value: '6K' },
			{ name: '8K', value: '8K' },
			{ name: '12K', value: '12K' },
		],
	},
	{
		name: 'contentType',
		field: 'content_type',
		label: 'Content Type',
		fallback: 'standard',
		description: 'What the image shows; picks the enhancement model',
		choices: [
			{ name: 'Standard', value: 'standard', description: 'General purpose' },
			{ name: 'Photo', value: 'photo', description: 'Photographs' },
			{ name: 'Illustration', value: 'illustration', description: 'Drawings, paintings, digital art' },
			{ name: 'Text', value: 'text', description: 'Images with text and shapes' },
			{ name: 'Low Resolution', value: 'low_res', description: 'Small or blurry sources' },
		],
	},
	{
		name: 'aspectRatio',
		field: 'aspect_ratio',
		label: 'Aspect Ratio',
		fallback: 'keep',
		description: 'Shape of the result; Keep leaves it as it is',
		choices: ['keep', '1:1', '16:9', '9:16', '4:5', '5:4', '3:2', '2:3', '4:3', '3:4'].map((value) => ({
			name: value === 'keep' ? 'Keep' : value,
			value,
		})),
	},
	{
		name: 'cropMode',
		field: 'crop_mode',
		label: 'Crop Mode',
		fallback: 'letterbox',
		description: 'How the image fits a new aspect ratio',
		choices: [
			{ name: 'Letterbox', value: 'letterbox', description: 'Fit the whole image, with bars' },
			{ name: 'Crop', value: 'crop', description: 'Fill the shape, cutting the edges' },
			{ name: 'Stretch', value: 'stretch', description: 'Fill the shape, distorting the image' },
		],
	},
	{
		name: 'outputFormat',
		field: 'output_format',
		label: 'Output Format',
		fallback: 'jpeg',
		description: 'File format of the result',
		aliases: ['jpg', 'tif'],
		choices: [
			{ name: 'JPEG', value: 'jpeg' },
			{ name: 'PNG', value: 'png' },
			{ name: 'TIFF', value: 'tiff' },
		],
	},
	{
		name: 'faceEnhancementLevel',
		field: 'face_enhancement_level',
		label: 'Face Enhancement Level',
		fallback: 'moderate',
		description: 'How much faces are restored',
		aliases: ['none'],
		choices: [
			{ name: 'Off', value: 'off' },
			{ name: 'Subtle', value: 'subtle' },
			{ name: 'Moderate', value: 'moderate' },
			{ name: 'Strong', value: 'strong' },
		],
	},
];

export const topazUpscale: LegnextOperation = {
	option: {
		name: 'Topaz Upscale',
		value: 'topazUpscale',
		action: 'Upscale an image with Topaz',
		description:
			'Enlarge and enhance any image (a public URL or an image file of the incoming item) or an image of an earlier job with Topaz, up to 12K, with a choice of model, shape and format; gives one image',
	},
	kind: 'submit',
	facts: { taskType: 'enhance_upscale', returns: 'the image URL (imageUrls) and the job ID' },
	properties: [
		...imageSourceFields({
			job: 'One of the four images of a finished image job',
			jobId: 'The finished image job whose image to upscale',
			what: 'upscale',
			url: 'Any public JPEG, PNG or TIFF image up to 100 MB',
			urlPlaceholder: 'e.g. https://example.com/photo.jpg',
			maxBytes: TOPAZ_IMAGE_MAX_BYTES,
		}),
		{
			displayName: 'Upscale Options',
			name: 'upscaleOptions',
			type: 'collection',
			placeholder: 'Add Upscale Option',
			default: {},
			description: 'Settings left out use Legnext’s defaults (2K, standard, keep, letterbox, JPEG, moderate)',
			options: SETTINGS.map((setting) => ({
				displayName: setting.label,
				name: setting.name,
				type: 'options' as const,
				options: setting.choices,
				default: setting.fallback,
				description: setting.description,
			})).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	],
	async request(ctx: IExecuteFunctions, itemIndex: number) {
		const node = ctx.getNode();
		const source = await readImageSource(ctx, itemIndex, TOPAZ_IMAGE_MAX_BYTES);
		const body: IDataObject = 'imageUrl' in source ? { image_url: source.imageUrl } : { ...source };
		const options = (ctx.getNodeParameter('upscaleOptions', itemIndex, {}) ?? {}) as IDataObject;
		for (const setting of SETTINGS) {
			const value = options[setting.name];
			if (value === undefined || value === null || value === '') continue;
			const allowed = [...setting.choices, ...(setting.aliases ?? []).map((alias) => ({ name: alias, value: alias }))];
			body[setting.field] = checkOneOf(node, itemIndex, `Upscale Options → ${setting.label}`, value, allowed);
		}
		return { method: 'POST' as const, path: '/api/v1/enhance-upscale', body };
	},
};
