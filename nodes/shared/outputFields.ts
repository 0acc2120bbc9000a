import type { INodeProperties } from 'n8n-workflow';

/** The output fields both the Legnext node and the Legnext Trigger show: downloads and Simplify. */

export const downloadProperties: INodeProperties[] = [
	{
		displayName: 'Download Files',
		name: 'download',
		type: 'options',
		default: 'none',
		description:
			'Whether to fetch the finished job’s pictures or videos into n8n as binary data, ready for Slack, Google Drive, email and the like. The URLs stay in the JSON.',
		options: [
			{ name: 'All Files', value: 'all', description: 'The four images, the grid and any videos' },
			{ name: 'All Four Images', value: 'images' },
			{ name: 'Chosen Images', value: 'chosenImages', description: 'Only the image numbers you pick' },
			{ name: "Don't Download", value: 'none', description: 'Output the URLs only' },
			{ name: 'Grid Image', value: 'grid', description: 'The 2x2 grid of all four images' },
			{ name: 'Videos', value: 'videos' },
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
		displayName: 'Files Layout',
		name: 'fileLayout',
		type: 'options',
		default: 'itemPerFile',
		displayOptions: { hide: { download: ['none'] } },
		description:
			'With Wait for Result → Pause Until Callback, a job’s files always come on its one item: n8n pairs a resumed node’s items with its input items one to one',
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

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a flat job (ID, status, image and video URLs, seed, usage) instead of the full job Legnext sent',
};
