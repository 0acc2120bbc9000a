// Every workflow in examples/ is imported into a real n8n (2.41.1, scripts/n8n-host) with this
// package and run against the Legnext simulator, so an example can never rot. An example that
// polls runs as on a plain local n8n; one where Legnext calls n8n (a Legnext Trigger, Pause Until
// Callback) runs as on a public one: the simulator calls n8n's own webhook URLs, which the node
// accepts because the credential's Base URL is local too (nodes/shared/localUrl.ts); the workflow
// is activated and its Legnext Trigger listens before it starts. n8n's own nodes run as they are: a
// Manual or Schedule Trigger is run as the editor's "Execute workflow" button runs it (n8n's REST
// API), a Form Trigger's form is submitted over HTTP as a browser does (the form, then its pages).
// Only what a test cannot reach is replaced, in the imported copy:
// - third-party nodes (Slack, Google Drive, Google Sheets) become stand-ins of the same name: a Set
//   node that evaluates every expression of the original's parameters (what it would send or write)
//   and records the file it received; Sheets' read gives rows, Drive's upload gives a file ID.
// The AI Agent example runs in test/tool/agent.e2e.test.js (a scripted chat model).
const fs = require('node:fs');
const path = require('node:path');

const support = require('../harness/e2e/support');
const { submitForm } = require('../harness/e2e/forms');
const { imagePng } = require('../harness/simulator/media');

jest.setTimeout(10 * 60 * 1000);

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const API_KEY = 'examples-key-0123456789';
const CREDENTIAL = { id: 'LgxExamplesCred01', name: 'Legnext account', type: 'legnextApi' };
const FAIL_MARK = '[examples-fail]';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
/** Where another test runs an example. */
const ELSEWHERE = { 'ai-agent-legnext-tools.json': 'test/tool/agent.e2e.test.js' };

/** Starts the test runs as the editor's "Execute workflow" button does. */
const EXECUTED = ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger'];
const FORM_TRIGGER = 'n8n-nodes-base.formTrigger';
const LEGNEXT = 'n8n-nodes-legnext.legnext';
const LEGNEXT_TRIGGER = 'n8n-nodes-legnext.legnextTrigger';
const THIRD_PARTY = ['n8n-nodes-base.slack', 'n8n-nodes-base.googleDrive', 'n8n-nodes-base.googleSheets'];
/** Rows the Google Sheets stand-in reads. */
const SHEET_ROWS = [
	{ prompt: 'A lighthouse on a cliff at dawn', image: '', job_id: '', row_number: 2 },
	{ prompt: 'A paper boat on a pond', image: '', job_id: '', row_number: 3 },
];

/** How many executions each example's Legnext Trigger starts (one per job it is called back for). */
const TRIGGER_RUNS = { 'sheets-dont-wait-trigger.json': SHEET_ROWS.length };

const exampleFiles = () => fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')).sort();
const load = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));

/** Every string parameter that is an expression, flattened to `a_b_c` names. */
function expressions(value, prefix = '') {
	if (typeof value === 'string') return value.startsWith('=') ? [[prefix, value]] : [];
	if (!value || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, inner]) => expressions(inner, prefix ? `${prefix}_${key}` : key));
}

function standIn(node) {
	const base = { id: node.id, name: node.name, position: node.position };
	if (node.type === 'n8n-nodes-base.googleSheets' && (node.parameters.operation ?? 'read') === 'read') {
		return { ...base, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${JSON.stringify(SHEET_ROWS.map((json) => ({ json })))};` } };
	}
	const assignments = [
		['standInFor', `${node.type} ${node.parameters.resource ?? ''} ${node.parameters.operation ?? ''}`.trim()],
		['receivedFile', '={{ $binary.data ? $binary.data.fileName : "" }}'],
		['receivedMimeType', '={{ $binary.data ? $binary.data.mimeType : "" }}'],
		...expressions(node.parameters),
	];
	if (node.type === 'n8n-nodes-base.googleDrive') assignments.push(['id', '={{ "drive-file-" + $itemIndex }}']);
	return {
		...base,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			mode: 'manual',
			includeOtherFields: false,
			assignments: { assignments: assignments.map(([name, value], i) => ({ id: `a${i}`, name, value, type: 'string' })) },
			options: { dotNotation: false },
		},
	};
}

const hasForm = (workflow) => workflow.nodes.some((node) => node.type === FORM_TRIGGER);
/** n8n activates a workflow with a trigger it listens for; a Manual Trigger alone is run by hand. */
const activatable = (workflow) => workflow.nodes.some((node) => [FORM_TRIGGER, 'n8n-nodes-base.scheduleTrigger', LEGNEXT_TRIGGER].includes(node.type));

/** The example as imported for the test: the test's credential, stand-ins for third-party services. */
function testCopy(file) {
	const workflow = load(file);
	if (!workflow.nodes.some((node) => node.type === FORM_TRIGGER || EXECUTED.includes(node.type))) {
		throw new Error(`${file}: no Manual, Schedule or Form Trigger to start it from`);
	}
	const nodes = workflow.nodes.map((node) => {
		if (node.type === LEGNEXT || node.type === LEGNEXT_TRIGGER) {
			const copy = { ...node, credentials: { legnextApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } } };
			if (file === 'error-alert-slack.json') copy.parameters = { ...node.parameters, prompt: `${node.parameters.prompt} ${FAIL_MARK}` };
			return copy;
		}
		if (THIRD_PARTY.includes(node.type)) return standIn(node);
		return node;
	});
	return { ...workflow, name: `examples e2e: ${workflow.name}`, active: false, nodes };
}

/** "Execute workflow" in the editor: n8n runs the workflow from its Manual (or Schedule) Trigger. */
async function executeWorkflow(workflow) {
	const trigger = workflow.nodes.find((node) => EXECUTED.includes(node.type));
	await n8n.rest(`/workflows/${workflow.id}/run`, { method: 'POST', body: { triggerToStartFrom: { name: trigger.name } } });
}

let world;
let n8n;
/** The finished execution of each example, by file. */
const runs = {};
/** The executions each example's Legnext Trigger started, by file. */
const triggerRuns = {};
/** What the browser saw of each example's form pages, by file. */
const formPages = {};

/** What each example with Form pages is given, page by page. */
const FORM_RUNS = {
	'form-to-image.json': { fields: { 'field-0': 'A fox in the snow' }, pages: [{ until: /Your picture/ }] },
	'form-file-to-video.json': {
		fields: { 'field-0': { bytes: imagePng('uploaded', 0, 64, { prompt: 'a paper boat on a pond', seed: 1 }), type: 'image/png', name: 'boat.png' }, 'field-1': 'The boat drifts away' },
		pages: [{ until: /Your video/ }],
	},
	'pick-one-of-four.json': {
		fields: { 'field-0': 'A red kite over a green hill' },
		pages: [{ until: /Which of the four/, fields: { 'field-1': '2 (bottom left)' } }, { until: /Your upscaled picture/ }],
	},
};

const hasTrigger = (workflow) => workflow.nodes.some((node) => node.type === LEGNEXT_TRIGGER);

/** Where Legnext calls n8n (a callback, a resume URL, n8n's signed URL of a file), so n8n needs a public URL. */
function needsPublicUrl(workflow) {
	const legnextNodes = workflow.nodes.filter((node) => node.type === LEGNEXT);
	return (
		hasTrigger(workflow) ||
		legnextNodes.some((node) => node.parameters.waitMode === 'callback' || ![undefined, 'none'].includes(node.parameters.callback) || node.parameters.imageSource === 'binary')
	);
}

/** `count` new finished executions of a workflow, with their data, oldest first. */
async function finishedExecutions(workflowId, knownIds, count) {
	const known = new Set(knownIds);
	const finished = await support.waitFor(
		async () => {
			const seen = (await n8n.listExecutions(workflowId, { limit: 250 })).filter((e) => !known.has(String(e.id)) && support.FINISHED.includes(e.status));
			return seen.length >= count && seen;
		},
		8 * 60 * 1000,
		`${count} finished executions of ${workflowId}`,
	);
	const executions = await Promise.all(finished.map((e) => n8n.getExecution(e.id)));
	return executions.sort((a, b) => Number(a.id) - Number(b.id));
}

const partition = (list, test) => [list.filter(test), list.filter((item) => !test(item))];

function output(file, nodeName, outputIndex = 0) {
	return support.nodeOutput(runs[file], nodeName, outputIndex) ?? [];
}

beforeAll(async () => {
	const files = exampleFiles().filter((file) => !ELSEWHERE[file]);
	world = await support.startWorld({
		simulator: {
			apiKeys: [API_KEY],
			timeScale: 1,
			durations: (taskType) => (taskType === 'video_diffusion' ? { pending: 1, processing: 3 } : { pending: 1, processing: 2 }),
		},
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => files.map(testCopy),
		activate: files.filter((file) => activatable(load(file))).map((file) => load(file).id),
	});
	n8n = world.n8n;
	world.simulator.inject({ failJobsWhen: (body) => String(body?.text ?? '').includes(FAIL_MARK) });

	// All at once: each waits as the example does, the video examples the longest.
	await Promise.all(
		files.map(async (file) => {
			const workflow = load(file);
			const known = await support.executionIds(n8n, workflow.id);
			// Until its Legnext Trigger listens, the Legnext node rightly refuses to send a job that calls it back.
			if (hasTrigger(workflow)) await support.untilTriggerListens(n8n, workflow.id);
			if (hasForm(workflow)) formPages[file] = await submitForm(n8n.baseUrl, workflow, FORM_RUNS[file].fields, FORM_RUNS[file].pages);
			else await executeWorkflow(workflow);
			const started = await finishedExecutions(workflow.id, known, 1 + (TRIGGER_RUNS[file] ?? 0));
			const [run, ...triggered] = partition(started, (execution) => !support.nodeOutput(execution, 'Legnext Trigger'));
			runs[file] = run[0];
			if (run.length !== 1) throw new Error(`${file}: ${run.length} executions from its start, not 1`);
			triggerRuns[file] = triggered.flat();
		}),
	);
}, support.INSTALL_AND_START_MS + 10 * 60 * 1000);

afterAll(async () => {
	if (world) await world.close();
}, 60000);

test('every example is run here or by another test', () => {
	for (const file of exampleFiles()) {
		if (ELSEWHERE[file]) expect(fs.existsSync(path.join(ROOT, ELSEWHERE[file]))).toBe(true);
		else expect(Object.keys(runs)).toContain(file);
	}
});

test.each(exampleFiles().filter((file) => !ELSEWHERE[file]))('%s: runs, with notes on what to set (a public URL where Legnext calls n8n)', async (file) => {
	const workflow = load(file);
	const legnextNodes = workflow.nodes.filter((node) => node.type === LEGNEXT || node.type === LEGNEXT_TRIGGER);
	expect(legnextNodes.length).toBeGreaterThan(0);
	for (const node of legnextNodes) {
		expect(node.typeVersion).toBe(node.type === LEGNEXT ? 2 : 1);
		expect(node.credentials.legnextApi).toEqual({ name: 'Legnext account' });
	}
	const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => node.parameters.content).join('\n');
	expect(notes).toMatch(/Legnext API/);
	// A local n8n can poll; anything Legnext must reach says so, with n8n's variable in each major version.
	if (needsPublicUrl(workflow)) expect(notes).toMatch(/public URL.*N8N_WEBHOOK_URL.*n8n 2\.x.*WEBHOOK_URL.*1\.123/s);
	else expect(notes).not.toMatch(/public URL/);
	// n8n's built-in nodes and the Legnext Trigger are as they are: only third-party services have stand-ins.
	const imported = new Map((await n8n.getWorkflow(workflow.id)).nodes.map((node) => [node.name, node.type]));
	for (const node of workflow.nodes) {
		if (!THIRD_PARTY.includes(node.type)) expect([node.name, imported.get(node.name)]).toEqual([node.name, node.type]);
	}
	// The start ran as it is: the Manual or Schedule Trigger, or the Form Trigger.
	const start = workflow.nodes.find((node) => node.type === FORM_TRIGGER || EXECUTED.includes(node.type));
	expect(support.nodeOutput(runs[file], start.name)).toHaveLength(1);
	for (const execution of [runs[file], ...triggerRuns[file]]) expect(execution.status).toBe('success');
});

test('text-to-image-slack: four PNGs reach Slack', () => {
	const posted = output('text-to-image-slack.json', 'Post to Slack');
	expect(posted).toHaveLength(4);
	for (const [index, item] of posted.entries()) {
		expect(item.json.receivedMimeType).toBe('image/png');
		expect(item.json.receivedFile).toMatch(/^diffusion_.*\.png$/);
		expect(item.json.options_initialComment).toMatch(new RegExp(`^Image ${index + 1} of 4 from Legnext: [0-9a-f-]{36}$`));
	}
});

test('image-to-video-drive: picture 0 is animated, the four videos reach Google Drive', () => {
	expect(output('image-to-video-drive.json', 'Text to Image')).toHaveLength(1);
	const saved = output('image-to-video-drive.json', 'Save Video to Google Drive');
	expect(saved).toHaveLength(4);
	for (const item of saved) {
		expect(item.json.receivedMimeType).toBe('video/mp4');
		expect(item.json.name).toMatch(/^video_diffusion_.*\.mp4$/);
	}
	// Jobs created (a 429 of the account's cap, while the other examples run, creates none) for this example's prompt.
	const videoJobs = world.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/video-diffusion' && r.jobId && /^Rain falls/.test(r.body.prompt));
	expect(videoJobs).toHaveLength(1);
	expect(videoJobs[0].body).toMatchObject({ imageNo: 0 });
});

test('sheets-prompts-to-drive: each row gets its image in Drive and the link written back to it', () => {
	const uploaded = output('sheets-prompts-to-drive.json', 'Upload to Google Drive');
	expect(uploaded.map((item) => item.json.receivedMimeType)).toEqual(['image/png', 'image/png']);
	const written = output('sheets-prompts-to-drive.json', 'Write Link to the Row');
	expect(written.map((item) => item.json.columns_value_row_number)).toEqual(['2', '3']);
	expect(written.map((item) => item.json.columns_value_image)).toEqual([
		'https://drive.google.com/file/d/drive-file-0/view',
		'https://drive.google.com/file/d/drive-file-1/view',
	]);
	const jobs = output('sheets-prompts-to-drive.json', 'Text to Image').map((item) => item.json.jobId);
	expect(written.map((item) => item.json.columns_value_job_id)).toEqual(jobs);
	const prompts = world.simulator.requests.filter((r) => r.path === '/api/v1/diffusion').map((r) => r.body.text);
	for (const row of SHEET_ROWS) expect(prompts).toContain(row.prompt);
});

test('form-to-image: n8n’s own Form Trigger and Form Ending page show the picture', async () => {
	// The form and its page ran as they are: no stand-in replaced them.
	const imported = await n8n.getWorkflow(load('form-to-image.json').id);
	const types = imported.nodes.map((node) => node.type);
	expect(types).toEqual(expect.arrayContaining(['n8n-nodes-base.formTrigger', 'n8n-nodes-base.form']));
	expect(types).not.toContain('n8n-nodes-base.respondToWebhook');
	const formPage = formPages['form-to-image.json'];
	expect(formPage.submitted.status).toBe(200);
	expect(formPage.waitingUrl).toMatch(/\/form-waiting\//);
	const [drawn] = output('form-to-image.json', 'Text to Image');
	expect(formPage.pages[0]).toContain('Your picture');
	expect(formPage.pages[0]).toContain(`/files/${drawn.json.jobId}/grid.png`);
	const prompts = world.simulator.requests.filter((r) => r.path === '/api/v1/diffusion').map((r) => r.body.text);
	expect(prompts).toContain('A fox in the snow');
});

test('form-file-to-video: the file uploaded in n8n’s form becomes the video job’s image; the last page plays the video', () => {
	const seen = formPages['form-file-to-video.json'];
	const [video] = output('form-file-to-video.json', 'Image to Video');
	expect(video.json.taskType).toBe('video_diffusion');
	// The one job created for it (429s of the account's cap, while the other examples run, create none).
	const submitted = world.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/video-diffusion' && r.jobId && /binary-data/.test(r.body.prompt));
	expect(submitted).toHaveLength(1);
	// Legnext was handed n8n's signed URL of the uploaded file, and fetched it.
	expect(submitted[0].body.prompt).toMatch(/^https?:\/\/\S*binary-data\S* /);
	expect(submitted[0].body.prompt).toContain('The boat drifts away');
	expect(seen.pages[0]).toContain('Your video');
	expect(seen.pages[0]).toContain(`/files/${video.json.jobId}/0.mp4`);
});

test('pick-one-of-four: a person picks image 2 on n8n’s Form page; that one image is upscaled, once', () => {
	const seen = formPages['pick-one-of-four.json'];
	expect(seen).toBeDefined();
	const [drawn] = output('pick-one-of-four.json', 'Text to Image');
	expect(seen.pages[0]).toContain(`/files/${drawn.json.jobId}/grid.png`);
	const upscales = world.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/upscale' && r.body.jobId === drawn.json.jobId);
	expect(upscales.map((r) => r.body.imageNo)).toEqual([2]);
	const [upscaled] = output('pick-one-of-four.json', 'Upscale');
	expect(seen.pages[1]).toContain('Your upscaled picture');
	expect(seen.pages[1]).toContain(`/files/${upscaled.json.jobId}/`);
});

test('daily-image-post: the picture of the day is posted with its prompt', () => {
	const posted = output('daily-image-post.json', 'Post to Slack');
	expect(posted).toHaveLength(1);
	expect(posted[0].json.receivedMimeType).toBe('image/png');
	expect(posted[0].json.options_initialComment).toMatch(/^Picture of the day: .+, watercolor --ar 3:2$/);
});

test('error-alert-slack: a failed job goes to the error branch, which alerts Slack', () => {
	expect(output('error-alert-slack.json', 'Post to Slack')).toHaveLength(0);
	const alerts = output('error-alert-slack.json', 'Alert on Slack');
	expect(alerts).toHaveLength(1);
	expect(alerts[0].json.text).toMatch(/^Legnext could not make the picture: Legnext could not finish job [0-9a-f-]{36}/);
});

test('sheets-dont-wait-trigger: one job per row, sent without waiting; the Legnext Trigger writes each job’s result to its own row', () => {
	const file = 'sheets-dont-wait-trigger.json';
	const workflowId = load(file).id;
	// The sending execution waited for nothing: each row's job went out with its row number as Reference.
	const sent = output(file, 'Text to Image');
	expect(sent.map((item) => [item.json.status, item.json.reference])).toEqual(SHEET_ROWS.map((row) => ['pending', String(row.row_number)]));
	const marked = output(file, 'Mark the Row as Sent');
	expect(marked.map((item) => [item.json.columns_value_row_number, item.json.columns_value_job_id])).toEqual(sent.map((item) => [item.json.reference, item.json.jobId]));

	// One job per prompt (429s of the account's cap, while the other examples run, create none), each calling this workflow's trigger back.
	const jobs = world.simulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/diffusion' && r.jobId && String(r.body.callback).includes(`/legnext/${workflowId}?`));
	expect(jobs.map((r) => r.body.text).sort()).toEqual(SHEET_ROWS.map((row) => row.prompt).sort());
	const rowOfJob = new Map(jobs.map((r) => [r.jobId, String(SHEET_ROWS.find((row) => row.prompt === r.body.text).row_number)]));
	expect(new Set(sent.map((item) => item.json.jobId))).toEqual(new Set(rowOfJob.keys()));

	// The trigger started one execution per job; each wrote that job's result to the row of that job's prompt.
	const written = triggerRuns[file].map((execution) => {
		const [item, ...more] = support.nodeOutput(execution, 'Write the Result to Its Row');
		expect(more).toHaveLength(0);
		return item.json;
	});
	expect(written).toHaveLength(SHEET_ROWS.length);
	for (const row of written) {
		expect(row.columns_value_row_number).toBe(rowOfJob.get(row.columns_value_job_id));
		expect(row.columns_value_status).toBe('completed');
		expect(row.columns_value_image).toBe(world.simulator.view(row.columns_value_job_id).output.image_url);
	}
	expect(written.map((row) => row.columns_value_row_number).sort()).toEqual(SHEET_ROWS.map((row) => String(row.row_number)).sort());
});

test('long-video-pause: the execution waits three times; each job’s callback resumes it, and Extend outputs the longer video', async () => {
	const file = 'long-video-pause.json';
	const execution = runs[file];
	const [image] = output(file, 'Text to Image');
	const [video] = output(file, 'Image to Video');
	const [extended, ...more] = output(file, 'Extend');
	expect(more).toHaveLength(0);
	// Each job once, each the follow-up of the one before: picture 0 at 720p, then video 0 of that.
	const created = (apiPath) => world.simulator.requests.filter((r) => r.method === 'POST' && r.path === apiPath && r.jobId && String(r.body.callback).includes(`/webhook-waiting/${execution.id}`));
	expect(created('/api/v1/diffusion').map((r) => r.jobId)).toEqual([image.json.jobId]);
	expect(created('/api/v1/video-diffusion').map((r) => [r.jobId, r.body.jobId, r.body.imageNo, r.body.videoType])).toEqual([[video.json.jobId, image.json.jobId, 0, 1]]);
	expect(created('/api/v1/extend-video').map((r) => [r.jobId, r.body.jobId, r.body.videoNo])).toEqual([[extended.json.jobId, video.json.jobId, 0]]);
	// The one execution paused for each job, and Legnext's callback to its resume URL ended each wait.
	for (const jobId of [image.json.jobId, video.json.jobId, extended.json.jobId]) {
		const callback = world.simulator.callbacks.find((c) => c.jobId === jobId && c.kind === 'final');
		expect(callback).toMatchObject({ status: 200, jobStatus: 'completed' });
		expect(new URL(callback.url).pathname).toMatch(new RegExp(`^/webhook-waiting/${execution.id}(/|$)`));
	}
	// The output holds the extended video as a file.
	expect(extended.json).toMatchObject({ status: 'completed', taskType: 'extend_video', file: { kind: 'video', index: 0 } });
	expect(extended.binary.data).toMatchObject({ mimeType: 'video/mp4', fileName: `extend_video_${extended.json.jobId}_0.mp4` });
	const { bytes } = await support.binaryBytes(n8n, extended.binary.data);
	expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
});
