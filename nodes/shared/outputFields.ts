import type { INodeProperties } from 'n8n-workflow';

/** The output fields both the Legnext node and the Legnext Trigger show: downloads and Simplify. */

const FILES_LAYOUT_DESCRIPTION = 'How several downloaded files come out; a single file is always one item, its file in "data"';

export const downloadProperties: INodeProperties[] = [
	{
		displayName: 'Download Files',
		name: 'download',
		type: 'options',
		default: 'none',
		description:
			'Which of the finished job’s pictures or videos to fetch into n8n as binary data, ready for Slack, Google Drive, email and the like. Every URL stays in the JSON.',
		options: [
			{ name: 'All Files', value: 'all', description: 'The four images, the grid and any videos (a job of one image: that image)' },
			{ name: 'Chosen Images', value: 'chosenImages', description: 'Only the image numbers you pick' },
			{ name: 'Chosen Videos', value: 'chosenVideos', description: 'Only the video numbers you pick' },
			{ name: "Don't Download", value: 'none', description: 'Output the URLs only' },
			{ name: 'Grid Image', value: 'grid', description: 'The 2x2 grid of all four images: one item per job' },
			{ name: 'The Four Images, One Item Each', value: 'images', description: 'Each image on its own item (see Files Layout)' },
			{ name: 'The Videos, One Item Each', value: 'videos', description: 'Each video on its own item (see Files Layout)' },
		],
	},
	{
		displayName: 'Image Numbers',
		name: 'imageNumbers',
		type: 'multiOptions',
		default: [0],
		displayOptions: { show: { download: ['chosenImages'] } },
		description: 'Which images to download: 0 top left, 1 top right, 2 bottom left, 3 bottom right',
		options: [
			{ name: '0 (Top Left)', value: 0 },
			{ name: '1 (Top Right)', value: 1 },
			{ name: '2 (Bottom Left)', value: 2 },
			{ name: '3 (Bottom Right)', value: 3 },
		],
	},
	{
		displayName: 'Video Numbers',
		name: 'videoNumbers',
		type: 'multiOptions',
		default: [0],
		displayOptions: { show: { download: ['chosenVideos'] } },
		description: 'Which videos to download, from 0 (the first) to 3 (the fourth)',
		options: [
			{ name: '0 (First)', value: 0 },
			{ name: '1 (Second)', value: 1 },
			{ name: '2 (Third)', value: 2 },
			{ name: '3 (Fourth)', value: 3 },
		],
	},
	{
		displayName: 'Files Layout',
		name: 'fileLayout',
		type: 'options',
		default: 'itemPerFile',
		displayOptions: { hide: { download: ['none'] } },
		description: FILES_LAYOUT_DESCRIPTION,
		options: [
			{
				name: 'One Item per File',
				value: 'itemPerFile',
				description: 'Each file in the "data" binary property of its own item: what Slack and Google Drive nodes expect',
			},
			{
				name: 'All Files on One Item',
				value: 'filesOnOneItem',
				description: 'One item per job, with binary properties image_0 … image_3, grid, video_0 …',
			},
		],
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 200,
		displayOptions: { hide: { download: ['none'] } },
		description: 'A larger file is refused with an error rather than filling n8n’s storage',
	},
];

/** The Legnext node's Files Layout hint adds what its pause does to the layout (the trigger has no pause). */
export const PAUSE_LAYOUT_NOTE =
	'. With Wait for Result → Pause Until Callback a job’s files always come on its one item: n8n pairs a resumed node’s items with its input items one to one.';

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a flat job (ID, status, image and video URLs, seed, usage) instead of the full job Legnext sent',
};
