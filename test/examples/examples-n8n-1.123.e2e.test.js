// Every workflow of examples/ imports into a real n8n 1.123 (the oldest version the package supports,
// scripts/n8n-host/versions.js) as a user imports it: the file as it is, its Legnext credential found
// by name; and each example with a trigger activates there: its Form opens, its Legnext Trigger listens.
// One n8n for all examples, nothing executed (test/examples/examples.e2e.test.js runs them on 2.41.1),
// so the file stays quick. LEGNEXT_E2E_N8N_VERSIONS picks other versions.
const fs = require('node:fs');
const path = require('node:path');

const support = require('../harness/e2e/support');

jest.setTimeout(2 * 60 * 1000);

const [VERSION] = support.versionsUnderTest([support.host.TESTED_VERSIONS[0]]);
const EXAMPLES = path.join(support.ROOT, 'examples');
const API_KEY = 'examples-1123-key-0123456789';
const CREDENTIAL = { id: 'LgxExamples1123C', name: 'Legnext account', type: 'legnextApi' };
/** Trigger nodes: a workflow with one of these activates (a Manual Trigger alone cannot be). */
const ACTIVATING = ['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.formTrigger', '@n8n/n8n-nodes-langchain.chatTrigger', support.TRIGGER_TYPE];

const files = fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')).sort();
const examples = Object.fromEntries(files.map((file) => [file, JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'))]));
const activates = (workflow) => workflow.nodes.some((node) => ACTIVATING.includes(node.type));
const toActivate = files.filter((file) => activates(examples[file]));

const world = support.useWorld(() => ({
	version: VERSION,
	credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
	// As a user imports them: unchanged, inactive.
	workflows: () => files.map((file) => examples[file]),
	activate: toActivate.map((file) => examples[file].id),
}));

test(`n8n ${VERSION} runs; the examples activated here cover every kind of trigger they use`, async () => {
	expect(world.n8n.n8nVersion).toBe(VERSION);
	const kinds = new Set(toActivate.flatMap((file) => examples[file].nodes.map((node) => node.type).filter((type) => ACTIVATING.includes(type))));
	expect([...kinds].sort()).toEqual([...ACTIVATING].sort());
});

/** Every `type@version` this n8n knows, read once. */
let known;
async function knownTypes() {
	known ??= new Set(
		(await world.n8n.nodeTypes()).flatMap((type) => (Array.isArray(type.version) ? type.version : [type.version]).map((version) => `${type.name}@${version}`)),
	);
	return known;
}

test.each(files)('%s: imports with every node type and version known, the Legnext credential found by name', async (file) => {
	const example = examples[file];
	const types = await knownTypes();
	for (const node of example.nodes) expect(`${node.name}: ${types.has(`${node.type}@${node.typeVersion}`) ? 'known' : `${node.type}@${node.typeVersion} unknown`}`).toBe(`${node.name}: known`);
	const imported = await world.n8n.getWorkflow(example.id);
	expect(imported.nodes.map((node) => [node.name, node.type, node.typeVersion])).toEqual(example.nodes.map((node) => [node.name, node.type, node.typeVersion]));
	for (const node of imported.nodes.filter((n) => n.credentials?.legnextApi)) expect(node.credentials.legnextApi).toEqual({ id: CREDENTIAL.id, name: CREDENTIAL.name });
	expect(imported.active).toBe(toActivate.includes(file));
});

test.each(toActivate)('%s: active, its trigger answers', async (file) => {
	const example = examples[file];
	for (const node of example.nodes) {
		if (node.type === 'n8n-nodes-base.formTrigger') {
			// The form opens (n8n answers 500 "Workflow could not be started!" for a form it cannot run).
			const url = `${world.n8n.baseUrl}/form/${node.parameters.path || node.webhookId}`;
			const page = await support.waitFor(
				async () => {
					const response = await fetch(url);
					return response.status !== 404 && { status: response.status, html: await response.text() };
				},
				60000,
				`the form of ${file}`,
			);
			expect(page.status).toBe(200);
			expect(page.html).toContain(node.parameters.formTitle);
		}
		if (node.type === support.TRIGGER_TYPE) await support.untilTriggerListens(world.n8n, example.id);
	}
});
