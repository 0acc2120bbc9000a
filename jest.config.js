/**
 * Tests run the built package (dist/) in n8n's engine against the Legnext simulator.
 * test/<behaviour>/ holds the tests, the kind in the name (*.unit, *.engine, *.e2e, *.contract);
 * test/harness/ the infrastructure (engine/, simulator/, e2e/): never collected as tests, only the
 * harness's own tests beside it (test/harness/*.test.*).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js', '**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/harness/(engine|simulator|e2e)/'],
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
	testTimeout: 60000,
	// unit → contract → engine → e2e: what fails fastest runs first (npm test adds --bail).
	testSequencer: '<rootDir>/test/harness/sequencer.js',
};
