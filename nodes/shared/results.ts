import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cancelledError } from './api';
import { clock } from './clock';
import { isTerminal, jobFileUrls, type LegnextJob } from './job';
import { retryDelay, RETRY_POLICIES } from './retry';

/** Which of a job's files to download as n8n binary data. */
export type DownloadChoice = 'none' | 'images' | 'grid' | 'chosenImages' | 'videos' | 'all';
export type FileLayout = 'itemPerFile' | 'filesOnOneItem';

export interface DownloadOptions {
	download: DownloadChoice;
	imageNumbers?: number[];
	layout: FileLayout;
	maxFileSizeMb: number;
}

type ResultContext = IExecuteFunctions | IWebhookFunctions;
type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

interface FileToDownload {
	kind: 'image' | 'grid' | 'video';
	/** 0–3 for images and videos, undefined for the grid. */
	index?: number;
	url: string;
}

/** The fields both the Legnext node and the Legnext Trigger show for downloads. */
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

export function readDownloadOptions(ctx: ResultContext, itemIndex = 0): DownloadOptions {
	const get = (name: string, fallback: unknown) =>
		'getInputData' in ctx ? ctx.getNodeParameter(name, itemIndex, fallback) : ctx.getNodeParameter(name, fallback);
	return {
		download: get('download', 'none') as DownloadChoice,
		imageNumbers: (get('imageNumbers', [0]) as number[]).map(Number),
		layout: get('fileLayout', 'itemPerFile') as FileLayout,
		maxFileSizeMb: Number(get('maxFileSizeMb', 200)),
	};
}

export function filesToDownload(job: LegnextJob, options: DownloadOptions): FileToDownload[] {
	const { images, grid, videos } = jobFileUrls(job);
	const imageFiles = images.map((url, index): FileToDownload => ({ kind: 'image', index, url }));
	const videoFiles = videos.map((url, index): FileToDownload => ({ kind: 'video', index, url }));
	const gridFiles: FileToDownload[] = grid ? [{ kind: 'grid', url: grid }] : [];
	switch (options.download) {
		case 'images':
			return imageFiles;
		case 'chosenImages':
			return imageFiles.filter((file) => options.imageNumbers?.includes(file.index ?? -1));
		case 'grid':
			return gridFiles;
		case 'videos':
			return videoFiles;
		case 'all':
			return [...imageFiles, ...gridFiles, ...videoFiles];
		default:
			return [];
	}
}

/**
 * Turns a finished job into output items: the job's JSON alone, or with its files as binary data,
 * one item per file or all on one item.
 */
export async function jobItems(
	ctx: ResultContext,
	job: LegnextJob,
	json: IDataObject,
	options: DownloadOptions,
	itemIndex: number,
	whenNoFiles: 'error' | 'jsonOnly' = 'error',
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: itemIndex };
	const files = filesToDownload(job, options);
	if (options.download === 'none') return [{ json, pairedItem }];
	// The trigger sees every kind of job: one without files of the chosen kind still starts the workflow.
	if (files.length === 0 && whenNoFiles === 'jsonOnly') return [{ json, pairedItem }];
	if (files.length === 0 && !isTerminal(job)) {
		throw new NodeOperationError(ctx.getNode(), `Job ${job.job_id} is still "${job.status}": it has no files yet (item ${itemIndex})`, {
			description: 'Choose "Poll Until Done" under "Wait for Result", or read the job again later with Job → Get.',
			itemIndex,
		});
	}
	if (files.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `Job ${job.job_id} has no files of the kind chosen in "Download Files" (item ${itemIndex})`, {
			description: `The job (task type "${job.task_type}") produced ${describeFiles(job)}. Choose another "Download Files" value, or "Don't Download".`,
			itemIndex,
		});
	}
	const binaries: IBinaryData[] = [];
	for (const file of files) binaries.push(await downloadFile(ctx, job, file, options, itemIndex));

	if (options.layout === 'filesOnOneItem') {
		const binary: Record<string, IBinaryData> = {};
		files.forEach((file, n) => {
			binary[file.kind === 'grid' ? 'grid' : `${file.kind}_${file.index}`] = binaries[n];
		});
		return [{ json, binary, pairedItem }];
	}
	return files.map((file, n) => ({
		json: { ...json, file: { kind: file.kind, index: file.index ?? null, url: file.url } },
		binary: { data: binaries[n] },
		pairedItem,
	}));
}

function describeFiles(job: LegnextJob): string {
	const { images, grid, videos } = jobFileUrls(job);
	const parts = [
		images.length ? `${images.length} images` : '',
		grid ? 'a grid' : '',
		videos.length ? `${videos.length} videos` : '',
	].filter(Boolean);
	return parts.length ? parts.join(', ') : 'no files';
}

const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'video/webm': 'webm',
};

export function fileName(job: LegnextJob, file: FileToDownload, mimeType: string): string {
	const fromUrl = /\.([a-z0-9]{2,4})(?:$|\?)/i.exec(new URL(file.url).pathname)?.[1];
	const extension = EXTENSIONS[mimeType] ?? fromUrl ?? (file.kind === 'video' ? 'mp4' : 'png');
	const n = file.kind === 'grid' ? 'grid' : String(file.index);
	return `${job.task_type ?? 'job'}_${job.job_id}_${n}.${extension}`;
}

/** The HTTP response body in stream mode (a Node Readable; `stream` itself may not be imported here). */
interface StreamingBody {
	destroy(error?: Error): unknown;
	map(transform: (chunk: unknown) => unknown): StreamingBody;
}

/**
 * Streams one file into n8n's binary storage: a 64 MB video never sits whole in memory. File
 * links need no API key (they are signed CDN links), so none is sent.
 */
async function downloadFile(
	ctx: ResultContext,
	job: LegnextJob,
	file: FileToDownload,
	options: DownloadOptions,
	itemIndex: number,
): Promise<IBinaryData> {
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	const maxBytes = options.maxFileSizeMb * 1024 * 1024;
	const what = `${file.kind === 'grid' ? 'the grid' : `${file.kind} ${file.index}`} of job ${job.job_id}`;

	for (let attempt = 1; ; attempt++) {
		let response: { statusCode: number; headers: IDataObject; body: StreamingBody };
		let networkCode: string | undefined;
		try {
			response = await ctx.helpers.httpRequest({
				method: 'GET',
				url: file.url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 120_000,
				abortSignal: signal,
			});
		} catch (error) {
			networkCode = String((error as { code?: unknown }).code ?? 'ENETWORK');
			response = undefined as never;
		}
		if (signal?.aborted) throw cancelledError(ctx, itemIndex);

		const status = response?.statusCode;
		const temporary = networkCode !== undefined || status === 429 || status >= 500;
		if (response && status >= 200 && status < 300) {
			return await storeStream(ctx, job, file, response, maxBytes, what, itemIndex);
		}
		response?.body.destroy();
		if (!temporary || attempt >= RETRY_POLICIES.read.maxAttempts) {
			throw downloadError(ctx, what, status, networkCode, itemIndex);
		}
		await clock.sleep(retryDelay(RETRY_POLICIES.read, attempt), signal);
	}
}

async function storeStream(
	ctx: ResultContext,
	job: LegnextJob,
	file: FileToDownload,
	response: { headers: IDataObject; body: StreamingBody },
	maxBytes: number,
	what: string,
	itemIndex: number,
): Promise<IBinaryData> {
	const tooLarge = () =>
		new NodeOperationError(ctx.getNode(), `The file ${what} is larger than the ${maxBytes / 1024 / 1024} MB limit (item ${itemIndex})`, {
			description: 'Raise "Max File Size (MB)" if n8n has room for it, or keep the URL instead of downloading.',
			itemIndex,
		});
	const declared = Number(response.headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		response.body.destroy();
		throw tooLarge();
	}
	const mimeType = String(response.headers['content-type'] ?? '').split(';')[0].trim() || 'application/octet-stream';

	// Count bytes as they pass (a server that lies about its size is cut off at the limit) without
	// reading ahead of n8n's storage: map() hands each chunk on as it is counted.
	let received = 0;
	let overLimit = false;
	const counted = response.body.map((chunk: unknown) => {
		received += (chunk as { length: number }).length;
		if (received > maxBytes) {
			overLimit = true;
			throw new NodeOperationError(ctx.getNode(), 'size limit');
		}
		return chunk;
	});
	try {
		return await ctx.helpers.prepareBinaryData(counted as unknown as BinarySource, fileName(job, file, mimeType), mimeType);
	} catch (error) {
		if (overLimit) throw tooLarge();
		throw new NodeApiError(ctx.getNode(), { message: (error as Error).message }, {
			message: `The download of ${what} broke off (item ${itemIndex})`,
			description: 'The connection to the file server ended early. Run the item again, or use Job → Get to read the job and its links again.',
			itemIndex,
		});
	}
}

function downloadError(
	ctx: ResultContext,
	what: string,
	status: number | undefined,
	networkCode: string | undefined,
	itemIndex: number,
): NodeApiError {
	if (networkCode) {
		return new NodeApiError(ctx.getNode(), { code: networkCode }, {
			message: `Could not download ${what} (item ${itemIndex})`,
			description: `The file server could not be reached (${networkCode}). Check that n8n can reach the internet, then run Job → Get with the job ID to try again.`,
			itemIndex,
		});
	}
	const expired = status === 403 || status === 404 || status === 410;
	return new NodeApiError(ctx.getNode(), { httpCode: String(status) }, {
		message: expired
			? `The file link of ${what} has expired or was refused (HTTP ${status}) (item ${itemIndex})`
			: `Could not download ${what}: HTTP ${status} (item ${itemIndex})`,
		description: expired
			? 'Legnext’s file links are signed and expire (files are kept 7 to 30 days). Use Job → Get with the job ID for fresh links, and download files soon after a job finishes.'
			: 'The file server refused the download. Try again later, or use Job → Get for fresh links.',
		httpCode: String(status),
		itemIndex,
	});
}
