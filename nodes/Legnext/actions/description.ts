import type { INodeProperties } from 'n8n-workflow';

import type { LegnextOperation } from './operation';
import { RESOURCES } from './resources';

function showFor(properties: INodeProperties[], show: Record<string, string[]>): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...show, ...property.displayOptions?.show },
		},
	}));
}

function operationsWhere(test: (operation: LegnextOperation) => boolean): string[] {
	return RESOURCES.flatMap((resource) => resource.operations.filter(test).map((o) => o.option.value));
}

const defaultResource = RESOURCES[0].option.value;

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES.map((resource) => resource.option),
	default: defaultResource,
};

const operationProperties: INodeProperties[] = RESOURCES.map((resource) => {
	const defaultOperation = resource.operations[0].option.value;
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

const fieldProperties: INodeProperties[] = RESOURCES.flatMap((resource) =>
	resource.operations.flatMap((operation) =>
		showFor(operation.properties, {
			resource: [resource.option.value],
			operation: [operation.option.value],
		}),
	),
);

const submitOperations = operationsWhere((operation) => operation.kind === 'submit');
const jobOperations = operationsWhere((operation) => !operation.toJson);

const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { operation: jobOperations } },
	options: [
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/legnext-callback',
			description:
				'A public http(s) URL Legnext POSTs the finished job to. Leave empty for none.',
			displayOptions: { show: { '/operation': submitOperations } },
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 6,
			description:
				'How many items are sent to Legnext at once. A standard Legnext account runs 6 jobs at a time; raise it only if your plan allows more.',
		},
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

export const NODE_PROPERTIES: INodeProperties[] = [
	resourceProperty,
	...operationProperties,
	...fieldProperties,
	optionsProperty,
];
