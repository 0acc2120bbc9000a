import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getJob, isTemporary } from '../shared/api';
import { jobToJson, normalStatus, type LegnextJob } from '../shared/job';
import { outputItems, type Outcome } from '../shared/output';
import { downloadProperties, simplifyProperty } from '../shared/outputFields';
import { readOutputSettings } from '../shared/parameters';
import { withReference } from '../shared/reference';
import { TASK_TYPES } from '../shared/taskTypes';
import { TRIGGER_WEBHOOK_PATH } from '../shared/triggerUrl';
import { checkCallback, isFirstCallback } from './checks';

/** Every task the Legnext node can create, by its name in the node; the saved value is Legnext's `task_type`. */
const taskTypeOptions = TASK_TYPES.map(({ name, value }) => ({ name, value })).sort((a, b) => a.name.localeCompare(b.name));


export class LegnextTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legnext Trigger',
		name: 'legnextTrigger',
		icon: { light: 'file:../Legnext/legnext.svg', dark: 'file:../Legnext/legnext.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'On job callback',
		description: 'Starts the workflow when a Legnext job finishes, from the job’s callback',
		defaults: { name: 'Legnext Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legnextApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// legnext/<workflow ID>: the Legnext node can build this URL in any n8n process (see triggerUrl.ts).
				path: TRIGGER_WEBHOOK_PATH,
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName:
					'When this workflow is active, a Legnext node in it set to Callback → "Legnext Trigger in This Workflow" sends jobs here by itself. For a Legnext node in another workflow, use Callback → "Custom URL" with this node’s Production URL: that node adds the secret token for you. One Legnext Trigger per workflow.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: ['completed', 'failed', 'canceled'],
				description: 'Which job endings start the workflow. Progress callbacks never do.',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Canceled', value: 'canceled', description: 'Legnext canceled the job (also spelled "cancelled")' },
				],
			},
			{
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				default: [],
				description: 'Only jobs of these task types start the workflow. Leave empty for all.',
				options: taskTypeOptions,
			},
			{
				displayName: 'Verify With Legnext',
				name: 'verify',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the job from the Legnext API and emit that, instead of trusting the callback. Callbacks are unsigned unless the credential has a Webhook Secret: verification refuses forged ones.',
			},
			...downloadProperties,
			simplifyProperty,
		],
	};

	// Legnext has no webhook registry: a job carries its callback URL. The URL and its token are
	// derived from the workflow, so there is nothing to create, keep or retire on (de)activation.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	/** check → verify → output. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const check = await checkCallback(this);
		if ('refuse' in check) {
			this.getResponseObject().status(check.refuse).json(check.body);
			return { noWebhookResponse: true };
		}
		// Answer Legnext now; verification and downloads may take a while.
		this.getResponseObject().status(200).json({ received: true });

		const outcome = await verify(this, check.hint);
		if (!outcome) return { noWebhookResponse: true };
		if ('job' in outcome && outcome.job && !isFirstCallback(this, outcome.job)) return { noWebhookResponse: true };
		const items = await outputItems(this, outcome, 0, { ...readOutputSettings(this), filesOptional: true });
		// The Reference the Legnext node set for this job, from the signed callback URL.
		return { noWebhookResponse: true, workflowData: [withReference(items, check.reference)] };
	}
}

/**
 * The job as Legnext's API has it (a callback, signed or not, is a hint). A callback the API contradicts (an
 * unknown job, another status) starts nothing; one the API cannot confirm now, because it stays
 * unreachable through the retries, still starts the workflow with an item that says so, rather
 * than losing a job that may be real.
 */
async function verify(ctx: IWebhookFunctions, hint: LegnextJob): Promise<Outcome | undefined> {
	if (!(ctx.getNodeParameter('verify', true) as boolean)) return { job: hint };
	let job: LegnextJob;
	try {
		job = await getJob(ctx, hint.job_id);
	} catch (error) {
		if (!isTemporary(error)) return undefined;
		const { jobId, status, taskType } = jobToJson(hint, 'simplified');
		const reason = `${(error as Error).message}. ${(error as { description?: string }).description ?? ''}`.trim();
		const json: IDataObject = { jobId, status, taskType, verified: false, verificationError: reason };
		return { json };
	}
	return normalStatus(job.status) === normalStatus(hint.status) ? { job } : undefined;
}
