import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * What both versions of the Legnext node (and the versioned entry) say about themselves alike. The
 * name stays in each class: n8n's lint checks it against the file name.
 */
export const LEGNEXT_DESCRIPTION = {
	group: ['transform'],
	description: 'Generate Midjourney images and videos with Legnext',
	defaultVersion: 2,
	defaults: { name: 'Legnext' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'legnextApi', required: true }],
} satisfies Partial<INodeTypeDescription>;
