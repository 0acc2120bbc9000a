/**
 * Legnext's words in an error answer, whatever its shape: its material shows three (legnext-api.md,
 * "Error bodies") — the docs' flat `{code, message, raw_message, detail}`, the SDKs' nested
 * `{error: {code, message}}`, and a job-shaped body (`job_id: ""`, `status: "failed"`, the reason in
 * `error`), recorded for a 403 of /edit. Undefined when the body says nothing readable.
 */
export interface LegnextSaid {
	code?: unknown;
	message: string;
	rawMessage: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function legnextErrorOf(body: unknown): LegnextSaid | undefined {
	if (!isObject(body)) return undefined;
	const inner = isObject(body.error) ? body.error : undefined;
	// Nested or job-shaped: the reason is in `error`; a flat body's own words come next; `error` as text last.
	for (const source of [inner, body]) {
		if (!source) continue;
		const message = text(source.message);
		const rawMessage = text(source.raw_message);
		if (message || rawMessage) return { code: source.code ?? body.code, message: message || rawMessage, rawMessage };
	}
	const bare = text(body.error) || text(body.detail);
	return bare ? { code: body.code, message: bare, rawMessage: '' } : undefined;
}

/** What Legnext said, in one line: its message, and its raw message when that says more. */
export function legnextWords(said: LegnextSaid | undefined): string {
	if (!said) return '';
	return [said.message, said.rawMessage && said.rawMessage !== said.message ? said.rawMessage : ''].filter(Boolean).join(': ');
}

/**
 * A 2xx answer that is an error in a job's clothes (the recorded 403 body, sent with a success
 * status): no job ID, `status: "failed"`, a reason. Its HTTP status is the code it carries.
 */
export function errorShapedJobStatus(body: unknown): number | undefined {
	if (!isObject(body) || body.job_id !== '' || body.status !== 'failed' || !isObject(body.error)) return undefined;
	const code = Number(body.error.code);
	return Number.isInteger(code) && code >= 400 && code < 600 ? code : 400;
}

/** What each HTTP status from Legnext means for the user, and what to do about it. */
export interface Advice {
	title: string;
	fix: string;
}

const ADVICE: Record<number, Advice> = {
	400: {
		title: 'Legnext rejected the request as invalid',
		fix: 'Check the fields of this item against the operation’s description (IDs, image numbers, URLs).',
	},
	401: {
		title: 'Legnext refused the API key',
		fix: 'Open the Legnext API credential and paste the key again from the Legnext dashboard (API Keys).',
	},
	402: {
		title: 'Not enough Legnext credits',
		fix: 'Top up your Legnext balance or upgrade your plan, then run the workflow again.',
	},
	403: {
		title: 'Legnext refused the job: sensitive content or no permission',
		fix: 'Reword the prompt or use another image. If the operation is Edit or Upload Paint, it works only for accounts Legnext has whitelisted: ask Legnext support.',
	},
	404: {
		title: 'Legnext does not know this job',
		fix: 'Check the job ID. Jobs made with another API key are not visible with this one.',
	},
	413: {
		title: 'The file or request is too large for Legnext',
		fix: 'Use a smaller image (JPG, PNG or WebP under 10 MB) or a shorter prompt.',
	},
	422: {
		title: 'Legnext could not process these values',
		fix: 'Check the values of this item (ranges, formats, the image number of the parent job).',
	},
	429: {
		title: 'Too many Legnext jobs at once',
		fix: 'Your account runs a limited number of jobs at a time (about 6 on a standard plan). Lower the concurrency, or wait for running jobs to finish.',
	},
	500: {
		title: 'Legnext had a temporary problem',
		fix: 'Try again in a minute. If it persists, check status with Legnext support.',
	},
};

/**
 * Legnext's words when a follow-up names a parent job that is still running (the node before it did
 * not wait): a 400 that says so. Its exact wording is not published; these are the words such an
 * answer carries ("… is not completed (status: pending)").
 */
const PARENT_NOT_FINISHED = /\bnot (?:yet )?(?:completed|finished|done)\b|\bstatus:? *"?(?:pending|staged|queued|processing|running|generating)\b/i;

const PARENT_NOT_FINISHED_ADVICE: Advice = {
	title: 'The parent job has not finished yet',
	fix: 'Upscale, Variation, Image to Video and the other follow-ups need a completed job. On the Legnext node that made it, set Wait for Result to Poll Until Done (the default) or Pause Until Callback. A node that cannot wait (one from Legnext’s first node, 0.1.0): read the job with Job → Get until its status is completed, then follow up. Nothing was charged for this item.',
};

export function adviceFor(status: number, path: string, said = ''): Advice {
	if ((status === 400 || status === 422) && PARENT_NOT_FINISHED.test(said)) return PARENT_NOT_FINISHED_ADVICE;
	if (status === 403 && /\/(edit|upload-paint)$/.test(path)) {
		return {
			title: 'This Legnext operation is open to whitelisted accounts only',
			fix: 'Edit and Upload Paint work only for accounts Legnext has whitelisted. Ask Legnext support to enable them for your account.',
		};
	}
	if (ADVICE[status]) return ADVICE[status];
	if (status >= 500) return ADVICE[500];
	return {
		title: `Legnext answered with HTTP ${status}`,
		fix: 'Check the request and try again; if it keeps happening, contact Legnext support.',
	};
}
