import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { downloadProperties, simplifyProperty } from '../shared/outputFields';
import { TASK_TYPES } from '../shared/taskTypes';
import { TRIGGER_WEBHOOK_PATH } from '../shared/triggerUrl';
import { logRefusal, sentElsewhere, startFromCallback } from './accept';
import { checkCallback } from './checks';
import { claimCallback, releaseCallback } from './dedupe';

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
				displayName: 'Verify with Legnext',
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

	/** check → claim (dedupe) → answer → verify → output (./accept.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const check = await checkCallback(this);
		if ('refuse' in check) {
			this.getResponseObject().status(check.refuse).json(check.body);
			return { noWebhookResponse: true };
		}
		const elsewhere = sentElsewhere(this, check.hint);
		if (elsewhere) {
			logRefusal(this, check.hint, elsewhere);
			this.getResponseObject().status(409).json({ error: 'This job was sent with another callback URL' });
			return { noWebhookResponse: true };
		}
		if (!claimCallback(this, check.hint)) {
			this.getResponseObject().status(200).json({ received: true, started: false, reason: 'duplicate' });
			return { noWebhookResponse: true };
		}
		this.logger.debug(`Legnext Trigger "${this.getNode().name}": took the callback for job ${check.hint.job_id} (${check.hint.status})`);
		let handedOn = false;
		try {
			// Answer Legnext now; verification and downloads may take a while, and the sender may give up.
			this.getResponseObject().status(200).json({ received: true });
			// The Reference the Legnext node set for this job, from the signed callback URL, goes on every item.
			const started = await startFromCallback(this, check.hint, check.reference);
			handedOn = true;
			return started;
		} finally {
			// Nothing could be started: the claim goes, so that a repeat of this callback is not answered "duplicate".
			if (!handedOn) releaseCallback(this, check.hint);
		}
	}
}
