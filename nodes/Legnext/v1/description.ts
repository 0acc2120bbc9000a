import type { INodeProperties } from 'n8n-workflow';

import { DEFAULTS_V1, RESOURCES_V1 } from './actions/resources';

const upgradeNotice: INodeProperties = {
	displayName:
		'This is the Legnext node as version 0.1.0 made it: it outputs each job as submitted. A newer version waits for the result and returns the images and videos as files: add a new Legnext node from the nodes panel to use it.',
	name: 'upgradeNotice',
	type: 'notice',
	default: '',
};

const defaultResource = DEFAULTS_V1.resource;

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES_V1.map((resource) => resource.option),
	default: defaultResource,
};

const operationProperties: INodeProperties[] = RESOURCES_V1.map((resource) => {
	const defaultOperation = DEFAULTS_V1.operation[resource.option.value];
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

// Each operation's fields, shown for it alone; a field's own conditions (Source Mode) are kept.
const fieldProperties: INodeProperties[] = RESOURCES_V1.flatMap((resource) =>
	resource.operations.flatMap((operation) =>
		operation.properties.map((property) => ({
			...property,
			displayOptions: {
				...property.displayOptions,
				show: {
					resource: [resource.option.value],
					operation: [operation.option.value],
					...property.displayOptions?.show,
				},
			},
		})),
	),
);

export const PROPERTIES_V1: INodeProperties[] = [upgradeNotice, resourceProperty, ...operationProperties, ...fieldProperties];
