// The README shows a picture `npm run demo` writes, byte for byte: the Legnext simulator draws each
// image from the job's prompt and seed (test/harness/simulator/pictures.js), and the demo's example
// fixes the seed (`--seed 1234`), so the file the demo saves from Text to Image is this one.
const fs = require('node:fs');
const path = require('node:path');

const { imagePng, isPng } = require('../harness/simulator/media');
const { seedFlag } = require('../harness/simulator/rules-plans');

const ROOT = path.resolve(__dirname, '..', '..');
const PICTURE = 'docs/images/demo-paper-boat.png';
const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/image-to-video-drive.json'), 'utf8'));
const textToImage = example.nodes.find((node) => node.name === 'Text to Image').parameters;

test('the picture in docs/images/ is the one the demo’s Text to Image job gives, byte for byte', () => {
	// What the demo downloads: the example's chosen image, at the simulator's image size.
	expect(textToImage.download).toBe('chosenImages');
	const [imageNo] = textToImage.imageNumbers;
	const seed = seedFlag(textToImage.prompt);
	expect(seed).toBe('1234');
	const drawn = imagePng('any-job-id', imageNo, 64, { prompt: textToImage.prompt, seed });
	const saved = fs.readFileSync(path.join(ROOT, PICTURE));
	expect(isPng(saved)).toBe(true);
	expect(saved.equals(drawn)).toBe(true);
	// The job ID does not change it: only the prompt and the seed do.
	expect(imagePng('another-job-id', imageNo, 64, { prompt: textToImage.prompt, seed }).equals(drawn)).toBe(true);
	expect(imagePng('any-job-id', imageNo, 64, { prompt: textToImage.prompt, seed: '1235' }).equals(drawn)).toBe(false);
});

test('the demo saves Text to Image’s file as it came, and the README points at the picture', () => {
	const demo = fs.readFileSync(path.join(ROOT, 'scripts/demo.js'), 'utf8');
	expect(demo).toContain("connections['Text to Image'].main[0].push({ node: 'Save to demo-output'");
	expect(demo).toMatch(/dataPropertyName: 'data'/);
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	expect(readme).toContain(`/main/${PICTURE}`);
});
