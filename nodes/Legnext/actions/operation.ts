import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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
}

export interface LegnextResource {
	option: INodePropertyOptions & { value: string };
	operations: LegnextOperation[];
}
