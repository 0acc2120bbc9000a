import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { REFERENCE_PARAM } from '../../shared/triggerUrl';

/**
 * A job's Reference in the resume URL of "Pause Until Callback": `?reference=…&referenceToken=…`, the
 * token an HMAC (API key) over the execution, the node and the reference, as the trigger's callback
 * URL carries it (../../shared/triggerUrl.ts). The output takes the reference from the waiting
 * execution itself; the URL's copy is checked so that a callback whose reference was altered is refused.
 */
const TOKEN_PARAM = 'referenceToken';

function tokenFor(apiKey: string, executionId: string, nodeId: string, reference: string): string {
	return createHmac('sha256', apiKey).update(`legnext-resume:${executionId}:${nodeId}\nreference:${reference}`).digest('hex').slice(0, 48);
}

export function signResumeReference(ctx: IExecuteFunctions, resumeUrl: string, apiKey: string, reference: string): string {
	const executionId = String(ctx.evaluateExpression('{{ $execution.id }}', 0));
	const url = new URL(resumeUrl);
	url.searchParams.set(REFERENCE_PARAM, reference);
	url.searchParams.set(TOKEN_PARAM, tokenFor(apiKey, executionId, ctx.getNode().id, reference));
	return url.toString();
}

/** Whether a call to the resume URL carries no reference, or one whose token matches. */
export async function resumeReferenceIntact(ctx: IWebhookFunctions): Promise<boolean> {
	const query = ctx.getQueryData() as IDataObject;
	const reference = query[REFERENCE_PARAM];
	const token = query[TOKEN_PARAM];
	if (reference === undefined && token === undefined) return true;
	if (typeof reference !== 'string' || typeof token !== 'string') return false;
	const { apiKey } = await ctx.getCredentials(CREDENTIAL_TYPE);
	const executionId = String(ctx.evaluateExpression('{{ $execution.id }}', 0));
	const expected = Buffer.from(tokenFor(String(apiKey ?? ''), executionId, ctx.getNode().id, reference));
	const given = Buffer.from(token);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
