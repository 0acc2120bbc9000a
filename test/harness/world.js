// The engine tests' world, a library they require: a Legnext simulator and n8n's engine running the
// built package (startWorld), and the workflows and request filters most of them use.
const path = require('path');
const { startSimulator } = require('./simulator/server');
const { createEngine } = require('./engine/harness');
const { clock } = require('../../dist/nodes/shared/clock');

const ROOT = path.resolve(__dirname, '..', '..');
const API_KEY = 'test-key-0123456789abcdef';
/** Job seconds per real second: a 60 s job takes 0.3 s; the node's waits shrink the same way. */
const TIME_SCALE = 200;

async function startWorld(simulatorOptions = {}, engineOptions = {}) {
	clock.timeScale = simulatorOptions.timeScale ?? TIME_SCALE;
	const simulator = await startSimulator({ apiKeys: [API_KEY], timeScale: clock.timeScale, ...simulatorOptions });
	// A 0.1.0 credential (`keyOnly`) holds the key and nothing else; the simulator's address comes from
	// n8n's credential overwrites (CREDENTIALS_OVERWRITE_DATA), as a proxy's would on a real n8n.
	const engine = await createEngine({
		packageDir: ROOT,
		webhookUrl: engineOptions.webhookUrl,
		credentials: engineOptions.keyOnly
			? { legnextApi: { apiKey: API_KEY } }
			: { legnextApi: { apiKey: API_KEY, baseUrl: simulator.url, ...engineOptions.credentials } },
		credentialsOverwrites: engineOptions.keyOnly ? { legnextApi: { baseUrl: simulator.url } } : undefined,
	});
	const world = {
		simulator,
		engine,
		legnext: engine.nodeTypeName('Legnext'),
		trigger: engine.nodeTypeName('LegnextTrigger'),
		async close() {
			await engine.close();
			await simulator.close();
		},
	};
	return world;
}

/** The Legnext credential the engine resolves (its key and the simulator's URL, from startWorld). */
const LEGNEXT_CREDENTIALS = { legnextApi: { id: 'cred-1', name: 'Legnext account' } };

/** A workflow: start → items → Legnext node with `parameters`. */
function legnextWorkflow(world, parameters, { items = [{}], node = {} } = {}) {
	return {
		nodes: [
			{ id: 'n-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'n-items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items } },
			{
				id: 'n-legnext',
				name: 'Legnext',
				type: world.legnext,
				typeVersion: 2,
				position: [400, 0],
				parameters,
				credentials: LEGNEXT_CREDENTIALS,
				...node,
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Workflow `id` with a Legnext Trigger: Start → Legnext (Text to Image, Don't Wait, Callback: Legnext
 * Trigger in This Workflow; `legnext` over these), and the Legnext Trigger on its own (`trigger` its
 * parameters), which listens once the workflow is activated.
 */
function legnextTriggerWorkflow(world, id, { legnext = {}, trigger = {} } = {}) {
	return {
		id,
		name: id,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-legnext`,
				name: 'Legnext',
				type: world.legnext,
				typeVersion: 2,
				position: [200, 0],
				parameters: { resource: 'image', operation: 'textToImage', prompt: 'a fox', waitMode: 'none', callback: 'trigger', ...legnext },
				credentials: LEGNEXT_CREDENTIALS,
			},
			legnextTriggerNode(world, id, trigger),
		],
		connections: { Start: { main: [[{ node: 'Legnext', type: 'main', index: 0 }]] } },
	};
}

/** The Legnext Trigger of workflow `id`, on its own (no connections), with `parameters`. */
function legnextTriggerNode(world, id, parameters = {}) {
	return {
		id: `${id}-trigger`,
		name: 'Legnext Trigger',
		type: world.trigger,
		typeVersion: 1,
		position: [0, 200],
		webhookId: `${id}-hook`,
		parameters,
		credentials: LEGNEXT_CREDENTIALS,
	};
}

/** Requests that reached Legnext's API (files excluded). */
function apiRequests(simulator) {
	return simulator.requests.filter((request) => request.path.startsWith('/api/'));
}

/** The submits the simulator received (every POST to its API: each may create a paid job). */
function submitRequests(simulator) {
	return apiRequests(simulator).filter((request) => request.method === 'POST');
}

/** Start → Items → each step in turn (all Legnext nodes, version 2), the output of one the input of the next. */
function legnextChain(world, steps, items = [{}]) {
	const nodes = [
		{ id: 'n-start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'n-items', name: 'Items', type: 'test.items', typeVersion: 1, position: [200, 0], parameters: { items } },
		...steps.map((step, index) => ({
			id: `n-step-${index}`,
			name: step.name,
			type: world.legnext,
			typeVersion: 2,
			position: [400 + 200 * index, 0],
			parameters: step.parameters,
			credentials: LEGNEXT_CREDENTIALS,
		})),
	];
	const names = ['Start', 'Items', ...steps.map((step) => step.name)];
	const connections = Object.fromEntries(
		names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]),
	);
	return { nodes, connections };
}

module.exports = { ROOT, API_KEY, TIME_SCALE, LEGNEXT_CREDENTIALS, startWorld, legnextWorkflow, legnextChain, legnextTriggerWorkflow, legnextTriggerNode, apiRequests, submitRequests, clock };
