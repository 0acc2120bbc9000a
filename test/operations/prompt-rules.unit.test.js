// What a prompt cannot ask of Legnext (its docs' notice page; Draft Mode on the docs and the pricing page),
// refused before anything is paid, in version 2 only: version 1 keeps 0.1.0's behaviour (it sends as is).
const { promptRuleProblem } = require('../../dist/nodes/Legnext/run/rules');
const { JOB, requestOf, expectRefused } = require('../harness/operation-context');

describe('promptRuleProblem', () => {
	test.each([
		['a fox --repeat 4', /--repeat/],
		['a fox --r 4', /--repeat/],
		['a fox --personalize', /--personalize/],
		['a fox --p abc123', /--personalize/],
		['a fox --stealth', /--stealth/],
		['a fox --public', /--public/],
		['a {red, blue} fox', /permutation/],
		['a fox --v 6.1 --draft', /--draft with --v 6\.1: Draft Mode is V7 and later only/],
		['a fox --draft --niji 6', /--niji 6/],
	])('"%s" is refused', (prompt, words) => {
		expect(promptRuleProblem(prompt).problem).toMatch(words);
	});

	test.each(['a fox --raw', 'a fox --v 7 --draft', 'a fox --draft', 'a fox --profile x', 'a {single} fox', 'a fox --ar 16:9 --style raw --v 6'])('"%s" passes', (prompt) => {
		expect(promptRuleProblem(prompt)).toBeUndefined();
	});
});

describe('the operations refuse it, naming the field', () => {
	test('Text to Image (also through Prompt Options), Remix, Image to Video', async () => {
		await expectRefused('image', 'textToImage', { prompt: 'a fox --repeat 3' }, 'Prompt');
		await expectRefused('image', 'textToImage', { prompt: 'a fox --draft', promptOptions: { version: '6.1' } }, 'Prompt');
		await expectRefused('image', 'remix', { jobId: JOB, remixPrompt: 'at night --stealth' }, 'Remix Prompt');
		await expectRefused('video', 'imageToVideo', { imageSource: 'url', imageUrl: 'https://example.com/a.png', prompt: 'waves {slow, fast}' }, 'Prompt');
		expect((await requestOf('image', 'textToImage', { prompt: 'a fox --v 7 --draft' })).body.text).toBe('a fox --v 7 --draft');
	});
});
