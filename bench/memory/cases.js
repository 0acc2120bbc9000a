'use strict';
/**
 * The memory benchmark's cases in a real n8n (bench/memory/n8n.js runs them): the workflows each case
 * imports, the files n8n's own HTTP Request node downloads beside them, and the check that a run
 * brought every file whole.
 */
const path = require('node:path');

const support = require('../../test/harness/e2e/support');

const { uuid, webhookNode, legnextNode, triggerNode, chainWorkflow, delay } = support;

const MB = 1024 * 1024;
const API_KEY = 'bench-memory-key-7f3e9a1c5b2d';
const CREDENTIAL = { id: 'LgxMemBenchCred1', name: 'Legnext memory bench', type: 'legnextApi' };
const WF = {
	pause: 'LgxMemWfPause001',
	poll: 'LgxMemWfPoll0001',
	submit: 'LgxMemWfSubmit01',
	trigger: 'LgxMemWfTrigger1',
	http: 'LgxMemWfHttp0001',
	held: 'LgxMemWfHeld0001',
};
const HOOK = { pause: 'mem-pause', poll: 'mem-poll', submit: 'mem-submit', http: 'mem-http', held: 'mem-held' };
/** The `held` case's items: this many MB of JSON each before the Legnext node. */
const HELD_MB = 10;
/** A job whose request carries this marker gets small videos (the warm-up). */
const SMALL = 'bench-small';
const SMALL_BYTES = 256 * 1024;
const PROBE = path.join(__dirname, 'probe.js');

/** What each case runs, which workflow's execution is measured, and how many files it brings. */
const CASES = {
	pause: { label: 'Pause Until Callback', workflow: WF.pause, node: 'Legnext', files: 4, jobs: 1 },
	poll: { label: 'Poll Until Done', workflow: WF.poll, node: 'Legnext', files: 4, jobs: 1 },
	trigger: { label: 'Legnext Trigger', workflow: WF.trigger, node: 'Legnext Trigger', files: 4, jobs: 1 },
	pause16: { label: 'Pause Until Callback, 4 jobs × 4 videos', workflow: WF.pause, node: 'Legnext', files: 16, jobs: 4 },
	http: { label: "n8n's HTTP Request node", workflow: WF.http, node: 'HTTP Request', files: 4, jobs: 1, reference: true },
	http16: { label: "n8n's HTTP Request node, 16 files", workflow: WF.http, node: 'HTTP Request', files: 16, jobs: 4, reference: true },
	// Not a download: what a paused execution leaves in n8n's memory once it has resumed (`retained`):
	// 2 items carrying 10 MB of JSON each, Pause Until Callback, no files. Only when asked (--cases=held).
	held: { label: `Pause Until Callback, 2 items of ${HELD_MB} MB JSON, no files`, workflow: WF.held, node: 'Legnext', files: 0, items: 2, jobs: 2 },
};
const DEFAULT_CASES = ['pause', 'poll', 'trigger', 'pause16', 'http', 'http16'];

function doneNode(doneUrl) {
	return {
		id: uuid('d1d1'),
		name: 'Done',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [720, 0],
		executeOnce: true,
		parameters: { method: 'POST', url: `={{ "${doneUrl}/" + $execution.id }}`, options: {} },
	};
}

/** Split Out: the webhook's `body.<field>` (an array of objects) as one item each. */
function splitNode(field) {
	return {
		id: uuid('e1e1'),
		name: 'Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [240, 0],
		parameters: { fieldToSplitOut: `body.${field}`, options: {} },
	};
}

function workflows(baseUrl, doneUrl) {
	const video = (waitMode, extra = {}) => ({
		resource: 'video',
		operation: 'imageToVideo',
		imageSource: 'url',
		imageUrl: '={{ $json.imageUrl }}',
		// --draft: Poll Until Done checks a draft video first 16.5 s after the submit (2 min for others).
		prompt: 'The camera drifts --draft',
		download: 'videos',
		fileLayout: 'itemPerFile',
		waitMode,
		...extra,
	});
	const triggerUrl = support.triggerUrl(baseUrl, WF.trigger);
	return [
		chainWorkflow(WF.pause, 'memory bench: Image to Video, Pause Until Callback, download the videos', [
			webhookNode(HOOK.pause),
			splitNode('jobs'),
			legnextNode('Legnext', CREDENTIAL, video('callback'), [480, 0]),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.poll, 'memory bench: Image to Video, Poll Until Done, download the videos', [
			webhookNode(HOOK.poll),
			splitNode('jobs'),
			legnextNode('Legnext', CREDENTIAL, video('poll'), [480, 0]),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.submit, 'memory bench: Image to Video calling back the trigger workflow', [
			webhookNode(HOOK.submit),
			splitNode('jobs'),
			legnextNode('Legnext', CREDENTIAL, video('none', { download: 'none', callback: 'url', callbackUrl: triggerUrl }), [480, 0]),
		]),
		chainWorkflow(WF.trigger, 'memory bench: Legnext Trigger downloads the videos', [
			triggerNode('Legnext Trigger', CREDENTIAL, { statuses: ['completed'], taskTypes: ['video_diffusion'], download: 'videos', fileLayout: 'itemPerFile' }),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.held, 'memory bench: items of 10 MB JSON, Pause Until Callback, no files', [
			webhookNode(HOOK.held),
			splitNode('jobs'),
			{
				id: uuid('f7a7'),
				name: 'Pad',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [360, 0],
				parameters: {
					assignments: { assignments: [{ id: uuid('f8a8'), name: 'pad', value: `={{ 'x'.repeat(${HELD_MB} * 1024 * 1024) }}`, type: 'string' }] },
					includeOtherFields: true,
					options: {},
				},
			},
			legnextNode('Legnext', CREDENTIAL, video('callback', { download: 'none' }), [480, 0]),
			doneNode(doneUrl),
		]),
		chainWorkflow(WF.http, "memory bench: n8n's HTTP Request node downloads the files", [
			webhookNode(HOOK.http),
			splitNode('files'),
			{
				id: uuid('f6a6'),
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [480, 0],
				parameters: { url: '={{ $json.url }}', options: { response: { response: { responseFormat: 'file' } } } },
			},
			doneNode(doneUrl),
		]),
	];
}

/** 4 jobs' videos, big and small, made straight on the simulator (no n8n involved). */
async function referenceFiles(sim) {
	const make = async (small) => {
		const urls = [];
		for (let k = 0; k < 4; k++) {
			const response = await fetch(`${sim.url}/api/v1/video-diffusion`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
				body: JSON.stringify({ prompt: `https://example.com/${small ? SMALL : 'still'}.png reference ${k}` }),
			});
			const body = await response.json();
			if (!body.job_id) throw new Error(`The simulator refused a reference job: ${JSON.stringify(body)}`);
			urls.push(body.job_id);
		}
		return urls;
	};
	const ids = [...(await make(false)), ...(await make(true))];
	const deadline = Date.now() + 30_000;
	for (;;) {
		const views = ids.map((id) => sim.view(id));
		if (views.every((view) => view.status === 'completed')) {
			const urls = views.map((view) => view.output.video_urls);
			return { big: urls.slice(0, 4).flat(), small: urls.slice(4).flat() };
		}
		if (Date.now() > deadline) throw new Error('Reference jobs did not complete within 30 s');
		await delay(250);
	}
}

function checkFiles(execution, c, fileBytes, label) {
	const items = support.nodeOutput(execution, c.node) ?? [];
	if (!c.files) {
		if (execution.status !== 'success' || items.length !== c.items || items.some((item) => item.json.status !== 'completed')) {
			throw new Error(`${label}: ${c.items} completed jobs expected: ${support.describeExecution(execution)}`);
		}
		return;
	}
	// Every file of every item: one item per file, or (after a pause) a job's files on its one item.
	const sizes = items.flatMap((item) => Object.values(item.binary ?? {}).map((binary) => Number(binary.bytes)));
	if (execution.status !== 'success' || sizes.length !== c.files || sizes.some((bytes) => Math.abs(bytes - fileBytes) > 64 * 1024)) {
		throw new Error(`${label}: ${c.files} files of ${fileBytes} bytes expected, got ${JSON.stringify(sizes)}: ${support.describeExecution(execution)}`);
	}
}

module.exports = { MB, API_KEY, CREDENTIAL, WF, HOOK, SMALL, SMALL_BYTES, PROBE, CASES, DEFAULT_CASES, workflows, referenceFiles, checkFiles };
