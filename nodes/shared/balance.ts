import type { IDataObject } from 'n8n-workflow';

/**
 * Legnext's balance, as a job can spend it: credits plus bonus points, 1000 of either = 1 USD. Its
 * recorded answer: 71,000 credits + 1,048 points = 72.048 USD; its web app computes the available
 * balance the same way. Reading `available_points` alone would tell a paying account with many
 * credits and no bonus points that it has nothing.
 */
export interface Balance {
	credits: number;
	points: number;
	/** What jobs can spend: credits + points. */
	total: number;
}

const count = (value: unknown) => {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : 0;
};

/** The balance in Legnext's answer (`{code, message, data: {…}}`, or the data itself); undefined when it has neither figure. */
export function balanceOf(answer: IDataObject | undefined): Balance | undefined {
	const data = (answer && typeof answer.data === 'object' && answer.data !== null ? answer.data : answer) as IDataObject | undefined;
	if (!data || (data.available_credits === undefined && data.available_points === undefined)) return undefined;
	const credits = count(data.available_credits);
	const points = count(data.available_points);
	return { credits, points, total: credits + points };
}
