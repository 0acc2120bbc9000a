import { timingSafeEqual } from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { callbackToken, TRIGGER_PATH_PREFIX } from '../shared/triggerUrl';

/**
 * The trigger's token check, before the answer. Reading the credential costs n8n a database read and
 * a decryption per callback, which a burst of callbacks queues up behind one another and behind the
 * executions' own writes. So the expected token is
 * kept in this process for a few minutes per workflow and credential; a token that does not match
 * it is checked against the credential as stored, so a rotated key takes effect at once for new
 * tokens. A token of a key rotated away minutes ago may still be answered, then fails verification
 * (the job is not visible with the new key) and starts nothing.
 */
const REMEMBER_MS = 5 * 60_000;
const expectedTokens = new Map<string, { token: string; at: number }>();

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

export async function isRightToken(ctx: IWebhookFunctions, token: string): Promise<boolean> {
	if (!token) return false;
	const workflowId = ctx.getWorkflow().id;
	const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	const key = `${workflowId}:${credentialId}`;
	const remembered = expectedTokens.get(key);
	if (remembered && Date.now() - remembered.at < REMEMBER_MS && sameSecret(token, remembered.token)) return true;
	const { apiKey } = await ctx.getCredentials(CREDENTIAL_TYPE);
	const expected = callbackToken(String(apiKey ?? ''), `${TRIGGER_PATH_PREFIX}/${workflowId}`);
	expectedTokens.set(key, { token: expected, at: Date.now() });
	while (expectedTokens.size > 1_000) expectedTokens.delete(expectedTokens.keys().next().value as string);
	return sameSecret(token, expected);
}
