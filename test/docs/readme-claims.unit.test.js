// What the README says about the node, checked against the node's editor description, its code, n8n's
// own nodes and Legnext's price table (issue 32: the README, the editor and the code said different things).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const README = read('README.md');
const { Legnext } = require(path.join(ROOT, 'dist/nodes/Legnext/Legnext.node'));
const { TASK_TYPES } = require(path.join(ROOT, 'dist/nodes/shared/taskTypes'));
const { PRICE_ROWS } = require('../harness/simulator/prices');

const properties = new Legnext().nodeVersions[2].description.properties;
const optionNames = (name) => [...new Set(properties.filter((p) => p.name === name).flatMap((p) => p.options.map((o) => o.name)))];
/** README prose is wrapped: compare with single spaces. */
const flat = (text) => text.replace(/\s+/g, ' ');
const README_FLAT = flat(README);

describe('Download Files chooses which files, Files Layout how they come out', () => {
	const sentence = (field) => new RegExp(`\\*\\*${field}\\*\\* chooses \\*(which|how)\\*[^:]*: ([^.]+)\\.`).exec(README_FLAT);

	test('the README lists every Download Files choice by its editor name, and nothing of the layout', () => {
		const listed = [...sentence('Download Files')[2].matchAll(/\*([^*]+)\*/g)].map((m) => m[1]).sort();
		expect(listed).toEqual(optionNames('download').sort());
		expect(sentence('Download Files')[2]).not.toMatch(/on one item/i);
	});

	test('the README names both Files Layout choices, as the editor does', () => {
		const listed = [...sentence('Files Layout')[2].matchAll(/\*([^*]+)\*/g)].map((m) => m[1]).sort();
		expect(listed).toEqual(optionNames('fileLayout').sort());
	});

	test('one item per job by default: the README’s defaults are the editor’s', () => {
		const defaultOf = (operation) => properties.find((p) => p.name === 'download' && p.displayOptions?.show?.operation?.includes(operation))?.default;
		expect(defaultOf('textToImage')).toBe('grid');
		expect(defaultOf('imageToVideo')).toBe('chosenVideos');
		expect(properties.find((p) => p.name === 'videoNumbers').default).toEqual([0]);
		expect(README).toMatch(/\| Image \| Text to Image[^|]*\| the grid \|/);
		expect(README).toMatch(/\| Video \| Image to Video, Extend, Upscale \| video 0 \|/);
		expect(README_FLAT).toContain('the node shows one item: the job\'s 2x2 grid as a PNG in the binary property `data`');
	});
});

describe('Slack’s and Google Drive’s own field names', () => {
	// n8n's nodes as installed for the e2e tests; without them there is nothing to compare with.
	const base = path.join(os.homedir(), '.cache/n8n-nodes-legnext/n8n-2.41.1/n8n/node_modules/n8n-nodes-base/dist/nodes');
	const installed = fs.existsSync(base);

	test('the README names Slack’s *File Property* and Drive’s *Input Data Field Name*, not “Input Binary Field”', () => {
		expect(README_FLAT).toMatch(/Slack → Upload a file\*\* \(its \*File Property\*\)/);
		expect(README_FLAT).toMatch(/Google Drive → Upload\*\* \(its \*Input Data Field Name\*\)/);
		expect(README).not.toMatch(/Input Binary Field/);
	});

	(installed ? test : test.skip)('n8n 2.41.1’s Slack 2.3 and Google Drive call them so, with `data` by default', () => {
		const slack = require(path.join(base, 'Slack/V2/FileDescription.js')).fileFields;
		const upload = slack.filter((p) => p.name === 'binaryPropertyName' && JSON.stringify(p.displayOptions.show['@version']).includes('gte'));
		expect(upload.map((p) => [p.displayName, p.default])).toEqual([['File Property', 'data']]);
		const drive = require(path.join(base, 'Google/Drive/v2/actions/file/upload.operation.js')).description;
		expect(drive.filter((p) => p.name === 'inputDataFieldName').map((p) => [p.displayName, p.default])).toEqual([['Input Data Field Name', 'data']]);
	});
});

describe('the URL variables: N8N_WEBHOOK_URL on n8n 2.x, WEBHOOK_URL on n8n 1.123', () => {
	const CANONICAL = [
		/`N8N_WEBHOOK_URL` \(n8n 2\.x\) or `WEBHOOK_URL` \(n8n 1\.123\)/g,
		/N8N_WEBHOOK_URL \(n8n 2\.x\) or WEBHOOK_URL \(n8n 1\.123\)/g,
		/`?N8N_WEBHOOK_URL`? on n8n 2\.x, `?WEBHOOK_URL`? on n8n 1\.123/g,
	];
	const sourceFiles = (dir) =>
		fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
		);
	const files = ['README.md', 'docs/reference.md', ...sourceFiles('nodes')];

	test.each(files)('%s names the variables together, each with its n8n version', (file) => {
		let text = flat(read(file));
		for (const phrase of CANONICAL) text = text.replace(phrase, '');
		expect(text.match(/[`\w]*WEBHOOK_URL[`\w]*.{0,40}/g) ?? []).toEqual([]);
	});

	test('the README says it, and n8n 2.41.1 still reads both (its config names them)', () => {
		expect(README_FLAT).toMatch(CANONICAL[0]);
	});
});

describe('when a pause holds a worker', () => {
	const pauseText = flat(properties.find((p) => p.name === 'waitMode').options.find((o) => o.value === 'callback').description);

	test('the code: jobs are waited for in place when the items outnumber Concurrency or a retry handed jobs back', () => {
		// The one place that decides how an item waits (nodes/Legnext/wait/index.ts).
		const wait = flat(read('nodes/Legnext/wait/index.ts'));
		expect(wait).toMatch(/const inPlace = run\.sending > run\.concurrency \|\| run\.handsBack;/);
		// …and the node pauses only while a job still runs.
		expect(flat(read('nodes/Legnext/run/router.ts'))).toMatch(/if \(wait\?\.pauses && outcomes\.some\(isRunning\)\)/);
	});

	test.each([
		['README', README_FLAT],
		['editor', pauseText],
	])('the %s says the same', (_, text) => {
		expect(text).toMatch(/outnumber (\*|Options → )Concurrency\*? \(Auto: the account[’']s limit\)/);
		expect(text).toMatch(/a retry handed jobs back/);
		expect(text).toMatch(/until every job ends/);
		expect(text).not.toMatch(/until the last item is sent/);
	});
});

describe('the upgrade guide and the benchmark say what they show', () => {
	test('the upgrade guide’s “same output” names the one field that changed', () => {
		const guide = flat(read('docs/upgrading-from-0.1.0.md'));
		const promise = /the same output[^.]*?— the job as Legnext returns it[^;]*;/.exec(guide)?.[0];
		expect(promise).toMatch(/`error` renamed `jobError`/);
		// The code does rename it (version 1 outputs the raw job).
		const { jobToJson } = require(path.join(ROOT, 'dist/nodes/shared/job'));
		const raw = jobToJson({ job_id: 'j', status: 'completed', error: { code: 0, message: '' } }, 'raw');
		expect(raw.error).toBeUndefined();
		expect('jobError' in raw).toBe(true);
	});

	test('docs/benchmark.md: every memory target the table calls met is met, and no sentence says otherwise of this run', () => {
		const bench = read('docs/benchmark.md');
		const rows = bench.split('\n').filter((line) => line.startsWith('|') && /spread < 30 MB/.test(line));
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) {
			const [node, theirs] = [...row.matchAll(/spread (\d+) MB/g)].map((m) => Number(m[1]));
			const met = /spread < 30 MB or ≤ n8n's \(\d+ MB\): met/.test(row);
			expect({ row, met }).toEqual({ row, met: node < 30 || node <= theirs });
		}
		expect(bench).not.toMatch(/Not met in this run/);
	});
});

describe('prices: in points and USD, as Legnext’s price table has them', () => {
	// Each price the README states, the row of the pricing page it is, and the node's own table.
	const CLAIMS = [
		[/\((?<points>80) points = (?<usd>0\.08) USD\)/, PRICE_ROWS.standardGeneration.fast, 'diffusion', 'fast', {}],
		[/Text to Image (?<points>80) points \((?<usd>0\.08) USD\)/, PRICE_ROWS.standardGeneration.fast, 'diffusion', 'fast', {}],
		[/`--turbo` (?<points>160) \((?<usd>0\.16) USD\)/, PRICE_ROWS.standardGeneration.turbo, 'diffusion', 'turbo', {}],
		[/Upscale (?<points>120) \((?<usd>0\.12) USD\)/, PRICE_ROWS.standardUpscale.fast, 'upscale', 'fast', {}],
		[/(?<times>4) × (?<points>120) points = (?<usd>0\.48) USD/, PRICE_ROWS.standardUpscale.fast, 'upscale', 'fast', {}],
		[/a 480p video (?<points>480) \((?<usd>0\.48) USD\)/, PRICE_ROWS.video480.fast, 'video_diffusion', 'fast', {}],
		[/a 720p video (?<points>1,536) \((?<usd>1\.536) USD\)/, PRICE_ROWS.video720.fast, 'video_diffusion', 'fast', { videoType: 1 }],
	];
	const nodePrice = (taskType, speed, request = {}) => {
		const { price } = TASK_TYPES.find((t) => t.value === taskType);
		return (typeof price === 'function' ? price(request) : price)[speed];
	};

	test.each(CLAIMS)('%s', (pattern, row, taskType, speed, request) => {
		const claim = pattern.exec(README_FLAT);
		expect(claim).not.toBeNull();
		const points = Number(claim.groups.points.replace(/,/g, ''));
		const times = Number(claim.groups.times ?? 1);
		expect(points).toBe(row);
		expect(nodePrice(taskType, speed, request)).toBe(row);
		expect(Number(claim.groups.usd)).toBeCloseTo((times * points) / 1000, 6);
	});

	test('every price in USD in the README is one of those checked above', () => {
		const stated = README_FLAT.match(/USD\)?/g).length - (README_FLAT.match(/1,000 points = 1 USD/g) ?? []).length;
		expect(stated).toBe(CLAIMS.length);
	});

	test('one word for the unit: points (1,000 points = 1 USD); credits only where Legnext’s own words are explained', () => {
		expect(README_FLAT).toContain('1,000 points = 1 USD');
		expect(README_FLAT.match(/credit/gi)).toEqual(['credit']);
		expect(README_FLAT).toMatch(/what Legnext calls credits and bonus points; this README counts both in points/);
	});

	test('links to sign up, to the API keys page and to the prices', () => {
		expect(README).toContain('(https://legnext.ai/auth/signin)');
		expect(README).toContain('(https://legnext.ai/app/api-keys)');
		expect(README).toContain('(https://legnext.ai/pricing)');
	});
});

test('a table says what works on a local n8n and what needs a public URL', () => {
	const table = /\| Local n8n \| Public URL needed \|\n\|---\|---\|\n\| ([^|]+) \| ([^|]+) \|/.exec(README);
	expect(table).not.toBeNull();
	for (const needsPublic of ['Pause Until Callback', 'Legnext Trigger', 'Binary File']) expect(table[2]).toContain(needsPublic);
	for (const local of ['Poll Until Done', "Don't Wait", 'Job → Get']) expect(table[1]).toContain(local);
});

test('the examples’ notes: every price in points and USD is a price of Legnext’s table, 1,000 points = 1 USD', () => {
	const published = new Set(Object.values(PRICE_ROWS).flatMap((row) => Object.values(row)));
	const files = fs.readdirSync(path.join(ROOT, 'examples')).filter((file) => file.endsWith('.json'));
	let checked = 0;
	for (const file of files) {
		const notes = JSON.parse(read(`examples/${file}`))
			.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
			.map((node) => flat(node.parameters.content))
			.join(' ');
		// "80 points = 0.08 USD", "80 points (0.08 USD)", "a 720p video 1,536 (1.536 USD)"
		const prices = [...notes.matchAll(/(\d[\d,]*)(?: points)? (?:= |\()(\d+(?:\.\d+)?) USD/g)];
		expect({ file, usd: (notes.match(/USD/g) ?? []).length }).toEqual({ file, usd: prices.length });
		for (const [claim, points, usd] of prices) {
			const value = Number(points.replace(/,/g, ''));
			expect({ claim, published: published.has(value), usd: Number(usd) }).toEqual({ claim, published: true, usd: value / 1000 });
			checked += 1;
		}
	}
	expect(checked).toBeGreaterThan(5);
});
