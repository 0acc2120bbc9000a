// `npm run screenshots`: refreshes the pictures in docs/images/ from a real n8n (2.41.1, with the
// packed package and the Legnext simulator), driven in headless Chromium as the editor test does
// (test/editor/editor.e2e.test.js; same browser lookup, never a download).
//
// docs/images/workflow-and-output.png: the example "Text to Image → Slack" without Slack and with
// Text to Image's defaults, executed in the editor, the Legnext node open on its output: the job's
// grid (one item), viewed as n8n's editor shows it, enlarged 3x (the simulator draws small pictures).
const fs = require('node:fs');
const path = require('node:path');

const support = require('../test/harness/e2e/support');

const ROOT = path.resolve(__dirname, '..');
const IMAGES = path.join(ROOT, 'docs', 'images');
const API_KEY = 'screenshots-key-0123456789';
const CREDENTIAL = { id: 'LgxShotsCred0001', name: 'Legnext account', type: 'legnextApi' };
const WORKFLOW_ID = 'LgxShotsWorkflow1';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

const say = (line) => console.log(`[screenshots] ${line}`);

function workflow() {
	const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'text-to-image-slack.json'), 'utf8'));
	const nodes = example.nodes
		.filter((node) => node.type !== 'n8n-nodes-base.slack' && node.type !== 'n8n-nodes-base.stickyNote')
		.map((node) => {
			if (!node.credentials?.legnextApi) return node;
			// Download Files at its default (the grid), as a new node has it.
			const { download, ...parameters } = node.parameters;
			return { ...node, parameters, credentials: { legnextApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } } };
		});
	const trigger = nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	return {
		id: WORKFLOW_ID,
		name: 'Text to Image',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: { [trigger.name]: example.connections[trigger.name] },
	};
}

async function main() {
	fs.mkdirSync(IMAGES, { recursive: true });
	const { executablePath, env } = await support.chromiumExecutable();
	const { chromium, selectors } = require('playwright-core');
	selectors.setTestIdAttribute('data-test-id');

	const world = await support.startWorld({
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations: () => ({ pending: 1, processing: 3 }) },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => [workflow()],
	});
	let browser;
	try {
		browser = await chromium.launch({ executablePath, env, args: CHROMIUM_ARGS });
		const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 })).newPage();
		page.setDefaultTimeout(30000);
		const { owner, editorUrl } = world.n8n;

		say('signing in');
		await page.goto(`${editorUrl}signin`);
		await page.getByLabel('Email').fill(owner.email);
		await page.getByLabel('Password').fill(owner.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		say('executing the workflow (the node polls: about 25 s)');
		await page.goto(`${editorUrl}workflow/${WORKFLOW_ID}`);
		await page.getByTestId('canvas-node').first().waitFor();
		await page.getByTestId('execute-workflow-button').first().click();
		await page.getByText(/Workflow executed successfully/i).first().waitFor({ timeout: 120000 });

		say('opening the Legnext node on its output');
		await page.getByTestId('canvas-node').filter({ hasText: 'Text to Image' }).first().dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor({ state: 'visible' });
		const binaryTab = ndv.getByText('Binary', { exact: true }).last();
		if (await binaryTab.isVisible().catch(() => false)) await binaryTab.click();
		// The "Workflow executed successfully" toast would cover the output.
		for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => {});
		say('viewing the first picture in the output');
		await ndv.getByRole('button', { name: 'View', exact: true }).first().click();
		const picture = ndv.locator('img[src*="binary-data"]').first();
		await picture.waitFor({ state: 'visible' });
		await picture.evaluate((img) => {
			img.style.width = `${img.naturalWidth * 3}px`;
			img.style.imageRendering = 'pixelated';
		});
		await page.waitForTimeout(1500);
		const file = path.join(IMAGES, 'workflow-and-output.png');
		await page.screenshot({ path: file });
		say(`saved ${path.relative(ROOT, file)}`);
	} finally {
		if (browser) await browser.close().catch(() => {});
		await world.close();
	}
}

main().catch((error) => {
	console.error(`[screenshots] ${error.stack || error.message}`);
	process.exit(1);
});
