// What an item of each operation the ledger tests draw must send (the fields: kit.js).
// FIRST: generated-runs.engine.test.js's; MORE: generated-runs-more-operations.engine.test.js's; the trigger test takes some of both.
const { writtenText, parentKey, fileKey } = require('./kit');

const FIRST = {
	textToImage: {
		version: 2,
		price: 80,
		download: 'grid',
		parameters: (s) => ({
			resource: 'image',
			operation: 'textToImage',
			prompt: '={{ $json.p }}',
			...(s.aspectRatio ? { promptOptions: { aspectRatio: '16:9' } } : {}),
		}),
		expect: (json, s) => {
			const text = writtenText(json);
			return text ? { key: `text:${text}${s.aspectRatio ? ' --ar 16:9' : ''}` } : undefined;
		},
	},
	imageToVideoFromUrl: {
		version: 2,
		price: 480,
		download: 'videos',
		parameters: () => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'url', imageUrl: '={{ $json.url }}', prompt: '={{ $json.p }}', resolution: '480p' }),
		expect: (json) => {
			const text = writtenText(json);
			return text === null ? undefined : { key: `url:${json.url}`, prompt: { field: 'prompt', value: `${json.url} ${text}`.trim() } };
		},
	},
	imageToVideoFromJob: {
		version: 2,
		price: 480,
		parents: true,
		download: 'videos',
		parameters: () => ({
			resource: 'video',
			operation: 'imageToVideo',
			imageSource: 'job',
			jobId: '={{ $json.parent }}',
			imageNo: '={{ $json.no }}',
			prompt: '={{ $json.p }}',
			resolution: '480p',
		}),
		expect: (json) => {
			const text = writtenText(json);
			return text === null || !json.parent ? undefined : { key: parentKey(json), prompt: { field: 'prompt', value: text || undefined } };
		},
	},
	upscale: {
		version: 2,
		price: 120,
		parents: true,
		download: 'images',
		parameters: (s) => ({ resource: 'image', operation: 'upscale', jobId: '={{ $json.parent }}', imageNo: '={{ $json.no }}', type: s.type }),
		expect: (json) => (json.parent ? { key: parentKey(json) } : undefined),
	},
	variation: {
		version: 2,
		price: 120,
		parents: true,
		download: 'grid',
		parameters: (s) => ({
			resource: 'image',
			operation: 'variation',
			jobId: '={{ $json.parent }}',
			imageNo: '={{ $json.no }}',
			type: s.type,
			remixPrompt: '={{ $json.p }}',
		}),
		expect: (json) => {
			const text = writtenText(json);
			return text === null || !json.parent ? undefined : { key: parentKey(json), prompt: { field: 'remixPrompt', value: text || undefined } };
		},
	},
	// Version 1 (0.1.0's node): no wait, no budget, the job output as submitted.
	v1Imagine: {
		version: 1,
		parameters: () => ({ text: '={{ $json.p }}' }),
		expect: (json) => {
			const text = writtenText(json);
			return text ? { key: `text:${text}` } : undefined;
		},
	},
	v1Upscale: {
		version: 1,
		parents: true,
		parameters: (s) => ({ operation: 'upscale', jobId: '={{ $json.parent }}', imageNo: '={{ $json.no }}', type: s.type }),
		expect: (json) => (json.parent ? { key: parentKey(json) } : undefined),
	},
};

/** A prompt the item must send as written in `field`, or undefined when the item is invalid. */
const withPrompt = (json, key, field, { required = false } = {}) => {
	const text = writtenText(json);
	if (text === null || !key || (required && !text)) return undefined;
	return { key, prompt: { field, value: text || undefined } };
};
const blendCountOk = (n) => n >= 2 && n <= 5;
/** A follow-up of an earlier image job at `path`, with an optional remix prompt. */
const imageFollowUp = (operation, price, extra, prompt) => ({
	version: 2,
	price,
	parents: 'image',
	download: 'grid',
	parameters: () => ({ resource: 'image', operation, jobId: '={{ $json.parent }}', imageNo: '={{ $json.no }}', ...(prompt ? { remixPrompt: '={{ $json.p }}' } : {}), ...extra }),
	expect: (json) => (prompt ? withPrompt(json, parentKey(json), 'remixPrompt', { required: prompt === 'required' }) : json.parent ? { key: parentKey(json) } : undefined),
});

const MORE = {
	blendUrls: {
		version: 2,
		price: 80,
		download: 'grid',
		parameters: () => ({ resource: 'image', operation: 'blend', imageSource: 'url', imageUrls: '={{ $json.urls }}', aspectRatio: '1:1' }),
		expect: (json) => (blendCountOk(json.urls.length) ? { key: `urls:${json.urls.join(',')}` } : undefined),
	},
	blendBinary: {
		version: 2,
		price: 80,
		download: 'grid',
		binary: 'many',
		parameters: () => ({ resource: 'image', operation: 'blend', imageSource: 'binary', aspectRatio: '2:3' }),
		expect: (json) => (blendCountOk(json.files.length) ? { key: `urls:${json.files.map(fileKey).join(',')}` } : undefined),
	},
	describeUrl: {
		version: 2,
		price: 20,
		download: 'none',
		parameters: () => ({ resource: 'image', operation: 'describe', imageSource: 'url', imageUrl: '={{ $json.url }}' }),
		expect: (json) => ({ key: `url:${json.url}` }),
	},
	describeBinary: {
		version: 2,
		price: 20,
		download: 'none',
		binary: 'one',
		parameters: () => ({ resource: 'image', operation: 'describe', imageSource: 'binary', binaryPropertyName: 'data' }),
		expect: (json) => ({ key: `url:${fileKey(json.files[0])}` }),
	},
	zoomOut: imageFollowUp('zoomOut', 80, { scale: 1.5 }, 'optional'),
	pan: imageFollowUp('pan', 80, { direction: 2, scale: 1.2 }, 'optional'),
	remix: imageFollowUp('remix', 120, { mode: 1 }, 'required'),
	reroll: {
		version: 2,
		price: 80,
		parents: 'image',
		download: 'grid',
		parameters: () => ({ resource: 'image', operation: 'reroll', jobId: '={{ $json.parent }}' }),
		expect: (json) => (json.parent ? { key: parentKey(json, '-') } : undefined),
	},
	videoExtend: {
		version: 2,
		price: 480,
		parents: 'video',
		download: 'videos',
		parameters: () => ({ resource: 'video', operation: 'extend', jobId: '={{ $json.parent }}', videoNo: '={{ $json.no }}', prompt: '={{ $json.p }}' }),
		expect: (json) => withPrompt(json, parentKey(json, `v${json.no}`), 'prompt'),
	},
	videoUpscale: {
		version: 2,
		price: 480,
		parents: 'video',
		download: 'videos',
		parameters: () => ({ resource: 'video', operation: 'upscale', jobId: '={{ $json.parent }}', videoNo: '={{ $json.no }}' }),
		expect: (json) => (json.parent ? { key: parentKey(json, `v${json.no}`) } : undefined),
	},
	topazFromJob: {
		version: 2,
		price: 120,
		parents: 'image',
		download: 'images',
		parameters: () => ({ resource: 'image', operation: 'topazUpscale', imageSource: 'job', jobId: '={{ $json.parent }}', imageNo: '={{ $json.no }}' }),
		expect: (json) => (json.parent ? { key: parentKey(json) } : undefined),
	},
	topazBinary: {
		version: 2,
		price: 160,
		download: 'images',
		binary: 'one',
		parameters: () => ({ resource: 'image', operation: 'topazUpscale', imageSource: 'binary', binaryPropertyName: 'data', upscaleOptions: { targetResolution: '4K' } }),
		expect: (json) => ({ key: `url:${fileKey(json.files[0])}` }),
	},
	imageToVideoBinary: {
		version: 2,
		price: 480,
		download: 'videos',
		binary: 'one',
		parameters: () => ({ resource: 'video', operation: 'imageToVideo', imageSource: 'binary', binaryPropertyName: 'data', prompt: '={{ $json.p }}', resolution: '480p' }),
		expect: (json) => {
			const text = writtenText(json);
			return text === null ? undefined : { key: `url:${fileKey(json.files[0])}`, prompt: { field: 'prompt', value: text, afterFirstWord: true } };
		},
	},
};

module.exports = { FIRST, MORE };
