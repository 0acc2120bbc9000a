import { createHmac } from 'crypto';

/**
 * A Legnext Trigger's URL and its token, derived rather than stored, so that every n8n process
 * (a queue-mode worker has no static data for a new execution), every re-activation and every
 * restart arrive at the same pair.
 *
 * The trigger listens on `<webhook base>/webhook/legnext/<workflow ID>`: the Legnext node in the
 * same workflow can build that URL itself. Callbacks carry `?token=` = HMAC(API key, the path's
 * `legnext/<workflow ID>` tail): stable across activations and edits, different for every
 * workflow, unknown to anyone without the API key, and retired by rotating the key.
 *
 * A job's Reference (the Legnext node's optional field, e.g. a sheet's row number) travels in the same
 * URL as `?reference=`, and the token then covers it too: HMAC(API key, tail + reference). Without a
 * reference the token is what it always was, so callbacks of jobs sent before stay valid; a callback
 * whose reference was changed, added or removed carries a token that no longer matches.
 */
export const TRIGGER_PATH_PREFIX = 'legnext';

/** The webhook path n8n registers for the trigger (evaluated by n8n for each workflow). */
export const TRIGGER_WEBHOOK_PATH = `={{ "${TRIGGER_PATH_PREFIX}/" + $workflow.id }}`;

/** `legnext/<workflow ID>` at the end of a trigger URL's path (production or test, behind any prefix). */
const TRIGGER_PATH_TAIL = new RegExp(`/(${TRIGGER_PATH_PREFIX}/[^/]+)/?$`);

export function triggerPathTail(urlOrPath: string): string | undefined {
	const path = urlOrPath.startsWith('/') ? urlOrPath.split('?')[0] : new URL(urlOrPath).pathname;
	return TRIGGER_PATH_TAIL.exec(path)?.[1];
}

/** The query parameter that carries a job's Reference back to the trigger. */
export const REFERENCE_PARAM = 'reference';

export function callbackToken(apiKey: string, pathTail: string, reference?: string): string {
	const signed = reference ? `legnext-trigger:${pathTail}\nreference:${reference}` : `legnext-trigger:${pathTail}`;
	return createHmac('sha256', apiKey).update(signed).digest('hex').slice(0, 48);
}

/** The production URL of this workflow's trigger, from n8n's webhook base URL (ends with `/`). */
export function triggerUrlOf(webhookBaseUrl: string, workflowId: string): string {
	return new URL(`webhook/${TRIGGER_PATH_PREFIX}/${encodeURIComponent(workflowId)}`, webhookBaseUrl).toString();
}

/** A trigger URL with its reference and token added; any other URL is left as it is. */
export function withCallbackToken(url: string, apiKey: string, reference?: string): string {
	const tail = triggerPathTail(url);
	const parsed = new URL(url);
	if (!tail || parsed.searchParams.has('token')) return url;
	if (reference) parsed.searchParams.set(REFERENCE_PARAM, reference);
	parsed.searchParams.set('token', callbackToken(apiKey, tail, reference));
	return parsed.toString();
}
