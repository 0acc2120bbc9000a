import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A job's Reference: a value of the workflow's own (a sheet's row number, an order ID) set on the
 * Legnext node, that comes back on the node's output item and on the Legnext Trigger's output for
 * that job's callbacks, so 200 callbacks can be matched to their 200 rows without looking each job up.
 * It travels in the callback URL, covered by its token (triggerUrl.ts); for Pause Until Callback the
 * execution keeps it (n8n's database), and the resume URL carries it signed (../Legnext/wait/pause.ts).
 */

export const REFERENCE_MAX_LENGTH = 200;

export const referenceProperty: INodeProperties = {
	displayName: 'Reference',
	name: 'reference',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.row_number }}',
	description: `Optional: a value of yours (e.g. the sheet's row number) that comes back as "reference" on this node's output item and on the Legnext Trigger's output for this job. It travels in the callback URL, signed: nobody without the trigger's token can change it. At most ${REFERENCE_MAX_LENGTH} characters.`,
};

/** The item's reference, or undefined when none is set (version 1 has no such field). */
export function readReference(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	const value = ctx.getNodeParameter('reference', itemIndex, '') as unknown;
	if (value === undefined || value === null) return undefined;
	const text = (typeof value === 'object' ? JSON.stringify(value) : String(value)).trim();
	if (!text) return undefined;
	if (text.length > REFERENCE_MAX_LENGTH) {
		throw new NodeOperationError(ctx.getNode(), `Reference: is ${text.length} characters long, more than ${REFERENCE_MAX_LENGTH} (item ${itemIndex})`, {
			description: 'Use a short value that identifies the row or record, e.g. its row number or ID.',
			itemIndex,
		});
	}
	return text;
}

/** Output items with the reference on each (a job's files may make several items). */
export function withReference(items: INodeExecutionData[], reference: string | undefined): INodeExecutionData[] {
	if (reference === undefined) return items;
	return items.map((item) => ({ ...item, json: { ...(item.json as IDataObject), reference } }));
}
