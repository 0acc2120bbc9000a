// The editor's texts by n8n's UX guidelines (issue 32): Title Case names with small words in lower case,
// "Whether …" only on booleans, no field named that the node lacks, no test machinery or HTTP jargon
// in what users read, and the Docs link opening this package's own documentation.
const path = require('node:path');

const dist = path.join(__dirname, '..', '..', 'dist');
const { Legnext } = require(path.join(dist, 'nodes/Legnext/Legnext.node'));
const { LegnextTrigger } = require(path.join(dist, 'nodes/LegnextTrigger/LegnextTrigger.node'));
const { LegnextApi } = require(path.join(dist, 'credentials/LegnextApi.credentials'));
const pkg = require('../../package.json');

const REPO = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const v2 = new Legnext().nodeVersions[2].description.properties;
const trigger = new LegnextTrigger().description.properties;
const credential = new LegnextApi().properties;

/** Every property, with its options and nested collections, flattened. */
const all = (properties) =>
	properties.flatMap((p) => [p, ...(Array.isArray(p.options) ? p.options.flatMap((o) => (o.values ? all(o.values) : o.displayName ? all([o]) : [o])) : [])]);
const textsOf = (properties) => all(properties).flatMap((p) => [p.displayName, p.name, p.description, p.hint].filter((t) => typeof t === 'string'));

test('Verify with Legnext: small words in lower case (its saved name unchanged)', () => {
	const verify = trigger.find((p) => p.name === 'verify');
	expect(verify.displayName).toBe('Verify with Legnext');
});

test('“Whether …” describes booleans only: Download Files is a choice', () => {
	for (const p of all([...v2, ...trigger, ...credential])) {
		if (typeof p.description === 'string' && /^Whether\b/.test(p.description)) expect({ name: p.name, type: p.type }).toEqual({ name: p.name, type: 'boolean' });
	}
	expect(v2.find((p) => p.name === 'download').description).toMatch(/^Which /);
});

test('the trigger’s Files Layout hint names no field the trigger lacks', () => {
	const layout = trigger.find((p) => p.name === 'fileLayout');
	const fields = new Set(all(trigger).map((p) => p.displayName));
	expect(fields.has('Wait for Result')).toBe(false);
	expect(layout.description).not.toMatch(/Wait for Result|Pause Until Callback/);
	// The Legnext node, which has the pause, keeps what the pause does to the layout.
	expect(v2.filter((p) => p.name === 'fileLayout').every((p) => /Pause Until Callback/.test(p.description))).toBe(true);
});

test('what users read names no simulator and says no “POSTs”', () => {
	for (const text of [...textsOf(v2), ...textsOf(trigger), ...textsOf(credential)]) {
		expect(text).not.toMatch(/simulator/i);
		expect(text).not.toMatch(/\bPOSTs\b/);
	}
});

test('Topaz Upscale’s HD and FHD say what Legnext’s docs say (one row, HD/FHD, long edge 1920 pixels)', () => {
	const topaz = all(v2).find((p) => p.name === 'targetResolution');
	const choice = (value) => topaz.options.find((o) => o.value === value).description;
	for (const value of ['HD', 'FHD']) expect(choice(value)).toMatch(/1920 pixels.*HD\/FHD/);
	expect(choice('2K')).toMatch(/2560/);
	expect(choice('4K')).toMatch(/3840/);
});

test('the Docs links open this package’s documentation, not Legnext’s API docs', () => {
	const codex = (file) => require(path.join(dist, file));
	for (const file of ['nodes/Legnext/Legnext.node.json', 'nodes/LegnextTrigger/LegnextTrigger.node.json']) {
		const { resources } = codex(file);
		for (const { url } of [...resources.primaryDocumentation, ...resources.credentialDocumentation]) expect(url.startsWith(REPO)).toBe(true);
	}
	expect(new LegnextApi().documentationUrl.startsWith(REPO)).toBe(true);
});
