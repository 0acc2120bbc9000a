import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { LEGNEXT_DESCRIPTION } from '../description';
import { subtitleFor } from '../run/operation';
import { route, type RouteSettings } from '../run/router';
import { RESUME_WEBHOOKS } from '../wait/pause';
import { resumeOnCallback } from '../wait/resume';
import { RESOURCES } from './actions/resources';
import { NODE_PROPERTIES } from './description';
import { forTheModel, isToolCall } from './tool';

/** What version 2 runs: its own operations, with the Wait for Result and Callback fields. */
const VERSION_2: RouteSettings = { resources: RESOURCES, waitAndCallback: true };

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

	/** validate → submit → wait → output (run/router.ts); as an AI agent's tool, errors worded for the model (tool.ts). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return await route.call(this, VERSION_2);
		} catch (error) {
			throw isToolCall(this) ? forTheModel(error as Error) : error;
		}
	}

	/** The resume of "Pause Until Callback": Legnext's callback to n8n's resume URL (wait/resume.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback(this);
	}
}
