import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { LEGNEXT_DESCRIPTION } from '../description';
import { subtitleFor } from '../run/operation';
import { route } from '../run/router';
import { RESOURCES_V1 } from './actions/resources';
import { PROPERTIES_V1 } from './description';

/**
 * Version 1: Legnext's published node 0.1.0, so its saved workflows keep running. Same parameters
 * and output (the job as submitted, never awaited), sent through this package's router: checks
 * before anything is sent, retries that never pay twice, readable errors.
 */
export class LegnextV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legnext',
		name: 'legnext',
		...LEGNEXT_DESCRIPTION,
		icon: { light: 'file:../legnext.svg', dark: 'file:../legnext.dark.svg' },
		version: 1,
		subtitle: subtitleFor(RESOURCES_V1),
		usableAsTool: true,
		properties: PROPERTIES_V1,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, { resources: RESOURCES_V1, waitAndCallback: false });
	}
}
