import type { IDataObject } from 'n8n-workflow';

import { balanceOf } from '../../../../shared/balance';
import type { LegnextOperation } from '../../../run/operation';

/** Legnext's balance fields, camelCased like the job output. */
const FIELDS: Array<[string, string]> = [
	['account_id', 'accountId'],
	['balance_usd', 'balanceUsd'],
	['available_credits', 'availableCredits'],
	['available_points', 'availablePoints'],
	['alert_threshold', 'alertThreshold'],
	['low_balance_alert', 'lowBalanceAlert'],
	['updated_at', 'updatedAt'],
];

/**
 * Legnext's answer, camelCased, with `availableTotal`: credits plus bonus points, what jobs can
 * spend (1000 = 1 USD; `balanceUsd` is the same total in dollars).
 */
export function balanceToJson(answer: IDataObject): IDataObject {
	const data = (answer && typeof answer.data === 'object' && answer.data !== null ? answer.data : answer) as IDataObject;
	const json: IDataObject = {};
	for (const [from, to] of FIELDS) json[to] = data[from] ?? null;
	json.availableTotal = balanceOf(answer)?.total ?? null;
	// Fields Legnext may add later pass through, camelCased.
	for (const [key, value] of Object.entries(data)) {
		if (FIELDS.some(([from]) => from === key)) continue;
		json[key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())] = value;
	}
	return json;
}

export const getBalance: LegnextOperation = {
	option: {
		name: 'Get Balance',
		value: 'getBalance',
		action: 'Get the account balance',
		description:
			'Read the Legnext account’s balance: available credits and bonus points, their total (what jobs can spend), the same in USD, and whether the low-balance alert is on. Costs nothing.',
	},
	kind: 'read',
	facts: { returns: 'the balance: credits, bonus points, their total (what jobs can spend) and the same in USD' },
	properties: [],
	request() {
		return { method: 'GET', path: '/api/account/balance' };
	},
	toJson: balanceToJson,
};
