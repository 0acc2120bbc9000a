// A stub n8n context for the operations' request() functions, run from the built files (run
// `npm run build` first): the defaults an item gets in the editor, parameters from a plain object.
const { NodeOperationError } = require('n8n-workflow');

const { findOperation } = require('../../dist/nodes/Legnext/v2/actions/resources');

const JOB = '5dd94ec3-7282-4f04-9445-59e850ef1822';
const NODE = { id: 'n-legnext', name: 'Legnext', type: 'n8n-nodes-legnext.legnext', typeVersion: 2, position: [0, 0], parameters: {} };

/** The defaults an item gets in the editor (expressions left out), for the fields of one operation. */
function defaultsOf(operation) {
	const defaults = {};
	for (const property of operation.properties) {
		// Image / Video Number: the incoming item's file index; these stub items hold no file, so 0.
		if (property.default === '={{ $json.file?.index ?? 0 }}') {
			defaults[property.name] = 0;
			continue;
		}
		if (typeof property.default === 'string' && property.default.startsWith('=')) continue;
		if (property.type === 'notice') continue;
		defaults[property.name] = property.default;
	}
	return defaults;
}

/** A stub of IExecuteFunctions: parameters from a plain object, binary data from `binary`. */
function contextFor(operation, parameters = {}, binary = {}) {
	const values = { ...defaultsOf(operation), ...parameters };
	return {
		getNode: () => NODE,
		getNodeParameter(name, itemIndex, fallback) {
			if (values[name] !== undefined) return values[name];
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			assertBinaryData(itemIndex, property) {
				if (!binary[property]) {
					throw new NodeOperationError(NODE, `This operation expects the node's input data to contain a binary file '${property}', but none was found [item ${itemIndex}]`, { itemIndex });
				}
				return binary[property].meta;
			},
			async getBinaryDataBuffer(itemIndex, property) {
				return binary[property].buffer;
			},
		},
	};
}

const op = (resource, operation) => {
	const found = findOperation(resource, operation);
	if (!found) throw new Error(`no operation ${resource} → ${operation}`);
	return found;
};

/**
 * The request an item makes. For a paid operation it also checks the task type the operation declares
 * (its `facts`) against the path it sends to: the budget prices a submit by its path's task type.
 */
async function requestOf(resource, operation, parameters, binary, itemIndex = 0) {
	const target = op(resource, operation);
	const request = await target.request(contextFor(target, parameters, binary), itemIndex);
	if (target.kind === 'submit') {
		const pathTaskType = request.path.split('/').pop().replace(/-/g, '_');
		expect(`${resource}:${operation} ${pathTaskType}`).toBe(`${resource}:${operation} ${target.facts.taskType}`);
	}
	return request;
}

/** Asserts that the item is refused with a NodeOperationError naming the field and item 3. */
async function expectRefused(resource, operation, parameters, field, binary) {
	let error;
	try {
		await requestOf(resource, operation, parameters, binary, 3);
	} catch (caught) {
		error = caught;
	}
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toContain(field);
	expect(error.message).toContain('(item 3)');
	expect(typeof error.description).toBe('string');
	expect(error.description.length).toBeGreaterThan(10);
	return error;
}

module.exports = { JOB, NODE, defaultsOf, contextFor, op, requestOf, expectRefused };
