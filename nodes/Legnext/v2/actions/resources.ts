import { getBalance } from './account/getBalance.operation';
import { blend } from './image/blend.operation';
import { describe } from './image/describe.operation';
import { edit } from './image/edit.operation';
import { enhance } from './image/enhance.operation';
import { pan } from './image/pan.operation';
import { removeBackground } from './image/removeBackground.operation';
import { remix } from './image/remix.operation';
import { reroll } from './image/reroll.operation';
import { retexture } from './image/retexture.operation';
import { shorten } from './image/shorten.operation';
import { textToImage } from './image/textToImage.operation';
import { topazUpscale } from './image/topazUpscale.operation';
import { uploadPaint } from './image/uploadPaint.operation';
import { upscale } from './image/upscale.operation';
import { variation } from './image/variation.operation';
import { varyRegion } from './image/varyRegion.operation';
import { zoomOut } from './image/zoomOut.operation';
import { getJob } from './job/get.operation';
import type { LegnextOperation, LegnextResource } from '../../run/operation';
import { extendVideo } from './video/extend.operation';
import { imageToVideo } from './video/imageToVideo.operation';
import { upscaleVideo } from './video/upscale.operation';

/**
 * Every resource and operation of the node, in the order the editor lists them: for images, first
 * what creates a set of images, then what works on one image of a job, then what takes any image
 * URL, then prompt tools, then the operations only whitelisted accounts may use.
 */
export const RESOURCES: LegnextResource[] = [
	{
		option: { name: 'Image', value: 'image', description: 'Generate and edit Midjourney images' },
		operations: [
			textToImage,
			blend,
			reroll,
			upscale,
			variation,
			remix,
			varyRegion,
			zoomOut,
			pan,
			enhance,
			topazUpscale,
			removeBackground,
			retexture,
			describe,
			shorten,
			edit,
			uploadPaint,
		],
	},
	{
		option: { name: 'Video', value: 'video', description: 'Animate images into videos, extend and upscale them' },
		operations: [imageToVideo, extendVideo, upscaleVideo],
	},
	{
		option: { name: 'Job', value: 'job', description: 'Look up any Legnext job' },
		operations: [getJob],
	},
	{
		option: { name: 'Account', value: 'account', description: 'Read the Legnext account’s balance' },
		operations: [getBalance],
	},
];

export function findOperation(resource: string, operation: string): LegnextOperation | undefined {
	return RESOURCES.find((r) => r.option.value === resource)?.operations.find((o) => o.option.value === operation);
}
