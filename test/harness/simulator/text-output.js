// @ts-check
'use strict';
/**
 * What a finished Describe or Shorten job says: four prompts and a description, made up
 * deterministically from the job's ID (Shorten's from its own prompt), as the Job's `output` shows them.
 */
const { seed32 } = require('./media');

/** @typedef {import('./jobs').Job} Job */

const WORDS = ['cinematic', 'soft light', 'watercolor', 'wide angle', 'golden hour', 'muted palette', 'high detail', 'minimalist', 'film grain', 'isometric', 'dramatic shadows', 'pastel tones'];
const SUBJECTS = ['a red fox in the snow', 'a lighthouse on a cliff', 'a quiet street at dawn', 'a bowl of ripe fruit', 'a mountain lake', 'an old sailing ship'];

/**
 * describe / shorten results.
 * @param {Job} job
 */
function textOutput(job) {
	const next = (() => {
		let x = seed32(`text/${job.id}`);
		return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0), x);
	})();
	const pick = () => WORDS[next() % WORDS.length];
	if (job.taskType === 'shorten') {
		const flags = (job.plan.prompt.match(/--\S+(?:\s+[^-\s]\S*)?/g) ?? []).join(' ');
		const words = job.plan.prompt.replace(/--\S+(?:\s+[^-\s]\S*)?/g, '').split(/[\s,]+/).filter((w) => w.length > 0);
		const prompts = [8, 6, 4, 3].map((n) => [words.slice(0, n).join(' '), flags].filter(Boolean).join(' '));
		return {
			promptEn: job.plan.prompt,
			description: `The most important tokens are: ${words.slice(0, 3).join(', ') || '(none)'}`,
			finalPrompt: prompts[0],
			prompts,
		};
	}
	const subject = SUBJECTS[next() % SUBJECTS.length];
	const prompts = [0, 1, 2, 3].map((n) => `${n + 1}️⃣ ${subject}, ${pick()}, ${pick()} --ar 3:2`);
	return {
		promptEn: `${subject}, ${pick()}`,
		description: `A picture of ${subject}.`,
		finalPrompt: prompts[0].replace(/^\S+\s/, ''),
		prompts,
	};
}

module.exports = { textOutput };
