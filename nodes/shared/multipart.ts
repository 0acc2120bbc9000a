import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * A request body as `multipart/form-data`, for the endpoints Legnext publishes that way (Upload Paint:
 * its docs page and `openapi-complete.yaml` in legnext-ai/sdks). Built here, without a form library (a
 * community node has no runtime dependencies), as a Buffer n8n's HTTP helper sends as it is.
 *
 * Each field is one part: text as it is, and an object or a list (Upload Paint's `canvas`, `imgPos`,
 * `mask`) as JSON, which is OpenAPI's default encoding for a complex property of a multipart body.
 */
export function multipartBody(fields: IDataObject): { body: Buffer; contentType: string } {
	const boundary = `----n8nLegnext${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined || value === null) continue;
		const isJson = typeof value === 'object';
		const header =
			`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '_')}"\r\n` +
			(isJson ? 'Content-Type: application/json\r\n' : '') +
			'\r\n';
		parts.push(Buffer.from(header), Buffer.from(isJson ? JSON.stringify(value) : String(value)), Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
