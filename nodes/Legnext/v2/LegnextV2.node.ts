import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { NODE_PROPERTIES } from '../actions/description';
import { RESOURCES } from '../actions/resources';
import { route } from '../actions/router';
import { LEGNEXT_DESCRIPTION } from '../description';
import { subtitleFor } from '../subtitle';
import { forTheModel, isToolCall } from '../tool';
import { RESUME_WEBHOOKS } from '../wait/pause';
import { resumeOnCallback } from '../wait/resume';

/** Version 2, the default: waits for the job (poll or pause until callback) and returns its files. */
export class LegnextV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legnext',
		name: 'legnext',
		...LEGNEXT_DESCRIPTION,
		icon: { light: 'file:../legnext.svg', dark: 'file:../legnext.dark.svg' },
		version: 2,
		subtitle: subtitleFor(RESOURCES),
		usableAsTool: true,
		webhooks: RESUME_WEBHOOKS,
		properties: NODE_PROPERTIES,
	};

	/** validate → submit → wait → output (actions/router.ts); as an AI agent's tool, errors worded for the model (tool.ts). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return await route.call(this);
		} catch (error) {
			throw isToolCall(this) ? forTheModel(error as Error) : error;
		}
	}

	/** The resume of "Pause Until Callback": Legnext's callback to n8n's resume URL (wait/resume.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback(this);
	}
}
