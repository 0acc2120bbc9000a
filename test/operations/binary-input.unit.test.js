// The pure parts of binary input and the Reference: which addresses Legnext's cloud cannot open,
// binary field names, and the callback token that covers a reference.
const { createHmac } = require('crypto');
const { isLocalUrl } = require('../../dist/nodes/shared/localUrl');
const { binaryPropertyNames } = require('../../dist/nodes/Legnext/run/binaryImage');
const { callbackToken, withCallbackToken } = require('../../dist/nodes/shared/triggerUrl');

test('local and private addresses', () => {
	for (const url of [
		'http://localhost:5678/x',
		'http://127.0.0.1:5678/x',
		'http://0.0.0.0/x',
		'http://10.1.2.3/x',
		'http://172.16.0.1/x',
		'http://172.31.255.1/x',
		'http://192.168.1.10/x',
		'http://169.254.1.1/x',
		'http://100.64.0.1/x',
		'http://[::1]:5678/x',
		'http://[fd12::1]/x',
		'http://[fe80::1]/x',
		'http://n8n:5678/x',
		'http://n8n.local/x',
		'http://box.internal/x',
		'http://app.localhost/x',
	]) {
		expect([url, isLocalUrl(url)]).toEqual([url, true]);
	}
	for (const url of ['https://n8n.example.com/x', 'http://172.32.0.1/x', 'http://8.8.8.8/x', 'https://api.legnext.ai', 'http://[2001:db8::1]/x']) {
		expect([url, isLocalUrl(url)]).toEqual([url, false]);
	}
	expect(isLocalUrl('not a url')).toBe(false);
});

test('binary field names: one, several, spaces and empties ignored', () => {
	expect(binaryPropertyNames('data')).toEqual(['data']);
	expect(binaryPropertyNames(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
	expect(binaryPropertyNames(['a', ' b '])).toEqual(['a', 'b']);
	expect(binaryPropertyNames('')).toEqual([]);
	expect(binaryPropertyNames(undefined)).toEqual([]);
});

test('the callback token: unchanged without a reference, and covering the reference with one', () => {
	const key = 'k';
	const tail = 'legnext/wf1';
	const before = createHmac('sha256', key).update(`legnext-trigger:${tail}`).digest('hex').slice(0, 48);
	expect(callbackToken(key, tail)).toBe(before);
	expect(callbackToken(key, tail, '')).toBe(before);
	expect(callbackToken(key, tail, '7')).not.toBe(before);
	expect(callbackToken(key, tail, '7')).not.toBe(callbackToken(key, tail, '8'));

	const url = new URL(withCallbackToken('https://n8n.example.com/webhook/legnext/wf1', key, 'row 7 & more'));
	expect(url.searchParams.get('reference')).toBe('row 7 & more');
	expect(url.searchParams.get('token')).toBe(callbackToken(key, tail, 'row 7 & more'));
	expect(new URL(withCallbackToken('https://n8n.example.com/webhook/legnext/wf1', key)).search).toBe(`?token=${before}`);
	// Not a trigger URL: left as it is.
	expect(withCallbackToken('https://hooks.example.com/x', key, '7')).toBe('https://hooks.example.com/x');
});
