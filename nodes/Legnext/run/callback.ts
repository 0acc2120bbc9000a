import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { triggerPathTail, triggerUrlOf, withCallbackToken } from '../../shared/triggerUrl';
import { checkHttpUrl } from './validate';

export type CallbackChoice = 'none' | 'trigger' | 'url';

/** n8n's webhook base URL, from the execution's resume URL (`<base>webhook-waiting/<id>`). */
export function webhookBaseUrl(ctx: IExecuteFunctions): string {
	const resumeUrl = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	resumeUrl.search = '';
	return resumeUrl.toString().replace(/[^/]+\/[^/]*$/, '');
}

/**
 * The `callback` to send with an item's job, from the node's Callback choice, with the trigger's
 * token when it goes to a Legnext Trigger. Returns undefined for none: an empty callback is never sent.
 */
export async function callbackFor(ctx: IExecuteFunctions, itemIndex: number, reference?: string): Promise<string | undefined> {
	const choice = ctx.getNodeParameter('callback', itemIndex, 'none') as CallbackChoice;
	if (choice === 'none') return undefined;
	let url: string;
	if (choice === 'trigger') {
		url = triggerUrlOf(webhookBaseUrl(ctx), ctx.getWorkflow().id ?? '');
	} else {
		url = checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', ctx.getNodeParameter('callbackUrl', itemIndex));
		await assertOtherTriggerListening(ctx, itemIndex, url);
	}
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return withCallbackToken(url, String(credentials.apiKey ?? ''), reference);
}

/**
 * Whether this workflow's Legnext Trigger listens, asked once per run before anything is paid for,
 * when the node's callbacks go to it. The probe is a POST without a token: a listening trigger refuses
 * it (401) and starts nothing; n8n itself answers 404 "… is not registered" when no trigger of this
 * workflow is active. Only that definite answer refuses the run: a worker may not reach its own
 * public URL, and a probe that fails for that reason says nothing about the trigger.
 *
 * The workflow's `active` flag cannot answer it: n8n sets it to false for every manual run ("Execute
 * workflow" in the editor), published workflow or not (n8n 1.123 and 2.41, executeManually).
 */
export async function assertTriggerListening(ctx: IExecuteFunctions): Promise<void> {
	if (ctx.getNodeParameter('callback', 0, 'none') !== 'trigger') return;
	const url = triggerUrlOf(webhookBaseUrl(ctx), ctx.getWorkflow().id ?? '');
	if (await isListening(ctx, url)) return;
	throw new NodeOperationError(ctx.getNode(), 'Callback: the Legnext Trigger of this workflow is not listening', {
		description:
			'Callbacks would go nowhere, so nothing was sent. Add a Legnext Trigger node to this workflow and activate (publish) the workflow: its production URL then receives the callbacks. Or choose another Callback: "None", or, while testing in the editor, "Custom URL" with the trigger’s Test URL.',
	});
}

/**
 * Callback → Custom URL with the Production URL of a Legnext Trigger on this n8n (another workflow's,
 * as the trigger's notice says to do): the same probe, per URL once a run, so that a job is not paid
 * for while its callback would go to a workflow that is not active (or to a mistyped workflow ID).
 * Test URLs are not probed: n8n's test webhook listens for one call only.
 */
async function assertOtherTriggerListening(ctx: IExecuteFunctions, itemIndex: number, url: string): Promise<void> {
	const tail = triggerPathTail(url);
	if (!tail) return;
	const base = webhookBaseUrl(ctx);
	const bare = url.split(/[?#]/)[0].replace(/\/$/, '');
	if (bare !== new URL(`webhook/${tail}`, base).toString()) return;
	let probes = probesOfRun.get(ctx);
	if (!probes) probesOfRun.set(ctx, (probes = new Map()));
	let listening = probes.get(bare);
	if (!listening) probes.set(bare, (listening = isListening(ctx, bare)));
	if (await listening) return;
	throw new NodeOperationError(ctx.getNode(), `Callback URL: the Legnext Trigger at ${bare} is not listening (item ${itemIndex})`, {
		description:
			'Callbacks would go nowhere, so nothing was sent for this item. Activate (publish) the workflow whose Legnext Trigger has this Production URL (the URL ends with that workflow’s ID), or correct the URL.',
		itemIndex,
	});
}

/** One probe per trigger URL and run (the execute context is one per run). */
const probesOfRun = new WeakMap<IExecuteFunctions, Map<string, Promise<boolean>>>();

/** False only when n8n says no active workflow has this webhook; any other answer (or none) counts as listening. */
async function isListening(ctx: IExecuteFunctions, triggerUrl: string): Promise<boolean> {
	// Marked as a probe, so that a trigger may tell it from a forged callback.
	const url = `${triggerUrl}?legnextProbe=1`;
	let answer: { statusCode?: number; body?: unknown } | undefined;
	try {
		answer = (await ctx.helpers.httpRequest({
			method: 'POST',
			url,
			body: {},
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 10_000,
		})) as { statusCode?: number; body?: unknown };
	} catch {
		return true;
	}
	const said = JSON.stringify(answer?.body ?? '');
	return !(answer?.statusCode === 404 && /is not registered/i.test(said));
}
