'use strict';
/**
 * A toy community node package (plain JS "dist") and a toy HTTP API, to test the engine harness
 * itself without depending on the real package under development.
 *
 * Nodes: Toy Http (GET/download/slow/fail via httpRequestWithAuthentication), Toy Wait (waits for
 * its resume URL), Toy Trigger (webhook trigger registering itself at the toy API).
 * Credential: Toy API (generic header + query auth with expressions, a default, a `test` request).
 */
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const files = {
	'package.json': JSON.stringify(
		{
			name: 'n8n-nodes-toy',
			version: '0.0.1',
			keywords: ['n8n-community-node-package'],
			files: ['dist'],
			n8n: {
				n8nNodesApiVersion: 1,
				strict: true,
				credentials: ['dist/credentials/ToyApi.credentials.js'],
				nodes: ['dist/nodes/ToyHttp/ToyHttp.node.js', 'dist/nodes/ToyWait/ToyWait.node.js', 'dist/nodes/ToyTrigger/ToyTrigger.node.js'],
			},
			peerDependencies: { 'n8n-workflow': '*' },
		},
		null,
		2,
	),

	'dist/credentials/ToyApi.credentials.js': `
'use strict';
class ToyApi {
	constructor() {
		this.name = 'toyApi';
		this.displayName = 'Toy API';
		this.documentationUrl = 'https://example.com/docs';
		this.properties = [
			{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'https://api.example.com' },
			{ displayName: 'Region', name: 'region', type: 'string', default: 'eu-west' },
		];
		this.authenticate = {
			type: 'generic',
			properties: {
				headers: {
					'X-Api-Key': '={{$credentials.apiKey}}',
					'X-Region': '={{ $credentials.region.toUpperCase() }}',
				},
				qs: { tenant: '={{ $credentials.apiKey.split("-")[0] }}' },
			},
		};
		this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' } };
	}
}
module.exports = { ToyApi };
`,

	'dist/nodes/ToyHttp/ToyHttp.node.js': `
'use strict';
const { NodeOperationError, NodeApiError } = require('n8n-workflow');
class ToyHttp {
	constructor() {
		this.description = {
			displayName: 'Toy Http',
			name: 'toyHttp',
			group: ['transform'],
			version: 1,
			description: 'Calls the toy API',
			defaults: { name: 'Toy Http' },
			usableAsTool: true,
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'toyApi', required: true }],
			properties: [
				{
					displayName: 'Operation', name: 'operation', type: 'options', default: 'echo',
					options: [
						{ name: 'Echo', value: 'echo' },
						{ name: 'Download', value: 'download' },
						{ name: 'Slow', value: 'slow' },
						{ name: 'Fail', value: 'fail' },
					],
				},
				{ displayName: 'Word', name: 'word', type: 'string', default: '' },
				{ displayName: 'Stream', name: 'stream', type: 'boolean', default: false },
				{ displayName: 'Count Echoes', name: 'countEchoes', type: 'boolean', default: false },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('toyApi');
		const baseUrl = String(credentials.baseUrl).replace(/\\/$/, '');
		const returnData = [];
		for (let i = 0; i < items.length; i++) {
			const operation = this.getNodeParameter('operation', i);
			try {
				if (operation === 'echo') {
					const word = this.getNodeParameter('word', i);
					const response = await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
						method: 'GET', url: baseUrl + '/echo', qs: { word, item: i }, json: true,
					});
					if (this.getNodeParameter('countEchoes', i)) {
						const staticData = this.getWorkflowStaticData('global');
						staticData.echoes = (staticData.echoes || 0) + 1;
					}
					returnData.push({ json: response, pairedItem: { item: i } });
				} else if (operation === 'download') {
					const stream = this.getNodeParameter('stream', i);
					const response = await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
						method: 'GET', url: baseUrl + '/file', encoding: stream ? 'stream' : 'arraybuffer', returnFullResponse: true,
					});
					const body = stream ? response.body : Buffer.from(response.body);
					const binary = await this.helpers.prepareBinaryData(body, 'toy.bin', String(response.headers['content-type']));
					returnData.push({ json: { size: Number(response.headers['content-length']) }, binary: { data: binary }, pairedItem: { item: i } });
				} else if (operation === 'slow') {
					const response = await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
						method: 'GET', url: baseUrl + '/slow', json: true, abortSignal: this.getExecutionCancelSignal(),
					});
					returnData.push({ json: response, pairedItem: { item: i } });
				} else {
					if (items[i].json.bad) {
						throw new NodeOperationError(this.getNode(), 'Item ' + i + ' is bad', { itemIndex: i, description: 'Remove the bad flag' });
					}
					returnData.push({ json: { ok: true }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [returnData];
	}
}
module.exports = { ToyHttp };
`,

	'dist/nodes/ToyWait/ToyWait.node.js': `
'use strict';
class ToyWait {
	constructor() {
		this.description = {
			displayName: 'Toy Wait',
			name: 'toyWait',
			group: ['transform'],
			version: 1,
			description: 'Waits until its resume URL is called',
			defaults: { name: 'Toy Wait' },
			usableAsTool: true,
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'toyApi', required: true }],
			webhooks: [
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true },
			],
			properties: [
				{ displayName: 'Wait Seconds', name: 'waitSeconds', type: 'number', default: 60 },
				{ displayName: 'URL Kind', name: 'urlKind', type: 'options', default: 'token',
					options: [{ name: 'Resume Token', value: 'token' }, { name: 'Signed', value: 'signed' }] },
			],
		};
		this.webhookMethods = { default: { checkExists: async () => true, create: async () => true, delete: async () => true } };
	}
	async execute() {
		const items = this.getInputData();
		const urlKind = this.getNodeParameter('urlKind', 0);
		const resumeUrl = urlKind === 'signed'
			? this.getSignedResumeUrl()
			: (() => {
				const url = new URL(this.evaluateExpression('{{ $execution.resumeUrl }}', 0));
				url.pathname += '/' + encodeURIComponent(this.getNode().id);
				return url.toString();
			})();
		const credentials = await this.getCredentials('toyApi');
		await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
			method: 'POST', url: String(credentials.baseUrl) + '/register', body: { resumeUrl, signedUrl: this.getSignedResumeUrl(), executionId: this.getExecutionId() }, json: true,
		});
		const seconds = this.getNodeParameter('waitSeconds', 0);
		await this.putExecutionToWait(new Date(Date.now() + seconds * 1000));
		return [items];
	}
	async webhook() {
		const body = this.getBodyData();
		const staticData = this.getWorkflowStaticData('node');
		staticData.calls = (staticData.calls || 0) + 1;
		if (body && body.ignore) return { webhookResponse: { ignored: true } };
		if (body && body.throw) throw new Error('webhook() failed: ' + body.throw);
		const credentials = await this.getCredentials('toyApi');
		const echo = await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
			method: 'GET', url: String(credentials.baseUrl) + '/echo', qs: { word: 'from-webhook' }, json: true,
		});
		const input = this.evaluateExpression('{{ $input.all().length }}', 0);
		return {
			workflowData: [[{
				json: { resumed: true, body, query: this.getQueryData(), header: this.getHeaderData()['x-caller'], echoedKey: echo.headers['x-api-key'], inputCount: input, node: this.getNodeParameter('waitSeconds') },
				pairedItem: { item: 0 },
			}]],
		};
	}
}
module.exports = { ToyWait };
`,

	'dist/nodes/ToyTrigger/ToyTrigger.node.js': `
'use strict';
class ToyTrigger {
	constructor() {
		this.description = {
			displayName: 'Toy Trigger',
			name: 'toyTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Starts the workflow on toy API events',
			defaults: { name: 'Toy Trigger' },
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'toyApi', required: true }],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'toy' }],
			properties: [{ displayName: 'Event', name: 'event', type: 'string', default: 'created' }],
		};
		this.webhookMethods = {
			default: {
				async checkExists() {
					const data = this.getWorkflowStaticData('node');
					return Boolean(data.hookId && data.url === this.getNodeWebhookUrl('default'));
				},
				async create() {
					const credentials = await this.getCredentials('toyApi');
					const url = this.getNodeWebhookUrl('default');
					const hook = await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
						method: 'POST', url: String(credentials.baseUrl) + '/hooks', body: { url, event: this.getNodeParameter('event'), mode: this.getActivationMode() }, json: true,
					});
					const data = this.getWorkflowStaticData('node');
					data.hookId = hook.id;
					data.secret = hook.secret;
					data.url = url;
					return true;
				},
				async delete() {
					const credentials = await this.getCredentials('toyApi');
					const data = this.getWorkflowStaticData('node');
					await this.helpers.httpRequestWithAuthentication.call(this, 'toyApi', {
						method: 'DELETE', url: String(credentials.baseUrl) + '/hooks/' + data.hookId, json: true,
					});
					delete data.hookId;
					delete data.secret;
					delete data.url;
					return true;
				},
			},
		};
	}
	async webhook() {
		const data = this.getWorkflowStaticData('node');
		if (this.getHeaderData()['x-toy-secret'] !== data.secret) {
			this.getResponseObject().status(403).json({ error: 'bad secret' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		data.received = (data.received || 0) + 1;
		if (body.skip) return { webhookResponse: 'skipped' };
		return { workflowData: [this.helpers.returnJsonArray([body])] };
	}
}
module.exports = { ToyTrigger };
`,
};

/**
 * Writes the toy package into a new temporary folder; `node_modules/n8n-workflow` links to the
 * copy n8n-core uses so `require('n8n-workflow')` in the nodes gives the same classes.
 */
function writeToyPackage(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toy-pkg-'))) {
	for (const [file, content] of Object.entries(files)) {
		const target = path.join(dir, file);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, content);
	}
	const workflowDir = path.dirname(require.resolve('n8n-workflow/package.json'));
	fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
	const link = path.join(dir, 'node_modules', 'n8n-workflow');
	if (!fs.existsSync(link)) fs.symlinkSync(workflowDir, link, 'dir');
	return dir;
}

/** The toy API: echoes requests, serves a file, hangs on /slow, records registrations and hooks. */
async function startToyApi() {
	const api = {
		url: '',
		requests: [],
		registrations: [],
		hooks: new Map(),
		aborted: 0,
		fileBytes: Buffer.from(Array.from({ length: 300_000 }, (_, n) => (n * 7 + 3) % 256)),
	};
	let hookCounter = 0;
	const server = http.createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const raw = Buffer.concat(chunks).toString();
		const url = new URL(req.url ?? '/', 'http://localhost');
		const body = raw && String(req.headers['content-type']).includes('json') ? JSON.parse(raw) : raw;
		api.requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, at: Date.now() });
		const json = (code, value) => {
			res.writeHead(code, { 'content-type': 'application/json' });
			res.end(JSON.stringify(value));
		};
		if (url.pathname === '/echo') return json(200, { query: Object.fromEntries(url.searchParams), headers: req.headers });
		if (url.pathname === '/file') {
			res.writeHead(200, { 'content-type': 'application/x-toy', 'content-length': String(api.fileBytes.length) });
			return res.end(api.fileBytes);
		}
		if (url.pathname === '/slow') {
			const timer = setTimeout(() => json(200, { slow: true }), 30_000);
			res.on('close', () => {
				clearTimeout(timer);
				if (!res.writableEnded) api.aborted++;
			});
			return undefined;
		}
		if (url.pathname === '/register') {
			api.registrations.push(body);
			return json(200, { ok: true });
		}
		if (url.pathname === '/hooks' && req.method === 'POST') {
			const id = `hook-${++hookCounter}`;
			const hook = { id, secret: `secret-${hookCounter}`, ...body };
			api.hooks.set(id, hook);
			return json(200, hook);
		}
		if (url.pathname.startsWith('/hooks/') && req.method === 'DELETE') {
			api.hooks.delete(url.pathname.slice('/hooks/'.length));
			return json(200, { deleted: true });
		}
		return json(404, { error: 'not found' });
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (server.address());
	api.url = `http://127.0.0.1:${port}`;
	return {
		api,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = { writeToyPackage, startToyApi };
