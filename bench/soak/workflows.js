'use strict';
/**
 * The soak's workflows (bench/soak.js): for each simulated account and each way of waiting, a
 * workflow Webhook → Prompts (one item per prompt) → Text to Image; *Don't Wait* sends each job's
 * callback to the Legnext Trigger in the same workflow. The reference soak has n8n's Set node in the
 * Legnext node's place (and no trigger): the same starts, the same items, no jobs.
 */
const support = require('../../test/harness/e2e/support');

const KINDS = ['poll', 'pause', 'dontWait'];
/** Pause Until Callback's Time Limit: over n8n's 65 s, so the wait is kept in the database, not in a worker's memory. */
const PAUSE_LIMIT_MINUTES = 1.2;

const credentialOf = (account) => ({ id: `LgxSoakCred000${account}`, name: `Legnext soak ${account}`, type: 'legnextApi' });
const workflowId = (kind, account) => `LgxSoak${kind.slice(0, 5).padEnd(5, 'x')}Acc${account}`.slice(0, 16);
const hookOf = (kind, account) => `lgx-soak-${kind.toLowerCase()}-${account}`;

function legnextNode(kind, account) {
	const parameters = {
		poll: { waitMode: 'poll' },
		// Concurrency 10 ≥ the 10 items: every job is sent before the execution pauses (more items than
		// Concurrency would wait in place instead: nodes/Legnext/run/submit.ts).
		pause: { waitMode: 'callback', timeLimitMinutes: PAUSE_LIMIT_MINUTES, options: { concurrency: 10 } },
		dontWait: { waitMode: 'none', callback: 'trigger' },
	}[kind];
	return support.textToImageNode('Text to Image', credentialOf(account), '={{ $json.p }}', { download: 'none', ...parameters });
}

/** n8n's Set node where the Legnext node was: the prompt each item would send. */
function setNode() {
	return {
		id: support.uuid('5e70'),
		name: 'Text to Image',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [480, 0],
		parameters: {
			assignments: { assignments: [{ id: support.uuid('5e71'), name: 'prompt', value: '={{ $json.p }}', type: 'string' }] },
			includeOtherFields: true,
			options: {},
		},
	};
}

/** Every workflow of a soak: `legnext` (the node) or `set` (n8n's reference). */
function soakWorkflows({ accounts, reference }) {
	const list = [];
	for (let account = 1; account <= accounts; account++) {
		for (const kind of KINDS) {
			const last = reference ? setNode() : legnextNode(kind, account);
			const workflow = support.chainWorkflow(workflowId(kind, account), `soak: ${kind}, account ${account}`, [
				support.webhookNode(hookOf(kind, account)),
				support.splitPromptsNode(),
				last,
			]);
			if (kind === 'dontWait' && !reference) {
				const trigger = support.triggerNode('Legnext Trigger', credentialOf(account), { statuses: ['completed', 'failed'] });
				trigger.position = [0, 300];
				workflow.nodes.push(trigger);
			}
			list.push(workflow);
		}
	}
	return list;
}

const credentials = (accounts, keyOf, baseUrl) =>
	Array.from({ length: accounts }, (_, n) => ({ ...credentialOf(n + 1), data: { apiKey: keyOf(n + 1), baseUrl } }));

module.exports = { KINDS, PAUSE_LIMIT_MINUTES, workflowId, hookOf, soakWorkflows, credentials };
