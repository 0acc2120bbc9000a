'use strict';
/**
 * Row 7 of the benchmark (bench/rows.js runs it in its own process): what one item costs at 100,
 * 1,000 and 10,000 items in one execution — the CPU of this process (n8n's engine and the node; the
 * simulator runs in a child process) and the bytes n8n stores for the execution (its run data as
 * n8n's database keeps it, flatted JSON) — for *Don't Wait* and *Poll Until Done*, beside n8n's own
 * Set node (n8n-nodes-base 2.41.1, from the n8n the e2e tests install) handed the same items.
 * Target (issue 33): 10,000 items cost at most 1.2 × per item what 100 do.
 */
const path = require('path');
const { setTimeScale, startEngine, legnextWorkflow, textToImage, assertRun, startChildSimulator, gcFunction, median } = require('../lib');

const SET_TYPE = 'n8n-nodes-base.set';

/**
 * n8n's own Set node, from the n8n 2.41.1 the e2e tests install (scripts/n8n-host), added to the
 * engine's node types; undefined when that n8n is not installed (`npm run n8n:install`).
 */
function setNodeType() {
	try {
		const { cacheDirFor } = require('../../scripts/n8n-host/install');
		const file = path.join(cacheDirFor('2.41.1'), 'n8n', 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Set', 'Set.node.js');
		return new (require(file).Set)();
	} catch {
		return undefined;
	}
}

function addNodeType(engine, name, type) {
	const { getByName, getByNameAndVersion } = engine.nodeTypes;
	engine.nodeTypes.getByName = (nodeType) => (nodeType === name ? type : getByName.call(engine.nodeTypes, nodeType));
	engine.nodeTypes.getByNameAndVersion = (nodeType, version) =>
		nodeType === name ? require('n8n-workflow').NodeHelpers.getVersionedNodeType(type, version) : getByNameAndVersion.call(engine.nodeTypes, nodeType, version);
}

/** The Set node (v3.4, Manual Mapping) giving each item the prompt the Legnext node would send. */
function setWorkflow(items) {
	const workflow = legnextWorkflow('unused', {}, items, { trivial: true });
	workflow.nodes[2] = {
		id: 'n-last',
		name: 'Legnext',
		type: SET_TYPE,
		typeVersion: 3.4,
		position: [400, 0],
		parameters: {
			assignments: { assignments: [{ id: 'a1', name: 'prompt', value: '={{ "picture " + $json.n }}', type: 'string' }] },
			includeOtherFields: true,
			options: {},
		},
	};
	return workflow;
}

async function scale({ timeScale = 400, counts = [100, 1000, 10_000], jobSeconds = 20, concurrency = 20, only } = {}) {
	const gc = gcFunction();
	setTimeScale(timeScale);
	// No cap on running jobs and a balance for 10,000 jobs: the row measures the node, not 429s or refusals.
	const simulator = await startChildSimulator({
		timeScale,
		concurrencyLimit: 0,
		balance: { points: 0, credits: 10_000_000 },
		markedDurations: { diffusion: { pending: 1, processing: jobSeconds - 1 } },
	});
	const { engine, legnext } = await startEngine(simulator.url);
	const set = setNodeType();
	if (set) addNodeType(engine, SET_TYPE, set);
	const { flatted } = await require('../../test/harness/engine/n8n').initN8n();
	// Don't Download (the default): the row measures items, not files.
	const options = { concurrency };
	const cases = {
		dontWait: (items) => legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n }}', waitMode: 'none', options }), items),
		poll: (items) => legnextWorkflow(legnext, textToImage({ prompt: '={{ "picture " + $json.n }}', waitMode: 'poll', options }), items),
		...(set ? { set: (items) => setWorkflow(items) } : {}),
		engineOnly: (items) => legnextWorkflow(legnext, {}, items, { trivial: true }),
	};
	// `only`: some cases (by hand, e.g. an earlier build's Don't Wait beside the Set node).
	for (const name of Object.keys(cases)) if (only && !only.includes(name)) delete cases[name];
	const measure = async (name, count) => {
		const items = Array.from({ length: count }, (_, n) => ({ n }));
		const workflow = cases[name](items);
		await simulator.reset();
		gc();
		const before = process.cpuUsage();
		const started = Date.now();
		const run = await engine.runWorkflow(workflow, { timeoutMs: 30 * 60_000 });
		const used = process.cpuUsage(before);
		const realMs = Date.now() - started;
		assertRun(run, `scale run "${name}" × ${count}`);
		const out = run.output('Legnext');
		// Every input item comes out (Poll Until Done may give an item per image of a job: counted by pairing).
		const paired = new Set(out.map((item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item));
		if ((name === 'engineOnly' ? out.length : paired.size) !== count || out.some((item) => item.json.error)) throw new Error(`scale run "${name}" × ${count}: ${paired.size} items paired of ${out.length} out`);
		const stats = ['dontWait', 'poll'].includes(name) ? await simulator.stats() : undefined;
		if (stats && stats.requests.submits !== count) throw new Error(`scale run "${name}" × ${count}: ${stats.requests.submits} submits`);
		const storedBytes = Buffer.byteLength(flatted.stringify(run.runExecutionData));
		// Of which the nodes' contexts (the Legnext node's ledger: run/ledger.ts).
		const contextBytes = Buffer.byteLength(flatted.stringify(run.runExecutionData.executionData?.contextData ?? {}));
		return { cpuMs: (used.user + used.system) / 1000, realMs, storedBytes, contextBytes, requests: stats?.requests.api, itemsOut: out.length };
	};
	try {
		for (const name of Object.keys(cases)) await measure(name, 20); // warm-up: module loading, JIT, connection pool
		const results = {};
		for (const count of counts) {
			// Small batches are measured several times (their CPU is a few ms); the median is kept.
			const repeats = count <= 100 ? 7 : count <= 1000 ? 3 : 1;
			for (const name of Object.keys(cases)) {
				const runs = [];
				for (let k = 0; k < repeats; k++) runs.push(await measure(name, count));
				results[name] ??= {};
				results[name][count] = {
					cpuMsPerItem: median(runs.map((r) => r.cpuMs)) / count,
					realMsPerItem: median(runs.map((r) => r.realMs)) / count,
					storedBytesPerItem: median(runs.map((r) => r.storedBytes)) / count,
					contextBytesPerItem: median(runs.map((r) => r.contextBytes)) / count,
					itemsOutPerItem: runs[0].itemsOut / count,
					requestsPerItem: runs[0].requests === undefined ? undefined : median(runs.map((r) => r.requests)) / count,
					repeats,
				};
			}
		}
		const [smallest, largest] = [counts[0], counts.at(-1)];
		const growth = Object.fromEntries(
			Object.entries(results).map(([name, byCount]) => [name, byCount[largest].cpuMsPerItem / byCount[smallest].cpuMsPerItem]),
		);
		return { timeScale, jobSeconds, concurrency, counts, setNode: Boolean(set), results, growth };
	} finally {
		await engine.close();
		await simulator.close();
	}
}

module.exports = { scale };
