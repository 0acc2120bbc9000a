import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jobIdProblem } from '../../shared/job';
import { promptRuleProblem } from './rules';

/**
 * Input checks that run before any request, so a bad item never costs a paid call. Each error names
 * the field, the item and the fix.
 */
export function invalidInput(
	node: INode,
	itemIndex: number,
	field: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(node, `${field}: ${problem} (item ${itemIndex})`, {
		description: fix,
		itemIndex,
	});
}

/**
 * A problem with one value, before it is known which node and item it belongs to: the pure checks
 * below throw it, and the node's `check…` functions turn it into an error that names the item.
 * Prompt Options use the pure checks too (promptBuilder.ts).
 */
export class InputProblem extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
		readonly fix: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'InputProblem';
	}
}

function forItem<T>(node: INode, itemIndex: number, check: () => T): T {
	let problem: InputProblem;
	try {
		return check();
	} catch (error) {
		if (!(error instanceof InputProblem)) throw new NodeOperationError(node, error as Error, { itemIndex });
		problem = error;
	}
	throw invalidInput(node, itemIndex, problem.field, problem.problem, problem.fix);
}

export function checkText(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	limits: { min: number; max: number },
): string {
	if (typeof value === 'object' && value !== null) {
		// A mapped object (a chat model's `message`) would be sent, and paid for, as "[object Object]".
		throw invalidInput(
			node,
			itemIndex,
			field,
			`is ${Array.isArray(value) ? 'a list' : 'an object'}, not a text`,
			`Map a text field of it instead, e.g. {{ $json.message.content }}, or turn it into text with {{ JSON.stringify($json.message) }}.`,
		);
	}
	const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
	if (text.length < limits.min) {
		throw invalidInput(node, itemIndex, field, 'is empty', `Enter a ${field.toLowerCase()} of ${limits.min} to ${limits.max} characters, or map one from the incoming item.`);
	}
	if (text.length > limits.max) {
		throw invalidInput(
			node,
			itemIndex,
			field,
			`is ${text.length} characters long, more than the ${limits.max} Legnext accepts`,
			`Shorten it to ${limits.max} characters or fewer.`,
		);
	}
	return text;
}

export function checkJobId(node: INode, itemIndex: number, field: string, value: unknown): string {
	const jobId = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : '';
	const problem = jobIdProblem(jobId);
	if (problem === 'is empty') {
		throw invalidInput(node, itemIndex, field, 'is empty', 'Map the job ID from an earlier Legnext node, e.g. {{ $json.jobId }}.');
	}
	if (problem) {
		throw invalidInput(
			node,
			itemIndex,
			field,
			problem,
			'A job ID is what an earlier Legnext node output as jobId (e.g. 789320d3-4b20-46d3-a804-6165a079176a). Map it, e.g. {{ $json.jobId }}.',
		);
	}
	return jobId;
}

export function checkIntegerInRange(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	range: { min: number; max: number; hint?: string },
): number {
	return forItem(node, itemIndex, () => numberInRange(field, value, { ...range, whole: true }));
}

export function checkHttpUrl(node: INode, itemIndex: number, field: string, value: unknown): string {
	return forItem(node, itemIndex, () => httpUrl(field, value));
}

/** A public http(s) URL: Legnext (or Midjourney) fetches the file itself. */
export function httpUrl(field: string, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) throw new InputProblem(field, 'is empty', 'Enter a public http(s) URL, e.g. https://example.com/image.png.');
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(text)) {
		throw new InputProblem(
			field,
			`"${text.slice(0, 80)}" is not an http(s) URL`,
			'Legnext fetches the file itself, so it needs a public http:// or https:// URL, e.g. https://example.com/image.png.',
		);
	}
	return text;
}

export function checkOneOf<T extends string | number>(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: ReadonlyArray<{ value: T; name: string }>,
): T {
	return forItem(node, itemIndex, () => oneOf(field, value, allowed));
}

export function oneOf<T extends string | number>(field: string, value: unknown, allowed: ReadonlyArray<{ value: T; name: string }>): T {
	const match = allowed.find((option) => option.value === value || String(option.value) === String(value));
	if (!match) {
		throw new InputProblem(
			field,
			`${JSON.stringify(value)} is not one of the choices`,
			`Use one of: ${allowed.map((option) => `${option.name} (${JSON.stringify(option.value)})`).join(', ')}.`,
		);
	}
	return match.value;
}

/** A decimal number within a range, e.g. a scale of 1.1 to 2.0. */
export function checkNumberInRange(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	range: { min: number; max: number; hint?: string },
): number {
	return forItem(node, itemIndex, () => numberInRange(field, value, { ...range, whole: false }));
}

/** A number (a whole one when `whole`) within a range; numeric text counts. */
export function numberInRange(field: string, value: unknown, range: { min: number; max: number; hint?: string; whole: boolean }): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const valid = range.whole ? Number.isInteger(number) : Number.isFinite(number);
	if (typeof number !== 'number' || !valid || number < range.min || number > range.max) {
		const kind = range.whole ? 'a whole number' : 'a number';
		throw new InputProblem(
			field,
			`${JSON.stringify(value)} is not ${kind} from ${range.min} to ${range.max}`,
			range.hint ?? (range.whole ? `Use a whole number from ${range.min} to ${range.max}.` : `Use a number from ${range.min} to ${range.max}, e.g. ${range.min}.`),
		);
	}
	return number;
}

/** An http(s) URL that also fits the length Legnext accepts for it. */
export function checkHttpUrlMaxLength(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	maxLength: number,
): string {
	const url = checkHttpUrl(node, itemIndex, field, value);
	if (url.length > maxLength) {
		throw invalidInput(
			node,
			itemIndex,
			field,
			`is ${url.length} characters long, more than the ${maxLength} Legnext accepts`,
			`Use a shorter URL (at most ${maxLength} characters), e.g. without long query parameters, or host the image elsewhere.`,
		);
	}
	return url;
}

/**
 * A list of http(s) URLs: an array (a multi-value field or an expression) or one string with the
 * URLs separated by commas, spaces or new lines.
 */
export function checkHttpUrlList(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	count: { min: number; max: number },
): string[] {
	const entries = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : [])
		.flatMap((entry) => (typeof entry === 'string' ? entry.split(/[\s,]+/) : [entry]))
		.filter((entry) => entry !== '' && entry !== undefined && entry !== null);
	if (entries.length < count.min || entries.length > count.max) {
		const range = count.min === count.max ? `${count.min}` : `${count.min} to ${count.max}`;
		throw invalidInput(
			node,
			itemIndex,
			field,
			`has ${entries.length} URL${entries.length === 1 ? '' : 's'}, Legnext needs ${range}`,
			`Enter ${range} public image URLs, e.g. https://example.com/a.png and https://example.com/b.png.`,
		);
	}
	return entries.map((entry, position) => checkHttpUrl(node, itemIndex, `${field} (URL ${position + 1})`, entry));
}

/** Ranges of the run's settings that may come from expressions, checked before anything is sent. */
export const RUN_SETTING_RANGES = {
	concurrency: { min: 1, max: 50 },
	/** A week: a paused execution may wait that long in n8n's database. */
	timeLimitMinutes: { min: 0.1, max: 10_080 },
	maxPointsPerRun: { min: 0, max: 1_000_000_000 },
};

/** A prompt Legnext can run (./rules.ts promptRuleProblem), or an error naming the field and the fix. */
export function checkPromptRules(node: INode, itemIndex: number, field: string, prompt: string): string {
	const broken = promptRuleProblem(prompt);
	if (broken) throw invalidInput(node, itemIndex, field, broken.problem, broken.fix);
	return prompt;
}
