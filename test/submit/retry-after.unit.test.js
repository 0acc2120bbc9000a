// A submit Legnext refused with 429 waits as long as Legnext's Retry-After asks (nodes/shared/retry.ts):
// sending sooner would only be refused again (issue 29, point 8).
const { RETRY_POLICIES, retryDelay } = require('../../dist/nodes/shared/retry');

test('a Retry-After longer than the policy’s longest backoff wins', () => {
	const policy = RETRY_POLICIES.submitRefused;
	expect(policy.maxDelayMs).toBeLessThan(30_000);
	expect(retryDelay(policy, 1, 30_000)).toBe(30_000);
	expect(retryDelay(policy, 50, 45_000)).toBe(45_000);
});

test('without Retry-After, or with a shorter one, the backoff stays within the policy', () => {
	const policy = RETRY_POLICIES.submitRefused;
	for (let attempt = 1; attempt < 20; attempt++) {
		expect(retryDelay(policy, attempt)).toBeLessThanOrEqual(policy.maxDelayMs);
		expect(retryDelay(policy, attempt, 10)).toBeLessThanOrEqual(policy.maxDelayMs);
	}
});
