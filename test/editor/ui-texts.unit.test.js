// What the editor shows of the Legnext node, read as a new user would: texts that say what the node
// really does (Run `npm run build` first).
const { NODE_PROPERTIES } = require('../../dist/nodes/Legnext/v2/description');
const { RESOURCES } = require('../../dist/nodes/Legnext/v2/actions/resources');
const { TRIGGER_PATH_PREFIX } = require('../../dist/nodes/shared/triggerUrl');

/** Every text of a property and its options, flattened. */
function texts(properties) {
	return properties.flatMap((p) => [
		p.description ?? '',
		p.hint ?? '',
		p.placeholder ?? '',
		...(Array.isArray(p.options) ? p.options.flatMap((o) => (o.values ? texts(o.values) : o.displayName ? texts([o]) : [o.description ?? ''])) : []),
	]);
}

test('the Callback URL placeholder has the shape of a Legnext Trigger’s Production URL', () => {
	const field = NODE_PROPERTIES.find((p) => p.name === 'callbackUrl');
	expect(field.placeholder).toMatch(new RegExp(`/webhook/${TRIGGER_PATH_PREFIX}/[^/]+$`));
});

test('n8n 1.x reads only WEBHOOK_URL: a text that names N8N_WEBHOOK_URL names WEBHOOK_URL too', () => {
	for (const text of texts(NODE_PROPERTIES).filter((t) => t.includes('N8N_WEBHOOK_URL'))) {
		expect(text.replace(/N8N_WEBHOOK_URL/g, '')).toContain('WEBHOOK_URL');
	}
});

test('an operation whose image may be a binary file does not say it takes only public URLs', () => {
	const fileSources = [];
	for (const resource of RESOURCES) {
		for (const operation of resource.operations) {
			const sources = (operation.properties ?? []).filter((p) => /^(imageSource|source)$/.test(p.name) && Array.isArray(p.options));
			const takesFiles = sources.some((p) => p.options.some((o) => o.value === 'binary'));
			if (takesFiles) fileSources.push(operation.option.value);
			if (!takesFiles) continue;
			expect([operation.option.value, operation.option.description]).toEqual([operation.option.value, expect.stringMatching(/file/i)]);
		}
	}
	expect(fileSources).toEqual(expect.arrayContaining(['blend', 'removeBackground', 'retexture', 'topazUpscale', 'imageToVideo']));
});

test('binary image fields name the image types the node accepts (PNG, JPEG, WebP, GIF)', () => {
	const binaryTexts = texts(NODE_PROPERTIES).filter((t) => /binary field/i.test(t) && /PNG/.test(t));
	expect(binaryTexts.length).toBeGreaterThan(0);
	for (const text of binaryTexts) expect(text).toMatch(/GIF/);
});
