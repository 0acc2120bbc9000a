import { getJob } from './job/get.operation';
import { textToImage } from './image/textToImage.operation';
import type { LegnextOperation, LegnextResource } from './operation';
import { imageToVideo } from './video/imageToVideo.operation';

/** Every resource and operation of the node, in the order the editor lists them. */
export const RESOURCES: LegnextResource[] = [
	{
		option: { name: 'Image', value: 'image', description: 'Generate and edit Midjourney images' },
		operations: [textToImage],
	},
	{
		option: { name: 'Video', value: 'video', description: 'Animate images into videos' },
		operations: [imageToVideo],
	},
	{
		option: { name: 'Job', value: 'job', description: 'Look up any Legnext job' },
		operations: [getJob],
	},
];

export function findOperation(resource: string, operation: string): LegnextOperation | undefined {
	return RESOURCES.find((r) => r.option.value === resource)?.operations.find((o) => o.option.value === operation);
}
