import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NODE_PROPERTIES } from './actions/description';
import { route } from './actions/router';
import { RESUME_WEBHOOKS } from './wait/pause';
import { resumeOnCallback } from './wait/resume';

export class Legnext implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legnext',
		name: 'legnext',
		icon: { light: 'file:legnext.svg', dark: 'file:legnext.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Generate Midjourney images and videos with Legnext',
		defaults: { name: 'Legnext' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legnextApi', required: true }],
		webhooks: RESUME_WEBHOOKS,
		properties: NODE_PROPERTIES,
	};

	/** validate → submit → wait → output (actions/router.ts). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}

	/** The resume of "Pause Until Callback": Legnext's callback to n8n's resume URL (wait/resume.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback(this);
	}
}
