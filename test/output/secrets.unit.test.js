// What Legnext's texts may echo of the URLs the node sends is masked before anyone can read it
// (nodes/shared/secrets.ts): an error that quotes a callback, the ledger saved with the execution.
const { maskSecrets } = require('../../dist/nodes/shared/secrets');

test('the resume URL’s referenceToken is masked, also URL-encoded inside another URL (issue 29, point 7)', () => {
	const resume = 'https://n8n.example.com/webhook-waiting/42/node-1?reference=row-7&referenceToken=0123456789abcdef0123456789abcdef0123456789abcdef';
	expect(maskSecrets(`fetch failed for callback ${resume}`)).toBe(
		'fetch failed for callback https://n8n.example.com/webhook-waiting/42/node-1?reference=row-7&referenceToken=***',
	);
	expect(maskSecrets(JSON.stringify({ callback: resume }))).not.toContain('0123456789abcdef');
	expect(maskSecrets(`see ${encodeURIComponent(resume)}`)).not.toContain('0123456789abcdef');
	// The reference itself is the user's own text, not a secret.
	expect(maskSecrets(resume)).toContain('reference=row-7');
});

test('the trigger’s token, a signature and the final-check flag stay masked', () => {
	expect(maskSecrets('https://x.example.com/webhook/legnext/wf?token=abc123def456')).toBe('https://x.example.com/webhook/legnext/wf?token=***');
	expect(maskSecrets('u?legnextFinalCheck=ffff0000&legnextCheckAt=1700000000000')).toBe('u?legnextFinalCheck=***&legnextCheckAt=1700000000000');
});
