import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { legnextRequest } from '../../shared/api';

/**
 * The account's concurrency as Legnext reports it: `GET /api/account/active_tasks`
 * (`ActiveTasksResponse` in legnext-ai/sdks' `openapi-complete.yaml`: `concurrent_limit`,
 * `total_active`, `tasks`). No recorded answer shows whether it comes bare or wrapped in
 * `{code, message, data}` like the balance, so both are read. Jobs of other executions and other
 * workflows on the same key count too: that is the point of asking.
 *
 * "unknown" when Legnext has no such endpoint (404), refuses the key for it (401, 403), or answers
 * something without a limit: the caller then falls back to a fixed number and says so.
 */
export interface AccountSlots {
	/** Jobs the account may run at once. */
	limit: number;
	/** Jobs running (or queued) on the account now, from every workflow. */
	active: number;
}

export type SlotReading = AccountSlots | { unknown: string };

export async function readAccountSlots(ctx: IExecuteFunctions): Promise<SlotReading> {
	let answer: IDataObject;
	try {
		answer = await legnextRequest<IDataObject>(ctx, { method: 'GET', path: '/api/account/active_tasks' }, { kind: 'read' });
	} catch (error) {
		const status = error instanceof NodeApiError ? Number(error.httpCode) : NaN;
		if (status === 404) return { unknown: 'this Legnext has no GET /api/account/active_tasks (404)' };
		if (status === 401 || status === 403) return { unknown: `Legnext refused the key for GET /api/account/active_tasks (${status})` };
		return { unknown: `GET /api/account/active_tasks failed: ${(error as Error).message}` };
	}
	const data = (typeof answer.data === 'object' && answer.data !== null ? answer.data : answer) as IDataObject;
	const limit = Number(data.concurrent_limit);
	const active = Number(data.total_active ?? (Array.isArray(data.tasks) ? data.tasks.length : NaN));
	if (!Number.isInteger(limit) || limit < 1 || !Number.isFinite(active) || active < 0) {
		return { unknown: 'GET /api/account/active_tasks gave no concurrent_limit and total_active' };
	}
	return { limit, active: Math.floor(active) };
}
