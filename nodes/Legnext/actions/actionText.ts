import { typicalDuration } from '../wait/schedule';

/**
 * An operation's `action`. The nodes panel lists it, and n8n makes it the tool's description when an
 * AI agent uses the node ("<action> in Legnext"): a model needs to know what a call does, how long it
 * takes and what comes back, so the text says all three. The durations are the ones polling plans
 * with (wait/schedule.ts); `taskType` is left out for a call that answers at once.
 */
export function actionText(what: string, returns: string, taskType?: string): string {
	return `${what} (${taskType ? takes(taskType) : 'answers at once'}, returns ${returns})`;
}

function takes(taskType: string): string {
	const { minMs, maxMs } = typicalDuration(taskType);
	const [min, max] = [minMs / 1000, maxMs / 1000];
	return max >= 180 ? `takes ${min / 60}–${max / 60} min` : `takes ${min}–${max} s`;
}
