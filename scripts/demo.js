// `npm run demo`: a real n8n with this package, running the Text to Image → Image to Video example
// (examples/image-to-video-drive.json) as a user would on a local n8n (Poll Until Done), and saving
// the picture and videos it produced into demo-output/.
//
// Without LEGNEXT_API_KEY it plays against the project's Legnext simulator; with it, against the
// real Legnext API.
// Keeps n8n running until Ctrl-C; `--once` (or no terminal) stops once the files are saved.
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const host = require('./n8n-host/host');
const { startSimulator } = require('../test/harness/simulator/server');

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = path.join(ROOT, 'demo-output');
const EXAMPLE = path.join(ROOT, 'examples', 'image-to-video-drive.json');
const WORKFLOW_ID = 'LgxDemoImageVideo';
const CREDENTIAL_ID = 'LgxDemoCredential';
const WEBHOOK_PATH = 'legnext-demo';
const once = process.argv.includes('--once') || !process.stdout.isTTY;
const realKey = process.env.LEGNEXT_API_KEY;

const say = (line) => console.log(`[demo] ${line}`);

function pack() {
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'legnext-demo-pack-'));
	const out = childProcess.execFileSync('npm', ['pack', '--pack-destination', dest, '--ignore-scripts', '--json', '--silent'], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	return { dir: dest, tarball: path.join(dest, JSON.parse(out)[0].filename) };
}

/**
 * The example as a user imports it, with two changes a demo needs: it starts from a webhook the
 * script can call (instead of the editor's button), and files go to demo-output/ instead of
 * Google Drive, so it runs without Google or Slack accounts. It waits by polling (no public URL).
 */
function demoWorkflow() {
	const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	workflow.id = WORKFLOW_ID;
	workflow.name = 'Legnext demo: Text to Image → Image to Video';
	const manual = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	const nodes = workflow.nodes.filter((node) => node !== manual && node.type !== 'n8n-nodes-base.googleDrive');
	for (const node of nodes) {
		if (node.credentials?.legnextApi) node.credentials.legnextApi = { id: CREDENTIAL_ID, name: 'Legnext account' };
	}
	nodes.push(
		{
			id: 'd3m0-0000-4000-8000-000000000001',
			name: 'Start (webhook)',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'd3m0-0000-4000-8000-0000000000w1',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'd3m0-0000-4000-8000-000000000002',
			name: 'Save to demo-output',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [720, 220],
			parameters: { operation: 'write', fileName: `=${OUTPUT}/{{ $binary.data.fileName }}`, dataPropertyName: 'data', options: {} },
		},
	);
	workflow.nodes = nodes;
	const connections = workflow.connections;
	connections['Start (webhook)'] = connections[manual.name];
	delete connections[manual.name];
	// The picture Text to Image chose and the four videos are saved.
	connections['Text to Image'].main[0].push({ node: 'Save to demo-output', type: 'main', index: 0 });
	connections['Image to Video'] = { main: [[{ node: 'Save to demo-output', type: 'main', index: 0 }]] };
	return workflow;
}

function savedFiles() {
	if (!fs.existsSync(OUTPUT)) return [];
	return fs.readdirSync(OUTPUT).filter((name) => /\.(png|mp4|jpg|webp)$/.test(name));
}

async function waitForFiles(timeoutMs) {
	const started = Date.now();
	let last = '';
	while (Date.now() - started < timeoutMs) {
		const files = savedFiles();
		const images = files.filter((f) => f.endsWith('.png')).length;
		const videos = files.filter((f) => f.endsWith('.mp4')).length;
		const line = `${images} images, ${videos} videos saved so far`;
		if (line !== last) say(line);
		last = line;
		if (images >= 1 && videos >= 4) return files;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`the example did not save its picture and 4 videos into ${OUTPUT} within ${timeoutMs / 1000} s`);
}

async function main() {
	const started = Date.now();
	fs.rmSync(OUTPUT, { recursive: true, force: true });
	fs.mkdirSync(OUTPUT, { recursive: true });

	let simulator;
	let legnext;
	if (realKey) {
		say('LEGNEXT_API_KEY is set: using the real Legnext API (https://api.legnext.ai); this costs credits.');
		legnext = { apiKey: realKey, baseUrl: process.env.LEGNEXT_BASE_URL || 'https://api.legnext.ai' };
	} else {
		// Short jobs, so the demo takes seconds: images 3 s, videos 6 s.
		simulator = await startSimulator({
			apiKeys: ['demo-key'],
			durations: (taskType) => (taskType === 'video_diffusion' ? { pending: 1, processing: 5 } : { pending: 1, processing: 2 }),
		});
		say(`no LEGNEXT_API_KEY: using the Legnext simulator at ${simulator.url}`);
		legnext = { apiKey: 'demo-key', baseUrl: simulator.url };
	}

	say('installing n8n 2.41.1 (first run only, about 5 minutes) …');
	await host.ensureN8n({ log: (line) => say(line) });
	const packed = pack();
	say('starting n8n with this package installed as a community package …');
	const n8n = await host.startN8n({
		packageTarball: packed.tarball,
		credentials: [{ id: CREDENTIAL_ID, name: 'Legnext account', type: 'legnextApi', data: legnext }],
		workflows: [demoWorkflow()],
		activate: [WORKFLOW_ID],
		env: { N8N_RESTRICT_FILE_ACCESS_TO: OUTPUT },
	});
	fs.rmSync(packed.dir, { recursive: true, force: true });

	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		await n8n.stop();
		if (simulator) await simulator.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		say('running the example: Text to Image (picture 0) → Image to Video → files, both waiting by polling');
		const response = await n8n.webhook(WEBHOOK_PATH, { body: {} });
		if (response.status !== 200) throw new Error(`the demo webhook answered ${response.status}`);
		const files = await waitForFiles(realKey ? 25 * 60_000 : 5 * 60_000);
		say(`done in ${Math.round((Date.now() - started) / 1000)} s. Saved into demo-output/:`);
		for (const file of files.sort()) say(`  ${file} (${fs.statSync(path.join(OUTPUT, file)).size} bytes)`);
	} catch (error) {
		say(`FAILED: ${error.message}`);
		say(`n8n log: ${n8n.logFile}`);
		await stop(1);
		return;
	}

	say(`n8n editor: ${n8n.editorUrl}  (login ${host.OWNER.email} / ${host.OWNER.password})`);
	if (once) {
		await stop(0);
		return;
	}
	say('n8n keeps running; press Ctrl-C to stop.');
}

main().catch((error) => {
	console.error(`[demo] ${error.stack || error.message}`);
	process.exit(1);
});
