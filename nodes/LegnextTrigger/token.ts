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
/** The credential's API key and Webhook Secret, per credential (a changed secret applies within REMEMBER_MS). */
const kept = new Map<string, { apiKey: string; webhookSecret: string; at: number }>();

async function readCredential(ctx: IWebhookFunctions, credentialId: string) {
	const credential = await ctx.getCredentials(CREDENTIAL_TYPE);
	const entry = { apiKey: String(credential.apiKey ?? ''), webhookSecret: String(credential.webhookSecret ?? ''), at: Date.now() };
	kept.set(credentialId, entry);
	while (kept.size > 1_000) kept.delete(kept.keys().next().value as string);
	return entry;
}

const credentialIdOf = (ctx: IWebhookFunctions) => ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';

function fresh(credentialId: string) {
	const entry = kept.get(credentialId);
	return entry && Date.now() - entry.at < REMEMBER_MS ? entry : undefined;
}

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the token is this trigger's for the given reference (the token covers it). */
export async function isRightToken(ctx: IWebhookFunctions, token: string, reference?: string): Promise<boolean> {
	if (!token) return false;
	const tail = `${TRIGGER_PATH_PREFIX}/${ctx.getWorkflow().id}`;
	const credentialId = credentialIdOf(ctx);
	const remembered = fresh(credentialId);
	if (remembered && sameSecret(token, callbackToken(remembered.apiKey, tail, reference))) return true;
	const { apiKey } = await readCredential(ctx, credentialId);
	return sameSecret(token, callbackToken(apiKey, tail, reference));
}

/** The credential's Webhook Secret ('' when none), kept as the key is. */
export async function webhookSecretOf(ctx: IWebhookFunctions): Promise<string> {
	const credentialId = credentialIdOf(ctx);
	return (fresh(credentialId) ?? (await readCredential(ctx, credentialId))).webhookSecret;
}
