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

export function adviceFor(status: number, path: string): Advice {
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
