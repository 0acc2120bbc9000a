// End to end in a real n8n: the packed package installed as n8n installs a community package, a
// credential and a workflow imported with n8n's CLI, the workflow published (activated), and one
// execution through its production webhook, with the Legnext node calling a fake Legnext API here.
//
// The first run on a machine installs Node 24 and n8n into the cache (scripts/n8n-host, ~5 min);
// later runs reuse it. Needs dist/ built (`npm test` builds first).
const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const host = require('../../scripts/n8n-host/host');

const repoRoot = path.resolve(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PACKAGE}.legnext`;
const TRIGGER_TYPE = `${PACKAGE}.legnextTrigger`;
const WORKFLOW_ID = 'LegnextE2eWf0001';
const CREDENTIAL_ID = 'LegnextE2eCred01';
const API_KEY = 'e2e-legnext-key';
const WEBHOOK_PATH = 'legnext-e2e';
const JOB_ID = 'c6821434-5e41-408f-b42b-2562306b109c';

const INSTALL_AND_START_MS = 25 * 60 * 1000;
jest.setTimeout(5 * 60 * 1000);

/** A completed image job as Legnext's API documents it. */
const COMPLETED_JOB = {
	job_id: JOB_ID,
	model: 'midjourney',
	task_type: 'diffusion',
	status: 'completed',
	config: { service_mode: 'public', webhook_config: { endpoint: '', secret: '' } },
	input: { text: 'A lighthouse at dawn --v 7' },
	output: {
		image_url: 'https://image.legnext.ai/e2e/grid.png',
		image_urls: [0, 1, 2, 3].map((i) => `https://image.legnext.ai/e2e/${i}.png`),
		seed: '1876245923',
		available_actions: { upscale: [0, 1, 2, 3], variation: [0, 1, 2, 3], reroll: true },
	},
	meta: {
		created_at: '2025-09-22T04:30:00Z',
		started_at: '2025-09-22T04:30:02Z',
		ended_at: '2025-09-22T04:31:05Z',
		usage: { type: 'point', frozen: 80, consume: 80 },
	},
	detail: null,
	logs: [],
	error: { code: 0, raw_message: '', message: '', detail: null },
};

/** The fake Legnext API: records every request, answers the job lookup. */
function startFakeLegnext() {
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method, url: req.url, apiKey: req.headers['x-api-key'] });
		const send = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.headers['x-api-key'] !== API_KEY) return send(401, { code: 401, message: 'invalid api key' });
		if (req.method === 'GET' && req.url === `/api/v1/job/${JOB_ID}`) return send(200, COMPLETED_JOB);
		if (req.method === 'GET' && req.url === '/api/account/balance') return send(200, { code: 200, data: { balance: 1000 } });
		return send(404, { code: 404, message: `no route ${req.method} ${req.url}` });
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve({ server, requests, url: `http://127.0.0.1:${server.address().port}` }));
	});
}

function packPackage() {
	if (!fs.existsSync(path.join(repoRoot, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` (or `npm test`, which builds first)');
	}
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-e2e-pack-'));
	const out = childProcess.execFileSync('npm', ['pack', '--pack-destination', dest, '--ignore-scripts', '--json'], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return { dir: dest, tarball: path.join(dest, JSON.parse(out)[0].filename) };
}

function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Legnext e2e: webhook → Get Job',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: '5d0e4a7e-1f0b-4e44-9b0b-8f1a3c0e0001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5d0e4a7e-1f0b-4e44-9b0b-8f1a3c0ewh01',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: '5d0e4a7e-1f0b-4e44-9b0b-8f1a3c0e0002',
				name: 'Legnext',
				type: NODE_TYPE,
				typeVersion: 2,
				position: [240, 0],
				parameters: { resource: 'job', operation: 'get', jobId: '={{ $json.body.jobId }}' },
				credentials: { legnextApi: { id: CREDENTIAL_ID, name: 'Legnext e2e' } },
			},
		],
	};
}

let n8n;
let fake;
let pack;

beforeAll(async () => {
	fake = await startFakeLegnext();
	pack = packPackage();
	n8n = await host.startN8n({
		packageTarball: pack.tarball,
		credentials: [
			{
				id: CREDENTIAL_ID,
				name: 'Legnext e2e',
				type: 'legnextApi',
				data: { apiKey: API_KEY, baseUrl: fake.url },
			},
		],
		workflows: [workflow()],
		activate: [WORKFLOW_ID],
	});
}, INSTALL_AND_START_MS);

afterAll(async () => {
	// LEGNEXT_E2E_KEEP=1 keeps n8n's user folder (database, log) for a look.
	if (n8n) await n8n.stop({ keepUserFolder: process.env.LEGNEXT_E2E_KEEP === '1' });
	if (n8n && process.env.LEGNEXT_E2E_KEEP === '1') console.log(`n8n user folder kept: ${n8n.userFolder}`);
	if (fake) await new Promise((resolve) => fake.server.close(resolve));
	if (pack) fs.rmSync(pack.dir, { recursive: true, force: true });
}, 60000);

test('n8n is ready and its process runs on Node 24', async () => {
	const response = await fetch(`${n8n.baseUrl}/healthz/readiness`);
	expect(response.status).toBe(200);
	const version = childProcess.execFileSync(n8n.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	expect(Number(version.replace(/^v/, '').split('.')[0])).toBeGreaterThanOrEqual(24);
});

test('the public API answers with the API key, and refuses without it', async () => {
	const workflows = await n8n.api('/workflows');
	expect(workflows.data.map((w) => w.id)).toContain(WORKFLOW_ID);
	const refused = await fetch(`${n8n.baseUrl}/api/v1/workflows`);
	expect(refused.status).toBe(401);
});

test('the package is installed as a community package and n8n knows its node types', async () => {
	expect(n8n.installedPackage).toMatchObject({ name: PACKAGE });
	const names = await n8n.nodeTypeNames();
	expect(names).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_TYPE]));
	expect(n8n.logs()).not.toMatch(/unrecognized node type/i);
});

test('the imported workflow with the Legnext node is active', async () => {
	const wf = await n8n.getWorkflow(WORKFLOW_ID);
	expect(wf.active).toBe(true);
	expect(wf.nodes.map((node) => node.type)).toContain(NODE_TYPE);
});

test('the workflow can be deactivated and activated again through the public API', async () => {
	expect((await n8n.deactivateWorkflow(WORKFLOW_ID)).active).toBe(false);
	expect((await n8n.activateWorkflow(WORKFLOW_ID)).active).toBe(true);
	expect((await n8n.getWorkflow(WORKFLOW_ID)).active).toBe(true);
});

test('a production webhook call runs the Legnext node against the (fake) Legnext API', async () => {
	// Right after a re-activation n8n may still be registering the webhook: a 404 means "not yet".
	let response = await n8n.webhook(WEBHOOK_PATH, { body: { jobId: JOB_ID } });
	for (let tries = 0; response.status === 404 && tries < 120; tries++) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		response = await n8n.webhook(WEBHOOK_PATH, { body: { jobId: JOB_ID } });
	}
	expect(response.status).toBe(200);
	// The node read the job with the imported credential (key and base URL).
	expect(fake.requests).toContainEqual({ method: 'GET', url: `/api/v1/job/${JOB_ID}`, apiKey: API_KEY });
	expect(JSON.stringify(response.json)).toContain(JOB_ID);

	const execution = await n8n.waitForExecution(WORKFLOW_ID, 60000);
	const full = await n8n.getExecution(execution.id);
	expect(full.status).toBe('success');
	const runData = full.data.resultData.runData;
	expect(Object.keys(runData)).toEqual(expect.arrayContaining(['Webhook', 'Legnext']));
	const output = runData.Legnext[0].data.main[0];
	expect(output).toHaveLength(1);
	expect(JSON.stringify(output[0].json)).toContain(JOB_ID);
	// n8n would retry a node whose first item carries a non-null `error` (see shared/n8n-notes.md).
	expect([undefined, null, false]).toContain(output[0].json.error);
});
