// The README is for n8n users and npm's package page: short (≤ 12,000 characters), opening with what
// the node does and how to install it, links by absolute URL to this repository (npm hosts no
// images and resolves no relative links), one repository URL everywhere, and no link to a file that
// does not exist. Contributors' material lives in CONTRIBUTING.md and docs/.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json'));
const REPO = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const RAW = REPO.replace('https://github.com/', 'https://raw.githubusercontent.com/');
const README = read('README.md');
const DOCS = ['README.md', 'CONTRIBUTING.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

test('the README has at most 12,000 characters, and at most 12,000 bytes', () => {
	expect([...README].length).toBeLessThanOrEqual(12000);
	expect(Buffer.byteLength(README, 'utf8')).toBeLessThanOrEqual(12000);
});

test('the README opens with what the node does, then how to install it; Develop comes last', () => {
	const headings = README.split('\n').filter((line) => /^#{1,2} /.test(line));
	expect(headings[0]).toBe('# n8n-nodes-legnext');
	expect(headings[1]).toBe('## Install');
	expect(headings.at(-1)).toBe('## Develop');
	expect(README).toContain('npm install && npm run demo');
	expect(README).toContain('npm test');
	for (const section of ['## The credential', '## Operations', '## Legnext Trigger', '## When some items fail', '## Troubleshooting']) {
		expect(headings).toContain(section);
	}
});

test.each(DOCS)('%s: GitHub links point at the repository in package.json, at files that exist', (file) => {
	const text = read(file);
	const links = [...text.matchAll(/https:\/\/(?:github\.com|raw\.githubusercontent\.com)\/[^\s)"'>]+/g)].map((m) => m[0]);
	for (const link of links) {
		expect(link.startsWith(REPO) || link.startsWith(RAW)).toBe(true);
		const inRepo = link.startsWith(RAW) ? link.slice(`${RAW}/main/`.length) : /\/blob\/main\/(.+)$/.exec(link)?.[1];
		if (inRepo) {
			const local = inRepo.split('#')[0];
			// Screenshots too: `npm run screenshots` refreshes docs/images/.
			expect({ link, exists: fs.existsSync(path.join(ROOT, local)) }).toEqual({ link, exists: true });
		}
	}
	// Relative links do not work on npm's package page.
	if (file === 'README.md') expect(text).not.toMatch(/\]\((?!https?:|#)[^)]+\)/);
});

test('the README lists every example of examples/, by a link to its file', () => {
	const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((file) => file.endsWith('.json'));
	for (const file of examples) expect(README).toContain(`](${REPO}/blob/main/examples/${file})`);
});

test('the package ships the MIT licence', () => {
	expect(pkg.license).toBe('MIT');
	expect(pkg.files).toContain('LICENSE');
	expect(read('LICENSE')).toMatch(/^MIT License/);
});
