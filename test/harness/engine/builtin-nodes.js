'use strict';
/**
 * Tiny node types so tests need nothing from n8n-nodes-base:
 * - `test.start`: n8n's Manual Trigger (n8n-nodes-base.manualTrigger) reimplemented: a trigger whose
 *   manual run emits one empty item (in other modes n8n's engine passes the start item through).
 * - `test.items`: emits the JSON items given in its `items` parameter (an array, a JSON string, or an
 *   expression giving either), each paired with the incoming item 0 — like a Code node returning items.
 * - `test.files`: adds binary files to each item (see below).
 * - `test.loop`, `test.webhook`: Loop Over Items and the Webhook node at their simplest (see below).
 */

class TestStart {
	constructor() {
		this.description = {
			displayName: 'Start (test)',
			name: 'start',
			icon: 'fa:mouse-pointer',
			group: ['trigger'],
			version: 1,
			description: 'Runs the flow on clicking a button in n8n (test harness equivalent of Manual Trigger)',
			eventTriggerDescription: '',
			maxNodes: 1,
			defaults: { name: 'Start' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		};
	}

	/** @this {import('n8n-workflow').ITriggerFunctions} */
	async trigger() {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

class TestItems {
	constructor() {
		this.description = {
			displayName: 'Items (test)',
			name: 'items',
			icon: 'fa:code',
			group: ['transform'],
			version: 1,
			description: 'Outputs the given JSON items',
			defaults: { name: 'Items' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{
					displayName: 'Items',
					name: 'items',
					type: 'json',
					default: '[{}]',
					description: 'JSON array of the items to output (each element becomes one item\'s json)',
				},
			],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		let items = this.getNodeParameter('items', 0, []);
		if (typeof items === 'string') items = JSON.parse(items || '[]');
		if (!Array.isArray(items)) items = [items];
		return [items.map((json) => ({ json: { ...json }, pairedItem: { item: 0 } }))];
	}
}

/**
 * `test.files`: one item per input item carrying the given files as binary properties, stored the way
 * n8n stores a node's files (prepareBinaryData: filesystem mode here), or kept in the item itself as
 * n8n does in memory mode (`inMemory: true`: base64 `data`, no `id`). A file is
 * `{property, fileName?, mimeType?, base64? | bytes?}` (`bytes`: that many bytes of a PNG header + zeros).
 */
class TestFiles {
	constructor() {
		this.description = {
			displayName: 'Files (test)',
			name: 'files',
			icon: 'fa:file',
			group: ['transform'],
			version: 1,
			description: 'Adds binary files to each item',
			defaults: { name: 'Files' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Files', name: 'files', type: 'json', default: '[]' },
				{ displayName: 'In Memory', name: 'inMemory', type: 'boolean', default: false },
			],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const out = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			let files = this.getNodeParameter('files', itemIndex, []);
			if (typeof files === 'string') files = JSON.parse(files || '[]');
			const inMemory = this.getNodeParameter('inMemory', itemIndex, false);
			const binary = {};
			for (const file of files) {
				const buffer = file.base64 !== undefined ? Buffer.from(file.base64, 'base64') : pngBytes(file.bytes ?? 128);
				const mimeType = file.mimeType ?? 'image/png';
				const fileName = file.fileName ?? `${file.property}.png`;
				binary[file.property] = inMemory
					? { data: buffer.toString('base64'), mimeType, fileName, fileSize: `${buffer.length} B` }
					: await this.helpers.prepareBinaryData(buffer, fileName, mimeType);
			}
			out.push({ json: { ...item.json }, binary: { ...(item.binary ?? {}), ...binary }, pairedItem: { item: itemIndex } });
		}
		return [out];
	}
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function pngBytes(size) {
	const buffer = Buffer.alloc(Math.max(size, PNG_SIGNATURE.length));
	PNG_SIGNATURE.copy(buffer);
	return buffer;
}

/**
 * `test.loop`: n8n's Loop Over Items (n8n-nodes-base.splitInBatches v3) reimplemented: output 0
 * "done" gets every item that came back once all were handed out, output 1 "loop" one batch a run;
 * what is left waits in the node's context (saved with a waiting execution, as n8n does).
 */
class TestLoop {
	constructor() {
		this.description = {
			displayName: 'Loop (test)',
			name: 'loop',
			icon: 'fa:sync',
			group: ['organization'],
			version: 1,
			description: 'Hands out items in batches (test harness equivalent of Loop Over Items)',
			defaults: { name: 'Loop' },
			inputs: ['main'],
			outputs: ['main', 'main'],
			outputNames: ['done', 'loop'],
			properties: [{ displayName: 'Batch Size', name: 'batchSize', type: 'number', default: 1 }],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const items = this.getInputData().slice();
		const context = this.getContext('node');
		const batchSize = this.getNodeParameter('batchSize', 0, 1);
		let batch;
		if (context.items === undefined) {
			batch = items.splice(0, batchSize);
			context.items = items;
			context.processedItems = [];
		} else {
			context.processedItems.push(...items);
			batch = context.items.splice(0, batchSize);
		}
		if (batch.length === 0) {
			const done = context.processedItems;
			delete context.items;
			return [done.map((item, index) => ({ ...item, pairedItem: { item: index } })), []];
		}
		// Its items go out whole, binary files too, as n8n's returns them.
		return [[], batch.map((item) => ({ json: item.json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: 0 } }))];
	}
}

/**
 * `test.webhook`: n8n's Webhook node (n8n-nodes-base.webhook) at its simplest: POST on its path,
 * answered "onReceived" by n8n itself, one item with the body. The yardstick of how fast n8n answers
 * a webhook that starts an execution.
 */
class TestWebhook {
	constructor() {
		this.description = {
			displayName: 'Webhook (test)',
			name: 'webhook',
			icon: 'fa:bolt',
			group: ['trigger'],
			version: 1,
			description: 'Starts the workflow when its URL is called (test harness equivalent of Webhook)',
			defaults: { name: 'Webhook' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'hook' }],
			properties: [],
		};
		this.webhookMethods = { default: { checkExists: async () => true, create: async () => true, delete: async () => true } };
	}

	/** @this {import('n8n-workflow').IWebhookFunctions} */
	async webhook() {
		return { workflowData: [[{ json: { body: this.getBodyData() } }]] };
	}
}

const BUILTIN_PACKAGE = 'test';

/** Node types of the built-in package, keyed by full type name, in n8n's INodeTypeData shape. */
function builtinNodeTypes() {
	return {
		[`${BUILTIN_PACKAGE}.start`]: { type: new TestStart(), sourcePath: __filename },
		[`${BUILTIN_PACKAGE}.items`]: { type: new TestItems(), sourcePath: __filename },
		[`${BUILTIN_PACKAGE}.loop`]: { type: new TestLoop(), sourcePath: __filename },
		[`${BUILTIN_PACKAGE}.webhook`]: { type: new TestWebhook(), sourcePath: __filename },
		[`${BUILTIN_PACKAGE}.files`]: { type: new TestFiles(), sourcePath: __filename },
	};
}

module.exports = { builtinNodeTypes, TestStart, TestItems, TestFiles, TestLoop, TestWebhook };
