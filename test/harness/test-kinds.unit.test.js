// npm test and test:fast pick test files by the kind in their name (package.json), and the sequencer
// orders them by it: a file without a known kind would be run by neither phase of npm test.
const fs = require('fs');
const path = require('path');
const { KINDS, kindOf } = require('./sequencer');

const TEST_ROOT = path.resolve(__dirname, '..');
const INFRASTRUCTURE = /^harness\/(engine|simulator|e2e)\//;

function testFiles(dir = TEST_ROOT) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
		return /\.test\.[jt]s$/.test(entry.name) && !INFRASTRUCTURE.test(path.relative(TEST_ROOT, full)) ? [full] : [];
	});
}

test(`every test file names its kind (${KINDS.join(', ')}), which sets when npm test runs it`, () => {
	const files = testFiles();
	expect(files.length).toBeGreaterThan(40);
	const unnamed = files.filter((file) => {
		try {
			kindOf(file);
			return false;
		} catch {
			return true;
		}
	});
	expect(unnamed.map((file) => path.relative(TEST_ROOT, file))).toEqual([]);
});

test('the sequencer runs unit, then contract, then engine, then e2e files', () => {
	const names = ['a.e2e.test.js', 'b.engine.test.js', 'c.unit.test.ts', 'd.contract.test.js'];
	expect(names.sort((a, b) => kindOf(a) - kindOf(b))).toEqual(['c.unit.test.ts', 'd.contract.test.js', 'b.engine.test.js', 'a.e2e.test.js']);
	expect(() => kindOf('x.test.js')).toThrow(/name a test file by its kind/);
});
