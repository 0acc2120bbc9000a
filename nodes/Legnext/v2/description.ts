import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DownloadChoice } from '../../shared/files';
import { downloadProperties, simplifyProperty } from '../../shared/outputFields';
import { referenceProperty } from '../../shared/reference';
import { findTaskType } from '../../shared/taskTypes';

import { resourceProperties, type LegnextOperation } from '../run/operation';
import { RESOURCES } from './actions/resources';
import { toolDescriptionProperties } from './actions/toolDescription';

function operationsWhere(test: (operation: LegnextOperation) => boolean): string[] {
	return RESOURCES.flatMap((resource) => resource.operations.filter(test).map((o) => o.option.value));
}

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
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 6,
			description:
				'How many items are sent to Legnext at once. A standard Legnext account runs 6 jobs at a time; raise it only if your plan allows more.',
		},
		{
			displayName: 'Max Points per Run',
			name: 'maxPointsPerRun',
			type: 'number',
			displayOptions: { show: { '/operation': submitOperations } },
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'The most Legnext points one run of this node may spend (0 = no cap). Items past it are not sent and come out as error items. A batch the balance cannot pay whole is refused either way.',
		},
		simplifyProperty,
	],
};

const waitProperties: INodeProperties[] = [
	{
		displayName: 'Wait for Result',
		name: 'waitMode',
		type: 'options',
		default: 'poll',
		displayOptions: { show: { operation: submitOperations } },
		options: [
			{
				name: 'Poll Until Done',
				value: 'poll',
				description:
					'Check the job at the moments it is likely to be done, then output the finished job. Simple; holds the execution while the job runs.',
			},
			{
				name: 'Pause Until Callback',
				value: 'callback',
				description:
					'Hand Legnext n8n’s resume URL and pause the execution without holding a worker; Legnext’s callback resumes it. Needs n8n reachable from the internet (WEBHOOK_URL; on n8n 2.x also N8N_WEBHOOK_URL). With more items than Legnext runs at once (6 on a standard plan), the worker is held until the last item is sent.',
			},
			{
				name: "Don't Wait",
				value: 'none',
				description: 'Output the job as submitted (status "pending"); read it later with Job → Get or a Legnext Trigger',
			},
		],
		description: 'Legnext jobs take from half a minute (images) to several minutes (videos)',
	},
	{
		displayName: 'Time Limit (Minutes)',
		name: 'timeLimitMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1 },
		default: 15,
		displayOptions: { show: { operation: submitOperations, waitMode: ['poll', 'callback'] } },
		description:
			'How long to wait for the job. When it passes the node stops waiting with an error that names the job ID; the job is never sent again.',
	},
];

const callbackProperties: INodeProperties[] = [
	{
		displayName: 'Callback',
		name: 'callback',
		type: 'options',
		default: 'none',
		displayOptions: { show: { operation: submitOperations }, hide: { waitMode: ['callback'] } },
		description: 'Where Legnext POSTs the job when it ends',
		options: [
			{ name: 'None', value: 'none' },
			{
				name: 'Legnext Trigger in This Workflow',
				value: 'trigger',
				description: 'The URL the workflow’s active Legnext Trigger registered, secret token included',
			},
			{
				name: 'Custom URL',
				value: 'url',
				description:
					'Any public URL, e.g. a Legnext Trigger’s Production URL in another workflow (its token is added for you)',
			},
		],
	},
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/legnext/AbC123xYz',
		displayOptions: { show: { operation: submitOperations, callback: ['url'] }, hide: { waitMode: ['callback'] } },
		description: 'A public http(s) URL that accepts POST',
	},
];

/**
 * What a new node downloads, per operation: the files the operation makes, as n8n's own image nodes
 * return binary (Text to Image its four images, an upscale its image, Image to Video its videos).
 * Describe and Shorten make text, so they show no Download Files; Job → Get reads jobs of any kind,
 * maybe still running, so it downloads only when asked. The trigger keeps its own default (none).
 */
export function defaultDownload(operation: LegnextOperation): DownloadChoice | undefined {
	const outputs = findTaskType(operation.facts?.taskType)?.outputs;
	if (outputs === 'text') return undefined;
	if (outputs === 'videos') return 'videos';
	if (outputs) return 'images';
	return 'none';
}

const [downloadProperty, ...downloadDetails] = downloadProperties;

/** One Download Files field per resource and default: n8n shows the one whose operations match. */
const downloadGroups: INodeProperties[] = [];
const operationsWithFiles = new Set<string>();
for (const resource of RESOURCES) {
	const byDefault = new Map<DownloadChoice, string[]>();
	for (const operation of resource.operations) {
		if (operation.toJson) continue;
		const choice = defaultDownload(operation);
		if (!choice) continue;
		byDefault.set(choice, [...(byDefault.get(choice) ?? []), operation.option.value]);
		operationsWithFiles.add(operation.option.value);
	}
	for (const [choice, operationValues] of byDefault) {
		downloadGroups.push({
			...downloadProperty,
			default: choice,
			displayOptions: { show: { resource: [resource.option.value], operation: operationValues } },
		});
	}
}

const resultProperties = updateDisplayOptions(
	// An AI agent's tool gets no files: a model can use the URLs and job ID, not binary data.
	{ hide: { waitMode: ['none'], '@tool': [true] } },
	[
		...downloadGroups,
		...updateDisplayOptions({ show: { operation: [...operationsWithFiles] } }, downloadDetails),
	],
);

const operations = resourceProperties(RESOURCES, {
	resource: RESOURCES[0].option.value,
	operation: (resource) => resource.operations[0].option.value,
});

export const NODE_PROPERTIES: INodeProperties[] = [
	...operations.selectors,
	...toolDescriptionProperties(RESOURCES),
	...operations.fields,
	...waitProperties,
	...callbackProperties,
	{ ...referenceProperty, displayOptions: { show: { operation: submitOperations } } },
	...resultProperties,
	optionsProperty,
];
