import { randomBytes, timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE, legnextRequest } from '../shared/api';
import { firstTimeSeen, jobFromCallback, MAX_CALLBACK_BYTES, type SeenCallbacks } from '../shared/callback';
import { jobToJson, type LegnextJob } from '../shared/job';
import { derivedToken, register, registrationOf, unregister } from '../shared/registration';
import { downloadProperties, jobItems, readDownloadOptions } from '../shared/results';

const TASK_TYPES = [
	'blend',
	'describe',
	'diffusion',
	'edit',
	'enhance',
	'extend_video',
	'inpaint',
	'outpaint',
	'pan',
	'remix',
	'remove_background',
	'reroll',
	'retexture',
	'shorten',
	'upscale',
	'variation',
	'video_diffusion',
	'video_upscale',
];

const seenByTrigger = new Map<string, SeenCallbacks>();

function seenInProcess(trigger: string): SeenCallbacks {
	if (!seenByTrigger.has(trigger)) seenByTrigger.set(trigger, {});
	return seenByTrigger.get(trigger)!;
}

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

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
				path: 'legnext',
			},
		],
		properties: [
			{
				displayName:
					'When this workflow is active, a Legnext node in it set to Callback → "Legnext Trigger in This Workflow" sends jobs here by itself. For a Legnext node in another workflow, use Callback → "Custom URL" with this node’s Production URL: that node adds the secret token for you.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: ['completed', 'failed'],
				description: 'Which job endings start the workflow. Progress callbacks never do.',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
				],
			},
			{
				displayName: 'Task Types',
				name: 'taskTypes',
				type: 'multiOptions',
				default: [],
				description: 'Only jobs of these task types start the workflow. Leave empty for all.',
				options: TASK_TYPES.map((value) => ({ name: value, value })),
			},
			{
				displayName: 'Verify With Legnext',
				name: 'verify',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the job from the Legnext API and emit that, instead of trusting the callback. Callbacks are unsigned: verification refuses forged ones.',
			},
			...downloadProperties,
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description:
					'Whether to return a flat job (ID, status, image and video URLs, seed, usage) instead of the full job Legnext sent',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const webhookUrl = this.getNodeWebhookUrl('default');
				const registration = registrationOf(this.getWorkflowStaticData('global'), this.getNode().name);
				return registration !== undefined && registration.webhookUrl === webhookUrl;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const webhookUrl = this.getNodeWebhookUrl('default') as string;
				// A fresh secret per activation: deactivating retires the old one.
				const token = randomBytes(24).toString('hex');
				register(this.getWorkflowStaticData('global'), this.getNode().name, webhookUrl, token);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				unregister(this.getWorkflowStaticData('global'), this.getNode().name);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const reply = (status: number, body: IDataObject): IWebhookResponseData => {
			response.status(status).json(body);
			return { noWebhookResponse: true };
		};

		const staticData = this.getWorkflowStaticData('global');
		const registration = registrationOf(staticData, this.getNode().name);
		const token = String((this.getQueryData() as IDataObject).token ?? '');
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const webhookUrl = this.getWebhookResourceUrl('default') ?? this.getNodeWebhookUrl('default') ?? '';
		const accepted = [registration?.token, derivedToken(String(credentials.apiKey ?? ''), webhookUrl)];
		if (!token || !accepted.some((expected) => expected && sameSecret(token, expected))) {
			return reply(401, { error: 'Missing or wrong token' });
		}

		const request = this.getRequestObject();
		const declaredBytes = Number(request.headers['content-length'] ?? 0);
		const body = this.getBodyData();
		if (declaredBytes > MAX_CALLBACK_BYTES || JSON.stringify(body ?? null).length > MAX_CALLBACK_BYTES) {
			return reply(413, { error: 'Callback body over 1 MB' });
		}
		if (!String(request.headers['content-type'] ?? '').includes('json')) {
			return reply(415, { error: 'Callback body must be JSON' });
		}
		const hint = jobFromCallback(body);
		if (!hint) return reply(400, { error: 'Not a Legnext job: expected {timestamp, data: job} or a job' });

		const statuses = this.getNodeParameter('statuses', ['completed', 'failed']) as string[];
		const taskTypes = this.getNodeParameter('taskTypes', []) as string[];
		if (!statuses.includes(hint.status ?? '') || (taskTypes.length && !taskTypes.includes(hint.task_type ?? ''))) {
			return reply(200, { received: true, started: false, reason: 'status or task type not selected' });
		}

		// Answer Legnext now; verification and downloads may take a while.
		response.status(200).json({ received: true });

		let job: LegnextJob = hint;
		if (this.getNodeParameter('verify', true) as boolean) {
			try {
				job = await legnextRequest<LegnextJob>(this, { method: 'GET', path: `/api/v1/job/${encodeURIComponent(hint.job_id)}` }, { kind: 'read' });
			} catch {
				// Unknown to Legnext (404) or unreadable: not a callback we can stand behind.
				return { noWebhookResponse: true };
			}
			// A callback claims an ending the API does not confirm: forged or stale, start nothing.
			if (job.status !== hint.status) return { noWebhookResponse: true };
		}

		// Two copies of a callback may arrive together, each with its own copy of the static data:
		// the process-wide record catches those, the static data ones after a restart.
		const seenHere = seenInProcess(`${this.getWorkflow().id}:${this.getNode().name}`);
		const seenStored = { ...(staticData.legnextSeenCallbacks as SeenCallbacks | undefined) };
		const now = Date.now();
		if (!firstTimeSeen(seenHere, job, now) || !firstTimeSeen(seenStored, job, now)) {
			return { noWebhookResponse: true };
		}
		// A new first-level value, so n8n notices the change and saves it.
		staticData.legnextSeenCallbacks = seenStored;

		const json = jobToJson(job, (this.getNodeParameter('simplify', true) as boolean) ? 'simplified' : 'raw');
		const downloads = job.status === 'completed' ? readDownloadOptions(this) : { ...readDownloadOptions(this), download: 'none' as const };
		try {
			return { noWebhookResponse: true, workflowData: [await jobItems(this, job, json, downloads, 0, 'jsonOnly')] };
		} catch (error) {
			// The job still starts the workflow; the files can be fetched again with Job → Get.
			const details = (error as { description?: string }).description ?? '';
			return {
				noWebhookResponse: true,
				workflowData: [[{ json: { ...json, downloadError: `${(error as Error).message}. ${details}`.trim() } }]],
			};
		}
	}
}
