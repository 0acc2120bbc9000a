// The n8n editor as a user sees it, in headless Chromium: sign in, open a new workflow, find the
// package's nodes in the nodes panel, add the Legnext Trigger and the Legnext node, and read the
// fields they show. Screenshots of every step go to test-output/screenshots/editor-*.png.
//
// Drives the system's Chromium (/usr/bin/chromium) when installed, else the one the devDependency
// @sparticuz/chromium ships inside its npm package (CHROMIUM_PATH overrides; support.js
// chromiumExecutable), with the `playwright-core` devDependency. It never downloads a browser.
const fs = require('node:fs');
const path = require('node:path');

const support = require('../harness/e2e/support');

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const UI_TIMEOUT_MS = 20000;

jest.setTimeout(3 * 60 * 1000);

function loadPlaywright() {
	try {
		return require('playwright-core');
	} catch (error) {
		throw new Error(
			`playwright-core is not installed (${error.message}). It is a devDependency of this package: run \`npm install\`.`,
		);
	}
}

let world;
let browser;
let page;
let shotNumber = 0;
let found = false;

async function screenshot(name) {
	shotNumber += 1;
	const file = path.join(support.SCREENSHOTS, `editor-${String(shotNumber).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

/** Runs a step; on failure saves a screenshot of what the browser showed and says where it is. */
async function step(name, fn) {
	try {
		await fn();
		await screenshot(name);
	} catch (error) {
		let where = '';
		if (page) {
			where = await screenshot(`${name}-FAILED`).catch(() => '');
		}
		if (where) error.message = `${error.message}\n(screenshot: ${where})`;
		throw error;
	}
}

const creator = () => page.getByTestId('node-creator');
/** The nodes panel's entries (nodes, actions, section titles), by their text. */
const creatorItems = () => creator().getByTestId('item-iterator-item');
const ndv = () => page.getByTestId('ndv');
const parameter = (name) => ndv().getByTestId(`parameter-input-${name}`);

async function openNodesPanel() {
	await page.getByRole('button', { name: 'Open nodes panel' }).click();
	await creator().waitFor({ state: 'visible' });
}

/**
 * Waits for the nodes panel to list an entry with this exact name; if it does not, fails with
 * what the panel shows instead (e.g. n8n's "No results for …").
 */
async function expectEntryNamed(name) {
	const entry = creator().getByTestId('node-creator-item-name').filter({ hasText: new RegExp(`^${name}$`) }).first();
	try {
		await entry.waitFor({ timeout: 8000 });
	} catch {
		const shown = (await creator().innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
		throw new Error(
			`The nodes panel does not list "${name}" after searching for it; it shows: "${shown.slice(0, 400)}". ` +
				'A known cause in n8n 2.41: a codex (…node.json) with the category "AI" but no AI subcategory "Root Nodes" ' +
				'makes the editor take the node for an AI sub-node and leave it out of the panel.',
		);
	}
}

/** Later steps need the nodes to be findable; without them they fail at once and say why. */
function requireFound() {
	if (!found) throw new Error('Cannot run: Legnext could not be found in the nodes panel (see the failure of the search test).');
}

async function searchNodes(text) {
	const search = creator().getByPlaceholder(/search/i).first();
	await search.fill(text);
}

/** Text of the visible nodes panel entries, one string per entry. */
async function visibleEntries() {
	return (await creatorItems().allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Picks an option of an n8n select parameter by the option's name. */
async function choose(parameterName, optionName) {
	await parameter(parameterName).click();
	const option = page.getByRole('option').filter({ hasText: optionName }).first();
	await option.waitFor({ state: 'visible' });
	await option.click();
	await expectValue(parameterName, optionName);
}

async function expectValue(parameterName, value) {
	const input = parameter(parameterName).locator('input').first();
	await input.waitFor({ state: 'visible' });
	await page.waitForFunction(
		([selector, expected]) => document.querySelector(selector)?.value === expected,
		[`[data-test-id="ndv"] [data-test-id="parameter-input-${parameterName}"] input`, value],
		{ timeout: UI_TIMEOUT_MS },
	);
}

async function optionsOf(parameterName) {
	await parameter(parameterName).click();
	const options = page.getByRole('option');
	await options.first().waitFor({ state: 'visible' });
	const names = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	return names;
}

async function closeNdv() {
	await page.getByTestId('ndv-close-button').click();
	await ndv().waitFor({ state: 'hidden' });
}

/** After a failed step a node's panel may still be open: close it so the next test starts clean. */
async function closeNdvIfOpen() {
	if (page && (await ndv().isVisible().catch(() => false))) await closeNdv().catch(() => {});
}

beforeAll(async () => {
	// Fail fast, before n8n starts, when the browser side cannot work.
	const { executablePath, env } = await support.chromiumExecutable();
	const { chromium, selectors } = loadPlaywright();
	selectors.setTestIdAttribute('data-test-id'); // n8n's editor marks its elements with data-test-id
	fs.mkdirSync(support.SCREENSHOTS, { recursive: true });
	for (const old of fs.readdirSync(support.SCREENSHOTS).filter((f) => f.startsWith('editor-'))) {
		fs.rmSync(path.join(support.SCREENSHOTS, old), { force: true });
	}

	world = await support.startWorld({});
	browser = await chromium.launch({ executablePath, env, args: CHROMIUM_ARGS });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	context.setDefaultTimeout(UI_TIMEOUT_MS);
	page = await context.newPage();
}, support.INSTALL_AND_START_MS);

afterAll(async () => {
	if (browser) await browser.close().catch(() => {});
	if (world) await world.close();
}, 60000);

test('signs in to the editor with the owner account', async () => {
	const { owner, editorUrl } = world.n8n;
	await step('signin', async () => {
		await page.goto(`${editorUrl}signin`);
		await page.getByLabel('Email').fill(owner.email);
		await page.getByLabel('Password').fill(owner.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	});
	expect(new URL(page.url()).pathname).not.toMatch(/signin/);
});

test('a new workflow: the nodes panel finds Legnext, with its trigger and actions', async () => {
	await step('new-workflow', async () => {
		await page.goto(`${world.n8n.editorUrl}workflow/new`);
		await page.getByRole('button', { name: 'Open nodes panel' }).waitFor();
	});
	await step('search-legnext-triggers', async () => {
		await openNodesPanel();
		await creator().getByText('What triggers this workflow?').waitFor();
		await searchNodes('Legnext');
		// n8n lists a package's node and its trigger as one entry named after the node.
		await expectEntryNamed('Legnext');
	});
	expect(await visibleEntries()).toEqual(expect.arrayContaining([expect.stringMatching(/^Legnext\b/)]));
	found = true;

	await step('legnext-trigger-event', async () => {
		await creatorItems().filter({ hasText: /^Legnext/ }).first().click();
		await creatorItems().filter({ hasText: 'On new Legnext event' }).waitFor();
	});
	expect(await visibleEntries()).toContain('On new Legnext event');
});

test('the Legnext Trigger, added from the panel, shows its URL and fields', async () => {
	requireFound();
	await step('trigger-ndv', async () => {
		await creatorItems().filter({ hasText: 'On new Legnext event' }).click();
		await ndv().waitFor({ state: 'visible' });
		await ndv().getByTestId('node-title-container').filter({ hasText: 'Legnext Trigger' }).waitFor();
		await ndv().getByText('Webhook URLs').click();
		await ndv().getByText(/\/webhook-test\/legnext\/[^/\s]+/).first().waitFor();
	});
	const text = await ndv().innerText();
	for (const field of ['Statuses', 'Task Types', 'Verify with Legnext', 'Download Files', 'Simplify']) {
		expect(text).toContain(field);
	}
	expect(text).toMatch(/Custom URL/); // the notice on using the trigger from another workflow
	expect(text).toMatch(/Completed[\s\S]*Failed/); // both statuses selected by default
	await expectValue('download', "Don't Download"); // the trigger sees jobs of every kind: files only when asked

	await step('trigger-on-canvas', async () => {
		await closeNdv();
		await page.getByTestId('canvas-node').filter({ hasText: 'Legnext Trigger' }).first().waitFor();
	});
});

test('the Legnext node: operations of each resource, Wait for Result and its effect on the fields', async () => {
	requireFound();
	await closeNdvIfOpen();
	await step('search-legnext-actions', async () => {
		await openNodesPanel();
		await creator().getByText('What happens next?').waitFor();
		await searchNodes('Legnext');
		await creatorItems().filter({ hasText: /^Legnext/ }).first().click();
		await creatorItems().filter({ hasText: 'Generate images from a text prompt' }).waitFor();
	});
	// The panel swaps the search results for the node's actions over a few frames (slower on a busy
	// machine): read the list once the last of them is shown.
	await creatorItems().filter({ hasText: 'Get the account balance' }).waitFor();
	const actions = await visibleEntries();
	expect(actions).toEqual(
		expect.arrayContaining([
			'Generate images from a text prompt',
			'Animate an image into videos',
			'Get a job',
			'Get the account balance',
		]),
	);

	await step('legnext-ndv-text-to-image', async () => {
		await creatorItems().filter({ hasText: 'Generate images from a text prompt' }).click();
		await ndv().waitFor({ state: 'visible' });
		await expectValue('resource', 'Image');
		await expectValue('operation', 'Text to Image');
		await expectValue('waitMode', 'Poll Until Done');
		// A new node gives one item per job: Text to Image its grid (every URL stays in the JSON).
		await expectValue('download', 'Grid Image');
	});
	const text = await ndv().innerText();
	for (const field of ['Resource', 'Operation', 'Prompt', 'Wait for Result', 'Time Limit (Minutes)', 'Callback', 'Download Files']) {
		expect(text).toContain(field);
	}

	let waitModes;
	await step('wait-for-result-options', async () => {
		waitModes = await optionsOf('waitMode');
	});
	expect(waitModes).toEqual(['Poll Until Done', 'Pause Until Callback', "Don't Wait"]);

	await step('pause-until-callback', async () => {
		await page.getByRole('option').filter({ hasText: 'Pause Until Callback' }).first().click();
		await expectValue('waitMode', 'Pause Until Callback');
		// The callback is n8n's resume URL then: the Callback choice goes away.
		await parameter('callback').waitFor({ state: 'detached' });
	});
	expect(await parameter('timeLimitMinutes').count()).toBe(1);

	await step('dont-wait', async () => {
		await choose('waitMode', "Don't Wait");
		// Nothing to download from a job that has just been sent; no time limit either.
		await parameter('download').waitFor({ state: 'detached' });
		await parameter('timeLimitMinutes').waitFor({ state: 'detached' });
		await parameter('callback').waitFor({ state: 'visible' });
	});

	let imageOperations;
	await step('image-operations', async () => {
		imageOperations = await optionsOf('operation');
		await page.getByRole('option').filter({ hasText: 'Text to Image' }).first().click();
	});
	expect(imageOperations).toEqual(expect.arrayContaining(['Text to Image', 'Upscale', 'Variation', 'Describe']));
	expect(imageOperations).not.toContain('Image to Video');

	let videoOperations;
	await step('video-resource', async () => {
		await choose('resource', 'Video');
		await expectValue('operation', 'Image to Video');
		videoOperations = await optionsOf('operation');
	});
	// n8n adds "Custom API Call" (an HTTP request with the node's credential) to the node's own list.
	expect(videoOperations.filter((name) => name !== 'Custom API Call')).toEqual(['Image to Video', 'Extend', 'Upscale']);

	await step('image-to-video-fields', async () => {
		await page.getByRole('option').filter({ hasText: 'Image to Video' }).first().click();
		await expectValue('operation', 'Image to Video');
		await parameter('imageSource').waitFor();
		await choose('waitMode', 'Poll Until Done');
		await expectValue('download', 'Chosen Videos'); // Image to Video: one item per job, video 0
	});
	const videoText = await ndv().innerText();
	for (const field of ['Image Source', 'Job ID', 'Image Number', 'Resolution', 'Wait for Result']) {
		expect(videoText).toContain(field);
	}

	await step('both-nodes-on-canvas', async () => {
		await closeNdv();
		await page.getByTestId('canvas-node').nth(1).waitFor();
	});
	const nodes = (await page.getByTestId('canvas-node').allInnerTexts()).join(' | ');
	expect(nodes).toContain('Legnext Trigger');
	expect(await page.getByTestId('canvas-node').count()).toBe(2);
});

test('the nodes panel lists only real Legnext operations as actions', async () => {
	requireFound();
	await closeNdvIfOpen();
	await step('actions-list', async () => {
		await openNodesPanel();
		await searchNodes('Legnext');
		await creatorItems().filter({ hasText: /^Legnext/ }).first().click();
		await creatorItems().filter({ hasText: 'Get the account balance' }).waitFor();
	});
	const entries = await visibleEntries();
	// n8n turns the options of a parameter named "mode" of an AI-category node into actions.
	expect(entries).not.toContain('Strong');
	expect(entries).not.toContain('Subtle');
});
