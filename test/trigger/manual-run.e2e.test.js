// "Execute workflow" in the editor on a workflow whose Legnext node calls back the Legnext Trigger of
// the same workflow (Callback → Legnext Trigger in This Workflow), in a real n8n. n8n runs every
// manual execution with `active: false`, published workflow or not, so the node must ask the trigger's
// production URL whether it listens rather than trust that flag: the published workflow's manual run
// sends its job and the trigger's run follows; an unpublished one is refused before anything is paid.
const support = require('../harness/e2e/support');

const API_KEY = 'e2e-manual-key-7c41a9e0';
const CREDENTIAL = { id: 'LgxManCredent001', name: 'Legnext e2e manual', type: 'legnextApi' };
const WF = { published: 'LgxManWfPublish1', draft: 'LgxManWfDraft001' };

const VERSIONS = support.versionsUnderTest();

jest.setTimeout(3 * 60 * 1000);

/** Manual Trigger → Text to Image (Don't Wait, Callback → Legnext Trigger in This Workflow), and the trigger. */
function workflow(id, name) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: support.uuid('a1b1'), name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				...support.textToImageNode('Text to Image', CREDENTIAL, 'A heron at dusk', { waitMode: 'none', callback: 'trigger' }),
				position: [240, 0],
			},
			{ ...support.triggerNode('Legnext Trigger', CREDENTIAL, { download: 'none' }), position: [0, 240] },
		],
		connections: { Manual: { main: [[{ node: 'Text to Image', type: 'main', index: 0 }]] } },
	};
}

describe.each(VERSIONS)('n8n %s', (version) => {
	let n8n;
	let sim;

	const world = support.useWorld(() => ({
		version,
		simulator: { apiKeys: [API_KEY], timeScale: 1, durations: { default: { pending: 1, processing: 2 } } },
		credentials: (simulator) => [{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: simulator.url } }],
		workflows: () => [workflow(WF.published, 'e2e manual: published'), workflow(WF.draft, 'e2e manual: not published')],
		activate: [WF.published],
	}));
	beforeAll(() => {
		({ n8n, simulator: sim } = world);
	});

	/** What the editor's "Execute workflow" sends: the saved workflow, started from its Manual Trigger. */
	async function executeInEditor(workflowId) {
		const known = await support.executionIds(n8n, workflowId);
		const workflowData = await n8n.api(`/workflows/${workflowId}`);
		const answer = await n8n.rest(`/workflows/${workflowId}/run`, {
			method: 'POST',
			body: { workflowData, triggerToStartFrom: { name: 'Manual' } },
		});
		expect(JSON.stringify(answer)).toMatch(/executionId/);
		const summary = await support.waitForNewFinishedExecution(n8n, workflowId, known, 60000);
		return n8n.getExecution(summary.id);
	}

	const submits = () => sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/'));

	test('published: the manual run sends the job with the trigger URL, and the callback starts the trigger', async () => {
		// Published means listening: n8n registers the trigger's production URL a moment after activation.
		await support.untilTriggerListens(n8n, WF.published);
		const manual = await executeInEditor(WF.published);
		expect(manual.mode).toBe('manual');
		expect(manual.status).toBe('success');
		const [item] = support.nodeOutput(manual, 'Text to Image');
		expect(submits().at(-1).body.callback).toContain(`/webhook/legnext/${WF.published}?token=`);

		const triggered = await support.waitFor(async () => {
			const runs = await n8n.listExecutions(WF.published, { includeData: true });
			return runs.find((e) => e.mode !== 'manual' && support.FINISHED.includes(e.status));
		}, 30000, 'the trigger\'s execution');
		expect(support.nodeOutput(triggered, 'Legnext Trigger')[0].json).toMatchObject({ jobId: item.json.jobId, status: 'completed' });
	});

	test('not published: refused before anything is sent, saying to activate the workflow', async () => {
		const before = submits().length;
		const manual = await executeInEditor(WF.draft);
		expect(manual.status).toBe('error');
		expect(support.errorMessages(manual).join(' ')).toMatch(/Legnext Trigger of this workflow is not listening/);
		expect(submits()).toHaveLength(before);
	});
});
