import { timingSafeEqual } from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { callbackToken, TRIGGER_PATH_PREFIX } from '../shared/triggerUrl';

/**
 * The trigger's token check, before the answer. Reading the credential costs n8n a database read and
 * a decryption per callback, which a burst of callbacks queues up behind one another and behind the
 * executions' own writes. So the key is kept in this process for a few minutes per credential (n8n
 * holds it decrypted while it runs the node anyway); a token that does not match the kept key is
 * checked against the credential as stored, so a rotated key takes effect at once for new tokens. A token of a key rotated away minutes ago may still be answered, then fails verification
 * (the job is not visible with the new key) and starts nothing.
 */
const REMEMBER_MS = 5 * 60_000;
const apiKeys = new Map<string, { apiKey: string; at: number }>();

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the token is this trigger's for the given reference (the token covers it). */
export async function isRightToken(ctx: IWebhookFunctions, token: string, reference?: string): Promise<boolean> {
	if (!token) return false;
	const tail = `${TRIGGER_PATH_PREFIX}/${ctx.getWorkflow().id}`;
	const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	const remembered = apiKeys.get(credentialId);
	if (remembered && Date.now() - remembered.at < REMEMBER_MS && sameSecret(token, callbackToken(remembered.apiKey, tail, reference))) return true;
	const apiKey = String((await ctx.getCredentials(CREDENTIAL_TYPE)).apiKey ?? '');
	apiKeys.set(credentialId, { apiKey, at: Date.now() });
	while (apiKeys.size > 1_000) apiKeys.delete(apiKeys.keys().next().value as string);
	return sameSecret(token, callbackToken(apiKey, tail, reference));
}
