import type { IDataObject } from 'n8n-workflow';

import type { LegnextOperation } from '../../../run/operation';

export const getBalance: LegnextOperation = {
	option: {
		name: 'Get Balance',
		value: 'getBalance',
		action: 'Get the account balance',
		description: 'Read the account’s balance: USD, credits and points. Costs nothing.',
	},
	kind: 'read',
	properties: [],
	request() {
		return { method: 'GET', path: '/api/account/balance' };
	},
	// 0.1.0 output Legnext's answer as is: {code, message, data}.
	toJson: (answer: IDataObject) => answer,
};
