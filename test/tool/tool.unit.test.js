// The node as an AI agent's tool, from the built files: the Description field each operation gets
// (what it does, how long, what comes back) and errors as the model reads them. The whole path runs
// in a real n8n in test/tool/agent.e2e.test.js. Run `npm run build` first.
const { NodeHelpers } = require('n8n-workflow');

const { RESOURCES } = require('../../dist/nodes/Legnext/v2/actions/resources');
const { NODE_PROPERTIES } = require('../../dist/nodes/Legnext/v2/description');
const { toolText } = require('../../dist/nodes/Legnext/v2/actions/toolDescription');
const { typicalDuration } = require('../../dist/nodes/Legnext/wait/schedule');
const { failedJobError } = require('../../dist/nodes/shared/jobErrors');
const { forTheModel, isToolCall } = require('../../dist/nodes/Legnext/v2/tool');

const NODE = { id: 'n-legnext', name: 'Generate Images', type: 'n8n-nodes-legnext.legnextTool', typeVersion: 2, position: [0, 0], parameters: {} };
const operations = RESOURCES.flatMap((resource) => resource.operations.map((operation) => [`${resource.option.value}:${operation.option.value}`, resource, operation]));

test.each(operations)('%s: the tool text says what it does, how long it takes and what comes back', (_name, resource, operation) => {
	const text = toolText(operation, true);
	expect(text.startsWith(operation.option.description.split(/ \(|:/)[0])).toBe(true);
	// A model cannot pass a file: the tool's text offers only what it can give (URLs, job IDs, text).
	expect(text).not.toMatch(/incoming item|file/i);
	expect(text).toMatch(/ and the job ID\.$|with the job’s status|with the balance/); // a result named for this operation, not the fallback
	if (operation.kind === 'submit') {
		const { minMs, maxMs } = typicalDuration(undefined);
		const generic = `Takes ${minMs / 1000}–${maxMs / 1000} seconds`;
		const specific = !['enhance', 'topazUpscale', 'removeBackground', 'retexture', 'edit', 'uploadPaint'].includes(operation.option.value);
		if (specific) expect(text).not.toContain(generic);
		expect(text).toMatch(/Takes \d+–\d+ (seconds|minutes): the call returns when the job is done/);
		expect(toolText(operation, false)).toMatch(/returns its job ID at once/);
	}
});

test('n8n takes the node’s Description field as the tool description, per operation and wait', () => {
	const description = { name: 'n8n-nodes-legnext.legnextTool', properties: NODE_PROPERTIES, defaults: { name: 'Legnext' } };
	const toolFor = (parameters) => {
		const filled = NodeHelpers.getNodeParameters(NODE_PROPERTIES, parameters, true, false, { ...NODE, parameters }, description);
		return NodeHelpers.getToolDescriptionForNode({ ...NODE, parameters: filled }, { description });
	};
	expect(toolFor({ resource: 'image', operation: 'textToImage' })).toMatch(/Takes 30–90 seconds: the call returns when the job is done, with four image URLs/);
	expect(toolFor({ resource: 'image', operation: 'textToImage', waitMode: 'none' })).toMatch(/returns its job ID at once/);
	expect(toolFor({ resource: 'video', operation: 'imageToVideo' })).toMatch(/Takes 3–5 minutes/);
	expect(toolFor({ resource: 'image', operation: 'textToImage', toolDescription: 'Draw for the user' })).toBe('Draw for the user');
});

test('a failed job as the model reads it: the reason and what to do in the message, no item suffix', () => {
	const job = { job_id: 'job-1', status: 'failed', error: { code: 10001, message: 'Image generation failed: banned prompt', raw_message: 'banned prompt detected' } };
	const error = forTheModel(failedJobError(NODE, job, 0));
	expect(error.message).toMatch(/^Legnext could not finish job job-1: Image generation failed: banned prompt: banned prompt detected\. The job ended with status "failed"; .*Adjust the prompt/);
	expect(error.message).not.toMatch(/\(item \d+\)/);
	expect(isToolCall({ getNode: () => NODE })).toBe(true);
	expect(isToolCall({ getNode: () => ({ ...NODE, type: 'n8n-nodes-legnext.legnext' }) })).toBe(false);
});
