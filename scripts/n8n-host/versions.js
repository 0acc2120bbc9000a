'use strict';
// The n8n versions the host can run, and what each n8n line needs here: its Node version, the npm
// overrides that make it install from this registry, and its CLI command to activate a workflow.
//
// Why the overrides: the registry here is a partial mirror. Newer linkedom needs a package it lacks;
// n8n 1.x's nodes-base takes `xlsx` from a web address (cdn.sheetjs.com) that cannot be reached, and
// @e965/xlsx is the same SheetJS release published on npm.
const DEFAULT_N8N_VERSION = '2.41.1';

/** The versions the e2e tests prove (test/flows/n8n-versions.e2e.test.js), oldest first. */
const TESTED_VERSIONS = ['1.123.81', '2.41.1'];

const LINES = {
	// n8n 2.x needs Node >= 24.
	2: {
		nodeVersion: '24.21.0',
		overrides: { linkedom: '0.18.14' },
		activateArgs: (id) => ['publish:workflow', `--id=${id}`],
	},
	// n8n 1.x: Node 22 (on Node 20 its isolated-vm expression engine fails at start); no
	// publish:workflow yet, a workflow is activated by updating it.
	1: {
		nodeVersion: '22.23.5',
		overrides: { linkedom: '0.18.14', xlsx: 'npm:@e965/xlsx@0.20.2' },
		activateArgs: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
	},
};

/** What n8n `version` needs; throws for a line the host does not know. */
function lineOf(version = DEFAULT_N8N_VERSION) {
	const major = Number(String(version).split('.')[0]);
	const line = LINES[major];
	if (!line) {
		throw new Error(`n8n ${version}: the host knows n8n ${Object.keys(LINES).join('.x and ')}.x only (scripts/n8n-host/versions.js)`);
	}
	return line;
}

const DEFAULT_NODE_VERSION = lineOf(DEFAULT_N8N_VERSION).nodeVersion;

module.exports = { DEFAULT_N8N_VERSION, DEFAULT_NODE_VERSION, TESTED_VERSIONS, lineOf };
