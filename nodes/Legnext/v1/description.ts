import type { INodeProperties } from 'n8n-workflow';

import { resourceProperties } from '../run/operation';
import { DEFAULTS_V1, RESOURCES_V1 } from './actions/resources';

const upgradeNotice: INodeProperties = {
	displayName:
		'This is the Legnext node as version 0.1.0 made it: it outputs each job as submitted. A newer version waits for the result and returns the images and videos as files: add a new Legnext node from the nodes panel to use it.',
	name: 'upgradeNotice',
	type: 'notice',
	default: '',
};

const operations = resourceProperties(RESOURCES_V1, {
	resource: DEFAULTS_V1.resource,
	operation: (resource) => DEFAULTS_V1.operation[resource.option.value],
});

export const PROPERTIES_V1: INodeProperties[] = [upgradeNotice, ...operations.selectors, ...operations.fields];
