import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiRequest, RequestKind } from '../../shared/api';

/**
 * One Legnext operation: its fields, and how an item becomes a request. `request` validates the item
 * and throws before anything is sent; the router does the sending, waiting and output.
 */
export interface LegnextOperation {
	/** The entry in the node's Operation list (value, name, action, description). */
	option: INodePropertyOptions & { value: string };
	/** Its fields, without displayOptions: the node shows them for this operation only. */
	properties: INodeProperties[];
	/** `submit` creates a paid job; `read` only looks. */
	kind: RequestKind;
	/** May be async: Describe reads an input file from n8n's binary storage. */
	request(ctx: IExecuteFunctions, itemIndex: number): ApiRequest | Promise<ApiRequest>;
	/** How the answer becomes the item's JSON; the default treats it as a job. */
	toJson?(answer: IDataObject): IDataObject;
	/** What the operation is in Legnext's terms (version 2 declares it; 0.1.0's operations do not). */
	facts?: OperationFacts;
}

/**
 * An operation's own facts, declared beside its request so that a new operation is added in one file:
 * the AI tool's text (what it returns, how long it takes), the default Download Files and the check of
 * Download Files read them here, not from a table of operations.
 */
export interface OperationFacts {
	/**
	 * Legnext's `task_type` of the job it creates, and so its price key: its price row, typical duration
	 * and kind of output are Legnext's per task type (shared/taskTypes.ts; the budget finds the same key
	 * in the submit's path). Absent when it creates no job.
	 */
	taskType?: string;
	/** What a finished call gives back, as the AI agent is told ("four image URLs (imageUrls) and the job ID"). */
	returns: string;
}

export interface LegnextResource {
	option: INodePropertyOptions & { value: string };
	operations: LegnextOperation[];
}

/**
 * The editor's Resource and Operation selectors, and each operation's fields shown for it alone: both
 * versions of the node are built with them, each with its own operations and defaults.
 */
export function resourceProperties(
	resources: LegnextResource[],
	defaults: { resource: string; operation: (resource: LegnextResource) => string },
): { selectors: INodeProperties[]; fields: INodeProperties[] } {
	// Identifiers, not member expressions: n8n's lint reads a parameter's `default` from them.
	const defaultResource = defaults.resource;
	const resourceProperty: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map((resource) => resource.option),
		default: defaultResource,
	};
	const operationProperties: INodeProperties[] = resources.map((resource) => {
		const defaultOperation = defaults.operation(resource);
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.option.value] } },
			options: resource.operations.map((operation) => operation.option),
			default: defaultOperation,
		};
	});
	const fieldProperties = resources.flatMap((resource) =>
		resource.operations.flatMap((operation) =>
			updateDisplayOptions({ show: { resource: [resource.option.value], operation: [operation.option.value] } }, operation.properties),
		),
	);
	return { selectors: [resourceProperty, ...operationProperties], fields: fieldProperties };
}

/**
 * The canvas subtitle, as n8n's own nodes word it: the operation's name, after its resource unless
 * the name already says it ("Text to Image", "Image → Upscale", "Video → Upscale").
 */
export function subtitleFor(resources: LegnextResource[]): string {
	const labels: Record<string, string> = {};
	for (const resource of resources) {
		for (const operation of resource.operations) {
			const name = operation.option.name;
			const saysResource = name.toLowerCase().includes(resource.option.name.toLowerCase());
			labels[`${resource.option.value}:${operation.option.value}`] = saysResource ? name : `${resource.option.name} → ${name}`;
		}
	}
	// Parenthesised: a bare `{` would start a block, and `}}` would end the expression.
	return `={{ (${JSON.stringify(labels)})[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
