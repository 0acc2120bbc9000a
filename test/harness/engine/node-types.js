'use strict';
/**
 * Mirrors packages/cli/src/node-types.ts (NodeTypes) and the part of load-nodes-and-credentials.ts
 * that loads one community package: the engine asks this for every node type it runs. Exists so the
 * harness loads the built package the way n8n does (PackageDirectoryLoader, `<package>.<name>` type
 * names) and runs declarative nodes through n8n-core's RoutingNode. No AI-tool variants.
 */
const path = require('path');

const { builtinNodeTypes } = require('./builtin-nodes');

function splitType(fullType) {
	const index = fullType.lastIndexOf('.');
	return index < 0 ? ['', fullType] : [fullType.slice(0, index), fullType.slice(index + 1)];
}

/** packages/cli/src/utils.ts shouldAssignExecuteMethod */
function shouldAssignExecuteMethod(nodeType) {
	const isDeclarativeNode = nodeType?.description?.requestDefaults !== undefined;
	return (
		!nodeType.execute &&
		!nodeType.supplyData &&
		!nodeType.poll &&
		!nodeType.trigger &&
		(!nodeType.webhook || isDeclarativeNode) &&
		(!nodeType.methods || isDeclarativeNode)
	);
}

/**
 * @param {{ core: any, wf: any }} n8n
 * @param {string} packageDir the built community package
 */
async function loadNodeTypes({ core, wf }, packageDir) {
	const loader = new core.PackageDirectoryLoader(path.resolve(packageDir));
	await loader.loadAll();
	// LoadNodesAndCredentials names a package's node types `<package name>.<description name>`.
	const nodeTypeData = { ...builtinNodeTypes() };
	for (const [name, entry] of Object.entries(loader.nodeTypes)) nodeTypeData[`${loader.packageName}.${name}`] = entry;
	const credentialTypes = { ...loader.credentialTypes };

	/** @type {import('n8n-workflow').INodeTypes} */
	const nodeTypes = {
		getByName(nodeType) {
			const entry = nodeTypeData[nodeType];
			if (!entry) throw new core.UnrecognizedNodeTypeError(...splitType(nodeType));
			return entry.type;
		},
		getByNameAndVersion(nodeType, version) {
			const versionedNodeType = wf.NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
			if (shouldAssignExecuteMethod(versionedNodeType)) {
				// Declarative nodes run through n8n-core's RoutingNode.
				versionedNodeType.execute = async function () {
					const routingNode = new core.RoutingNode(this, versionedNodeType);
					const data = await routingNode.runNode();
					return data ?? [];
				};
			}
			return versionedNodeType;
		},
		getKnownTypes() {
			return Object.fromEntries(Object.keys(nodeTypeData).map((name) => [name, { className: name, sourcePath: nodeTypeData[name].sourcePath }]));
		},
	};

	/** The loader's full node type name for a node class name or description name. */
	function nodeTypeName(name) {
		const lower = name.charAt(0).toLowerCase() + name.slice(1);
		const candidates = [`${loader.packageName}.${lower}`, `${loader.packageName}.${name}`, name];
		const found = candidates.find((candidate) => nodeTypeData[candidate]);
		if (!found) throw new Error(`No node type "${name}" in ${loader.packageName} (known: ${Object.keys(nodeTypeData).join(', ')})`);
		return found;
	}

	return { packageName: loader.packageName, credentialTypes, nodeTypes, nodeTypeName };
}

module.exports = { loadNodeTypes };
