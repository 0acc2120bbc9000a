import type { LegnextResource } from '../../run/operation';
import { getBalance } from './account/getBalance.operation';
import { blend } from './image/blend.operation';
import { describe } from './image/describe.operation';
import { imagine } from './image/imagine.operation';
import { outpaint } from './image/outpaint.operation';
import { pan } from './image/pan.operation';
import { reroll } from './image/reroll.operation';
import { shorten } from './image/shorten.operation';
import { upscale } from './image/upscale.operation';
import { variation } from './image/variation.operation';
import { getJob } from './job/get.operation';
import { extendVideo } from './video/extendVideo.operation';
import { upscaleVideo } from './video/upscaleVideo.operation';
import { videoDiffusion } from './video/videoDiffusion.operation';

/** Version 1: the resources and operations of Legnext's node 0.1.0, in its (alphabetical) order. */
export const RESOURCES_V1: LegnextResource[] = [
	{ option: { name: 'Account', value: 'account' }, operations: [getBalance] },
	{
		option: { name: 'Image', value: 'image' },
		operations: [blend, describe, imagine, outpaint, pan, reroll, shorten, upscale, variation],
	},
	{ option: { name: 'Job', value: 'job' }, operations: [getJob] },
	{ option: { name: 'Video', value: 'video' }, operations: [extendVideo, upscaleVideo, videoDiffusion] },
];

/** 0.1.0's defaults, not the first of each list: what a saved node means when it stores no resource or operation. */
export const DEFAULTS_V1 = {
	resource: 'image',
	operation: { account: 'getBalance', image: 'imagine', job: 'get', video: 'videoDiffusion' } as Record<string, string>,
};
