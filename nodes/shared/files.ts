import type { IBinaryData, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cancelledError } from './api';
import { jobFileUrls, type LegnextJob } from './job';
import { RETRY_POLICIES, withRetries, type Attempt } from './retry';

/** Which of a job's files to download as n8n binary data. */
export type DownloadChoice = 'none' | 'images' | 'grid' | 'chosenImages' | 'videos' | 'chosenVideos' | 'all';
export type FileLayout = 'itemPerFile' | 'filesOnOneItem';

export interface DownloadOptions {
	download: DownloadChoice;
	imageNumbers?: number[];
	videoNumbers?: number[];
	layout: FileLayout;
	maxFileSizeMb: number;
}

export interface FileToDownload {
	kind: 'image' | 'grid' | 'video';
	/** 0–3 for images and videos, undefined for the grid. */
	index?: number;
	url: string;
}

type ResultContext = IExecuteFunctions | IWebhookFunctions;
type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** The HTTP response body in stream mode (a Node Readable; `stream` itself may not be imported here). */
interface StreamingBody {
	destroy(error?: Error): unknown;
	map(transform: (chunk: unknown) => unknown): StreamingBody;
}

interface StreamingResponse {
	statusCode: number;
	headers: IDataObject;
	body: StreamingBody;
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
		case 'chosenVideos':
			return videoFiles.filter((file) => (options.videoNumbers ?? [0]).includes(file.index ?? -1));
		case 'all':
			return [...imageFiles, ...gridFiles, ...videoFiles];
		default:
			return [];
	}
}

export function describeFiles(job: LegnextJob): string {
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

function fileName(job: LegnextJob, file: FileToDownload, mimeType: string): string {
	const fromUrl = /\.([a-z0-9]{2,4})(?:$|\?)/i.exec(new URL(file.url).pathname)?.[1];
	const extension = EXTENSIONS[mimeType] ?? fromUrl ?? (file.kind === 'video' ? 'mp4' : 'png');
	const n = file.kind === 'grid' ? 'grid' : String(file.index);
	return `${job.task_type ?? 'job'}_${job.job_id}_${n}.${extension}`;
}


/**
 * Streams one file into n8n's binary storage: a 64 MB video never sits whole in memory. File
 * links need no API key (signed or plain CDN links), so none is sent.
 */
export async function downloadFile(
	ctx: ResultContext,
	job: LegnextJob,
	file: FileToDownload,
	options: DownloadOptions,
	itemIndex: number,
): Promise<IBinaryData> {
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	const maxBytes = options.maxFileSizeMb * 1024 * 1024;
	const what = `${file.kind === 'grid' ? 'the grid' : `${file.kind} ${file.index}`} of job ${job.job_id}`;

	const tryOnce = async (): Promise<Attempt<StreamingResponse>> => {
		let response: StreamingResponse;
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
			const networkCode = String((error as { code?: unknown }).code ?? 'ENETWORK');
			const toError = () => downloadError(ctx, what, undefined, networkCode, itemIndex);
			return { failure: { policy: RETRY_POLICIES.read, toError } };
		}
		const status = response.statusCode;
		if (status >= 200 && status < 300) return { value: response };
		response.body.destroy();
		const temporary = status === 429 || status >= 500;
		const toError = () => downloadError(ctx, what, status, undefined, itemIndex);
		return { failure: { policy: temporary ? RETRY_POLICIES.read : undefined, toError } };
	};
	const response = await withRetries(tryOnce, signal, () => cancelledError(ctx, itemIndex));
	return await storeStream(ctx, job, file, response, maxBytes, what, itemIndex);
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
			? 'Legnext keeps a job’s files for 30 days; a signed link (…?Expires=…) stops working at its Expires time, a plain CDN link when the file is deleted. Within the 30 days, Job → Get with the job ID gives the job’s links again; download files soon after a job finishes.'
			: 'The file server refused the download. Try again later, or use Job → Get for fresh links.',
		httpCode: String(status),
		itemIndex,
	});
}
