import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { allRegistrations, derivedToken } from '../../shared/registration';
import { checkHttpUrl } from '../../shared/validate';

export type CallbackChoice = 'none' | 'trigger' | 'url';

/** A Legnext Trigger's webhook: n8n's /webhook/<id>/legnext (or /webhook-test/… while testing). */
const TRIGGER_PATH = /\/webhook(-test)?\/[^/]+\/legnext\/?$/;

/**
 * The `callback` to send with an item's job, from the node's Callback choice. Returns undefined
 * for none: an empty callback is never sent.
 */
export async function callbackFor(ctx: IExecuteFunctions, itemIndex: number): Promise<string | undefined> {
	const choice = ctx.getNodeParameter('callback', itemIndex, 'none') as CallbackChoice;
	if (choice === 'trigger') {
		const registered = allRegistrations(ctx.getWorkflowStaticData('global'));
		if (registered.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `Callback: no Legnext Trigger is registered in this workflow (item ${itemIndex})`, {
				description:
					'Add a Legnext Trigger node to this workflow and activate (publish) the workflow: the trigger registers its URL when it is activated. While testing in the editor, choose Callback → "Custom URL" and paste the trigger’s Test URL instead.',
				itemIndex,
			});
		}
		return registered[0][1].callbackUrl;
	}
	if (choice !== 'url') return undefined;

	const url = new URL(checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', ctx.getNodeParameter('callbackUrl', itemIndex)));
	if (TRIGGER_PATH.test(url.pathname) && !url.searchParams.has('token')) {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		url.searchParams.set('token', derivedToken(String(credentials.apiKey ?? ''), url.toString()));
	}
	return url.toString();
}
