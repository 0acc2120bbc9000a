// npm test and test:fast pick test files by the kind in their name (package.json), and the sequencer
// orders them by it: a file without a known kind would be run by neither phase of npm test.
const fs = require('fs');
const path = require('path');
const { KINDS, kindOf, e2eMs, E2E_SECONDS } = require('./sequencer');

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

test('npm test starts the longest e2e files first, by jest’s timing, else the measured seconds', () => {
	const file = (name) => path.join(TEST_ROOT, `${name}.e2e.test.js`);
	expect(e2eMs(file('queue/queue'))).toBeGreaterThan(e2eMs(file('output/memory')));
	expect(e2eMs(file('output/memory'))).toBeGreaterThan(e2eMs(file('budget/budget')));
	expect(e2eMs(file('output/memory'), 5000)).toBe(5000); // jest's own timing wins
	for (const [name] of Object.entries(E2E_SECONDS)) expect(fs.existsSync(file(name))).toBe(true);
});
