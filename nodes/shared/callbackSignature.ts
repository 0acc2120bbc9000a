import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Legnext's signed callbacks, as its Python SDK verifies them: `X-Legnext-Signature` is the hex
 * HMAC-SHA256, with the account's webhook secret, of `"<X-Legnext-Timestamp>." + raw body`, or of
 * the raw body alone when no timestamp is sent. Checked over the bytes n8n received (`req.rawBody`):
 * a body parsed and written again would not match.
 *
 * A signed timestamp older (or further ahead) than SIGNATURE_WINDOW_S is refused, so a callback
 * someone recorded cannot be played again later. 5 minutes leaves room for clock skew and a slow
 * delivery; a callback lost beyond that is caught by the API re-read (the final check, polling).
 * The timestamp is read as unix seconds, or milliseconds when it is that large (the SDK does not say).
 */
export const SIGNATURE_WINDOW_S = 5 * 60;

const SIGNATURE_HEADER = 'x-legnext-signature';
const TIMESTAMP_HEADER = 'x-legnext-timestamp';

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

function header(headers: IDataObject, name: string): string | undefined {
	const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined || first === null || first === '' ? undefined : String(first).trim();
}

function sameHex(given: string, expected: string): boolean {
	const a = Buffer.from(given.toLowerCase().replace(/^sha256=/, ''), 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Unix milliseconds of a timestamp header, or undefined when it is not a number. */
function timestampMs(value: string): number | undefined {
	if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
	const number = Number(value);
	return number > 1e12 ? number : number * 1000;
}

/**
 * Whether a callback carries a valid signature of these exact bytes, made with `secret`, and recent
 * enough. `nowMs` is the receiver's clock (Date.now()).
 */
export function checkSignature(secret: string, raw: Buffer | undefined, headers: IDataObject, nowMs: number): SignatureCheck {
	const signature = header(headers, SIGNATURE_HEADER);
	if (!signature) return { valid: false, reason: 'The callback is not signed (no X-Legnext-Signature header)' };
	if (!raw) return { valid: false, reason: 'n8n did not keep the callback’s raw body, so its signature cannot be checked' };
	const timestamp = header(headers, TIMESTAMP_HEADER);
	const hmac = createHmac('sha256', secret);
	if (timestamp !== undefined) {
		const at = timestampMs(timestamp);
		if (at === undefined) return { valid: false, reason: 'X-Legnext-Timestamp is not a number' };
		const ageS = Math.round((nowMs - at) / 1000);
		if (Math.abs(ageS) > SIGNATURE_WINDOW_S) {
			return { valid: false, reason: `The signed timestamp is ${Math.abs(ageS)} s ${ageS > 0 ? 'old' : 'ahead'}, more than the ${SIGNATURE_WINDOW_S} s allowed (a replay?)` };
		}
		hmac.update(`${timestamp}.`);
	}
	hmac.update(raw);
	if (!sameHex(signature, hmac.digest('hex'))) {
		return { valid: false, reason: 'X-Legnext-Signature does not match the body and the Webhook Secret of the credential' };
	}
	return { valid: true };
}
