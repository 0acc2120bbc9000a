// The main flows' workflows and job lengths, the same in test/flows/main-flows.e2e.test.js (n8n 2.41)
// and test/flows/n8n-versions.e2e.test.js (the other n8n versions users run).
const { chainWorkflow, webhookNode, textToImageNode, triggerNode } = require('./workflows');

/** In a prompt: its job runs 8 s, so that its execution's `waiting` state can be seen. */
const SLOW_MARK = '[e2e-slow]';

/**
 * Job durations in seconds: short enough that the node's first status check (24.5 s after submit)
 * finds an image job done; the paused job (SLOW_MARK) runs 8 s.
 */
function durations(taskType, job) {
	if (taskType === 'video_diffusion') return { pending: 1, processing: 3 };
	if (String(job?.body?.text ?? '').includes(SLOW_MARK)) return { pending: 2, processing: 6 };
	return { pending: 1, processing: 2 };
}

/** Webhook → Text to Image of `prompt`, Poll Until Done, the four images downloaded, one item per file. */
function pollImagesWorkflow({ id, name, hook, credential, prompt }) {
	return chainWorkflow(id, name, [webhookNode(hook), textToImageNode('Text to Image', credential, prompt, { download: 'images', fileLayout: 'itemPerFile' })]);
}

/** Webhook → Text to Image, Pause Until Callback, the grid downloaded; its job runs 8 s (SLOW_MARK). */
function pauseWorkflow({ id, name, hook, credential }) {
	return chainWorkflow(id, name, [
		webhookNode(hook),
		textToImageNode('Text to Image', credential, `A fox in the snow ${SLOW_MARK}`, { waitMode: 'callback', download: 'grid' }),
	]);
}

/** A Legnext Trigger alone, for `taskType`'s completed jobs, its files (`download`) one item per file. */
function filesTriggerWorkflow({ id, name, credential, taskType, download, webhookId }) {
	return chainWorkflow(id, name, [
		triggerNode('Legnext Trigger', credential, { statuses: ['completed'], taskTypes: [taskType], download, fileLayout: 'itemPerFile' }, webhookId),
	]);
}

module.exports = { SLOW_MARK, durations, pollImagesWorkflow, pauseWorkflow, filesTriggerWorkflow };
