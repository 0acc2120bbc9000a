// Prompt Options: the flags buildPrompt appends, and every option it refuses.
const { buildPrompt, PromptBuildError, findFlag } = require('../../dist/nodes/Legnext/v2/actions/promptBuilder');

describe('buildPrompt', () => {
	const refused = (text, options) => {
		try {
			buildPrompt(text, options);
		} catch (error) {
			expect(error).toBeInstanceOf(PromptBuildError);
			return error;
		}
		throw new Error('buildPrompt accepted it');
	};

	test('no options: the text, trimmed', () => {
		expect(buildPrompt('  a fox ', {})).toBe('a fox');
		expect(buildPrompt('a fox')).toBe('a fox');
	});

	test('every image flag, in a fixed order', () => {
		expect(
			buildPrompt('a fox', {
				weird: 10,
				seed: 4294967295,
				stylize: 0,
				chaos: 100,
				styleRaw: true,
				draft: true,
				version: '7',
				aspectRatio: '2:3',
				no: 'text',
				styleReferenceUrls: 'https://e.com/s1.png, https://e.com/s2.png',
				styleWeight: 1000,
				characterReferenceUrls: ['https://e.com/c.png'],
				characterWeight: 0,
			}),
		).toBe(
			'a fox --ar 2:3 --v 7 --draft --style raw --s 0 --chaos 100 --weird 10 --seed 4294967295 --no text --sref https://e.com/s1.png https://e.com/s2.png --sw 1000 --cref https://e.com/c.png --cw 0',
		);
	});

	test('versions and niji', () => {
		expect(buildPrompt('a', { version: '6' })).toBe('a --v 6');
		expect(buildPrompt('a', { version: '6.1' })).toBe('a --v 6.1');
		expect(buildPrompt('a', { version: 'niji6' })).toBe('a --niji 6');
		expect(refused('a', { version: '5' }).field).toBe('Version');
		// Version and niji exclude each other: a niji prompt with a Version option is refused.
		expect(refused('a --niji 6', { version: '7' }).problem).toContain('--niji 6');
		expect(refused('a --v 6', { version: 'niji6' }).problem).toContain('--v 6');
		expect(refused('a', { version: '6.1', draft: true }).field).toBe('Draft');
		expect(buildPrompt('a', { draft: true })).toBe('a --draft');
	});

	test('empty and false options add nothing', () => {
		expect(buildPrompt('a', { aspectRatio: '', draft: false, styleRaw: false, no: '  ', styleReferenceUrls: '', loop: false, raw: false, endFrameUrl: '' })).toBe('a');
	});

	test('a flag the prompt already has is refused, aliases and em dashes included', () => {
		const error = refused('a fox --ar 16:9', { aspectRatio: '1:1' });
		expect(error.field).toBe('Aspect Ratio');
		expect(error.problem).toBe('the prompt already has --ar 16:9');
		expect(error.fix).toContain('--ar 16:9');
		expect(refused('a fox --aspect 4:3', { aspectRatio: '1:1' }).problem).toContain('--aspect 4:3');
		expect(refused('a fox \u2014ar 4:3', { aspectRatio: '1:1' }).problem).toContain('\u2014ar 4:3');
		expect(refused('a fox --stylize 50', { stylize: 100 }).field).toBe('Stylize');
		expect(refused('a fox --c 5', { chaos: 1 }).field).toBe('Chaos');
		expect(refused('a fox --style raw', { styleRaw: true }).field).toBe('Style Raw');
		expect(refused('a fox --draft', { draft: true }).field).toBe('Draft');
		expect(refused('a fox --no cats', { no: 'dogs' }).field).toBe('Exclude');
		expect(refused('a fox --seed 1', { seed: 2 }).field).toBe('Seed');
		expect(refused('a fox --sref https://e.com/s.png', { styleReferenceUrls: 'https://e.com/t.png' }).field).toBe('Style Reference URLs');
	});

	test('similar flags do not count as the same flag', () => {
		expect(buildPrompt('a fox --sref https://e.com/s.png', { stylize: 100, styleWeight: 50 })).toBe('a fox --sref https://e.com/s.png --s 100 --sw 50');
		expect(buildPrompt('a fox --cref https://e.com/c.png', { characterWeight: 50, chaos: 5 })).toBe('a fox --cref https://e.com/c.png --chaos 5 --cw 50');
		expect(buildPrompt('a well-lit room--ar', { aspectRatio: '1:1' })).toBe('a well-lit room--ar --ar 1:1');
		expect(buildPrompt('a fox --sameseed 3 --version-free text', { weird: 1 })).toBe('a fox --sameseed 3 --version-free text --weird 1');
	});

	test('ranges and formats', () => {
		expect(refused('a', { stylize: 1001 }).field).toBe('Stylize');
		expect(refused('a', { stylize: -1 }).field).toBe('Stylize');
		expect(refused('a', { chaos: 50.5 }).field).toBe('Chaos');
		expect(refused('a', { weird: 3001 }).field).toBe('Weird');
		expect(refused('a', { seed: 4294967296 }).field).toBe('Seed');
		expect(buildPrompt('a', { seed: '42' })).toBe('a --seed 42');
		expect(refused('a', { aspectRatio: '16/9' }).field).toBe('Aspect Ratio');
		expect(refused('a', { aspectRatio: '0:1' }).field).toBe('Aspect Ratio');
		expect(refused('a', { aspectRatio: '16:9 --v 5' }).field).toBe('Aspect Ratio');
		expect(buildPrompt('a', { aspectRatio: ' 21:9 ' })).toBe('a --ar 21:9');
		expect(refused('a', { no: 'text --v 5' }).field).toBe('Exclude');
		expect(refused('a', { styleReferenceUrls: 'https://e.com/a.png notaurl' }).field).toBe('Style Reference URLs');
		expect(refused('a', { characterReferenceUrls: 'javascript:alert(1)' }).field).toBe('Character Reference URLs');
		expect(refused('a', { styleWeight: 100 }).field).toBe('Style Weight');
		expect(refused('a', { characterWeight: 101, characterReferenceUrls: 'https://e.com/c.png' }).field).toBe('Character Weight');
		expect(refused('a', { characterWeight: 10 }).field).toBe('Character Weight');
		expect(refused('a', { styleWeight: 1001, styleReferenceUrls: 'https://e.com/s.png' }).field).toBe('Style Weight');
	});

	test('video flags', () => {
		expect(buildPrompt('', { motion: 'low', raw: true, loop: true, batchSize: 1 })).toBe('--motion low --raw --loop --bs 1');
		expect(buildPrompt('go', { endFrameUrl: 'https://e.com/end.png', batchSize: '4' })).toBe('go --end https://e.com/end.png --bs 4');
		expect(refused('', { motion: 'medium' }).field).toBe('Motion');
		expect(refused('', { batchSize: 3 }).field).toBe('Batch Size');
		expect(refused('', { endFrameUrl: 'end.png' }).field).toBe('End Frame URL');
		expect(refused('', { loop: true, endFrameUrl: 'https://e.com/e.png' }).field).toBe('Loop');
		expect(refused('go --end https://e.com/e.png', { loop: true }).field).toBe('Loop');
		expect(refused('go --loop', { endFrameUrl: 'https://e.com/e.png' }).field).toBe('End Frame URL');
		expect(refused('go --bs 2', { batchSize: 4 }).problem).toContain('--bs 2');
		expect(refused('go --raw', { raw: true }).field).toBe('Raw');
	});

	test('findFlag reports the flag with its value', () => {
		expect(findFlag('a --ar 16:9 --v 7', ['ar'])).toBe('--ar 16:9');
		expect(findFlag('a --draft --v 7', ['draft'])).toBe('--draft');
		expect(findFlag('a --AR 1:1', ['ar'])).toBe('--AR 1:1');
		expect(findFlag('a --arx', ['ar'])).toBeUndefined();
	});
});
