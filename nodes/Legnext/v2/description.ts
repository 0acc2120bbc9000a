import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { DownloadChoice } from '../../shared/files';
import { downloadProperties, PAUSE_LAYOUT_NOTE, simplifyProperty } from '../../shared/outputFields';
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
/** Paid jobs made from an earlier job's image or video: the ones an incoming item per file multiplies. */
const followUpOperations = operationsWhere(
	(operation) => operation.kind === 'submit' && operation.properties.some((field) => field.name === 'jobId' || field.name === 'imageSource'),
);

const followUpNotice: INodeProperties = {
	displayName:
		'This node runs once per incoming item, one job each. Items that ask for the same job (same parent job, image and settings) share the first one’s job unless Options → Send Identical Follow-Ups Again is on.',
	name: 'followUpNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { operation: followUpOperations } },
};

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
				'How many items are sent to Legnext at once with Concurrency Mode Fixed (setting only this number means Fixed). A standard Legnext account runs 6 jobs at a time; raise it only if your plan allows more.',
		},
		{
			displayName: 'Concurrency Mode',
			name: 'concurrencyMode',
			type: 'options',
			displayOptions: { show: { '/operation': submitOperations } },
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description:
						'Read the account’s limit and running jobs from Legnext before each item and send only into free slots, so executions and workflows sharing the key do not exceed it',
				},
				{ name: 'Fixed', value: 'fixed', description: 'Send the Concurrency number of items at once (6 unless set)' },
			],
			default: 'auto',
			description:
				'How many items are sent at once. Without this option the node runs Auto, or Fixed when Options → Concurrency is set. When Legnext cannot tell the account’s limit, Auto sends 6 at a time and says so in the output.',
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
		{
			displayName: 'Send Identical Follow-Ups Again',
			name: 'repeatIdenticalFollowUps',
			type: 'boolean',
			displayOptions: { show: { '/operation': followUpOperations } },
			default: false,
			description:
				'Whether an item whose request an earlier item of this run already sent (same parent job, image and settings) makes a new, paid job. Off: it gets the earlier item’s job.',
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
					'Hand Legnext n8n’s resume URL and pause the execution without holding a worker; Legnext’s callback resumes it. Needs n8n reachable from the internet (N8N_WEBHOOK_URL on n8n 2.x, WEBHOOK_URL on n8n 1.123). When the items outnumber Options → Concurrency (Auto: the account’s limit), or a retry handed jobs back, the worker is held until every job ends.',
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
		description: 'Where Legnext sends the job when it ends',
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
 * What a new node downloads, per operation: one item per job, as n8n runs the next node once per
 * item (four items after Text to Image made Image to Video of image 2 four times, paid four times).
 * A grid job gives its grid, a job of one image that image, a job of several images or videos the
 * first; every URL stays in the JSON, and "The Four Images, One Item Each" is one choice away.
 * Describe and Shorten make text, so they show no Download Files; Job → Get reads jobs of any kind,
 * maybe still running, so it downloads only when asked. The trigger keeps its own default (none).
 */
export function defaultDownload(operation: LegnextOperation): DownloadChoice | undefined {
	const outputs = findTaskType(operation.facts?.taskType)?.outputs;
	if (outputs === 'text') return undefined;
	if (outputs === 'grid') return 'grid';
	if (outputs === 'image') return 'all';
	if (outputs === 'images') return 'chosenImages';
	if (outputs === 'videos') return 'chosenVideos';
	return 'none';
}

const [downloadProperty, ...downloadFields] = downloadProperties;
const downloadDetails = downloadFields.map((field) =>
	field.name === 'fileLayout' ? { ...field, description: `${field.description}${PAUSE_LAYOUT_NOTE}` } : field,
);

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
	followUpNotice,
	...operations.fields,
	...waitProperties,
	...callbackProperties,
	{ ...referenceProperty, displayOptions: { show: { operation: submitOperations } } },
	...resultProperties,
	optionsProperty,
];
