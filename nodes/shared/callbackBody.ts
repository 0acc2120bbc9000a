import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { looksLikeJob, type LegnextJob } from './job';

/** Legnext's callbacks are small JSON; anything near this size is not one. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

/**
 * The job a callback carries. Legnext's web app receives `{timestamp, data: Job}`; its Python SDK
 * parses a bare Job: both are accepted. A body n8n did not parse (a content type other than
 * `application/json`: text, or none at all) is read as JSON text. Returns undefined for anything else.
 */
export function jobFromCallback(body: unknown): LegnextJob | undefined {
	const parsed = typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body) : body;
	if (looksLikeJob(parsed)) return parsed;
	const data = (parsed as IDataObject | undefined)?.data;
	return looksLikeJob(data) ? data : undefined;
}

function parseJson(text: string | Buffer): unknown {
	try {
		return JSON.parse(String(text).replace(/^\uFEFF/, ''));
	} catch {
		return undefined;
	}
}

/** A callback as n8n received it: the bytes that came (n8n keeps them as `req.rawBody`) and the body it parsed. */
export interface ReceivedCallback {
	raw: Buffer | undefined;
	/** n8n parses JSON only for `application/json`; otherwise this is the text, or nothing. */
	body: unknown;
	headers: IDataObject;
}

export function receivedCallback(ctx: IWebhookFunctions): ReceivedCallback {
	const request = ctx.getRequestObject() as { rawBody?: unknown };
	const raw = Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
	const parsed = ctx.getBodyData() as unknown;
	const empty = parsed === undefined || parsed === null || (typeof parsed === 'object' && Object.keys(parsed as object).length === 0);
	return { raw, body: empty && raw?.length ? raw : parsed, headers: ctx.getHeaderData() as IDataObject };
}

/** The callback's size: the header's word, or what came. */
export function callbackBytes(callback: ReceivedCallback): number {
	const declared = Number(callback.headers['content-length'] ?? 0);
	const received = callback.raw?.length ?? Buffer.byteLength(JSON.stringify(callback.body ?? null));
	return Math.max(Number.isFinite(declared) ? declared : 0, received);
}
