import type { INodeProperties } from 'n8n-workflow';

import type { LegnextOperation, LegnextResource } from '../../run/operation';
import { typicalDuration } from '../../wait/schedule';

/**
 * What an AI agent is told about the node as its tool. n8n's own default is the operation's action
 * ("Generate images from a text prompt in Legnext"), which says neither how long a call takes nor
 * what comes back. With a field named `toolDescription` of its own, the node replaces n8n's (n8n
 * then adds none) and fills it, per operation and wait, with what the call does, how long it takes
 * and what it returns; the user can edit it. The actions stay short: n8n names new nodes after them.
 */

function takes(taskType: string | undefined): string {
	const { minMs, maxMs } = typicalDuration(taskType);
	const [min, max] = [minMs / 1000, maxMs / 1000];
	return max >= 180 ? `${min / 60}–${max / 60} minutes` : `${min}–${max} seconds`;
}

/**
 * A model calls the tool with text alone: it cannot hand over a file, so the operation's words about an
 * image file of the incoming item (true in the editor) are left out of what it reads.
 */
const FILE_WORDS = /,? or (an )?image files? of the incoming item/;

/** The text for one operation; `waits` is false for "Don't Wait". */
export function toolText(operation: LegnextOperation, waits: boolean): string {
	const what = (operation.option.description ?? operation.option.action ?? operation.option.name).replace(FILE_WORDS, '');
	const sentence = /[.!?]$/.test(what) ? what : `${what}.`;
	// What the operation declares it returns and which task type it creates (its `facts`).
	const { returns, taskType } = operation.facts ?? { returns: 'the job and its job ID' };
	if (operation.kind !== 'submit') return `${sentence} Answers at once with ${returns}.`;
	if (!waits) {
		return `${sentence} Sends the job and returns its job ID at once; the job takes ${takes(taskType)}, and Job → Get then reads ${returns}.`;
	}
	return `${sentence} Takes ${takes(taskType)}: the call returns when the job is done, with ${returns}.`;
}

function field(description: string, show: NonNullable<INodeProperties['displayOptions']>['show']): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: description,
		description: 'What the AI agent is told about this tool: what it does, how long it takes, what it returns',
		displayOptions: { show: { '@tool': [true], ...show } },
	};
}

/** One Description field per operation (and, for jobs, per wait), shown only when the node is a tool. */
export function toolDescriptionProperties(resources: LegnextResource[]): INodeProperties[] {
	return resources.flatMap((resource) =>
		resource.operations.flatMap((operation) => {
			const show = { resource: [resource.option.value], operation: [operation.option.value] };
			if (operation.kind !== 'submit') return [field(toolText(operation, true), show)];
			return [
				field(toolText(operation, true), { ...show, waitMode: ['poll', 'callback'] }),
				field(toolText(operation, false), { ...show, waitMode: ['none'] }),
			];
		}),
	);
}
