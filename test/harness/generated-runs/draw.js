// What the ledger tests draw: a Legnext node's settings, an input item, the simulator's faults, and
// a scenario over some operations (see kit.js).
const fc = require('fast-check');

/* ---------------------------------------------------------------------------------------------
 * What is drawn.
 * ------------------------------------------------------------------------------------------- */

const nodeSettingsArb = fc.record({
	waitMode: fc.constantFrom('none', 'poll', 'callback', 'callback'),
	download: fc.constantFrom(true, true, false),
	continueOnFail: fc.boolean(),
	retryOnFail: fc.boolean(),
	concurrency: fc.integer({ min: 1, max: 6 }),
	/** Max Points per Run, in multiples of the operation's price (0 = none). */
	maxPoints: fc.constantFrom(0, 0, 0, 1, 2, 3, 5),
	timeLimitMinutes: fc.constantFrom(2, 5),
	aspectRatio: fc.boolean(),
	/** A custom callback URL of a trigger's shape: the node adds the trigger's token, a secret. */
	callbackUrl: fc.boolean(),
	/** Upscale / Variation type. */
	type: fc.constantFrom(0, 1),
	/** The image the Upscale after Text to Image takes. */
	imageNo: fc.integer({ min: 0, max: 3 }),
});

const itemFields = {
	// '' is an empty prompt, null a prompt mapped to an object: invalid where a prompt is needed.
	word: fc.oneof({ arbitrary: fc.constantFrom('cat', 'a lighthouse', 'fox --turbo', 'an owl'), weight: 6 }, { arbitrary: fc.constantFrom('', null), weight: 1 }),
	pad: fc.constantFrom('', ' ', '  \n'),
	/** The earlier job an item names: finished, unknown to Legnext (404), or none (invalid). */
	parent: fc.oneof({ arbitrary: fc.constant('earlier'), weight: 8 }, { arbitrary: fc.constantFrom('unknown', 'none'), weight: 2 }),
	no: fc.integer({ min: 0, max: 3 }),
};
/** An item; `extra` adds fields (kept apart so that the first file's seeds replay as before). */
const itemArbWith = (extra = {}) => fc.record({ ...itemFields, ...extra });

/**
 * Each fault in about one run of four (a failed download in one of two), so that most runs also create
 * jobs for the ledger to follow.
 */
const sometimes = (faults) =>
	fc
		.record(
			Object.fromEntries(
				Object.entries(faults).map(([name, arb]) => [name, fc.oneof({ arbitrary: fc.constant(undefined), weight: name === 'downloadFails' ? 1 : 3 }, { arbitrary: arb, weight: 1 })]),
			),
		)
		.map((drawn) => Object.fromEntries(Object.entries(drawn).filter(([, fault]) => fault !== undefined)));

const FAULTS = {
	http500: fc.integer({ min: 1, max: 2 }).map((count) => ({ http500: count, http500On: 'submit' })),
	tooMany: fc.integer({ min: 1, max: 3 }).map((count) => ({ status: { code: 429, count, on: 'submit', retryAfter: 1 } })),
	lostAnswer: fc.constant({ dropConnection: 1, dropConnectionOn: 'submit' }),
	read4xx: fc.constantFrom(401, 404).map((code) => ({ status: { code, count: 1, on: 'job' } })),
	failedJobs: fc.integer({ min: 1, max: 2 }).map((failJobs) => ({ failJobs })),
	expiredLinks: fc.constant({ expireFiles: true }),
	unreachable: fc.oneof(
		fc.integer({ min: 30, max: 600 }).map((forSeconds) => ({ unreachable: { on: 'job', forSeconds } })),
		fc.integer({ min: 1, max: 3 }).map((count) => ({ unreachable: { on: 'all', count } })),
	),
	readsDown: fc.integer({ min: 1, max: 3 }).map((count) => ({ unavailable: { on: 'job', count, retryAfter: 1 } })),
	refused: fc.integer({ min: 1, max: 3 }).map((nth) => ({ refuseSubmit: { nth, code: 403, message: 'Sensitive content' } })),
	callbacks: fc.constantFrom('normal', 'missing', 'twice', 'late').map((callbacks) => ({ callbacks, lateBy: 30 })),
	// A failed download (last: it takes the `status` fault when another one drew it too).
	downloadFails: fc.record({ code: fc.constantFrom(403, 404, 500), count: fc.integer({ min: 1, max: 3 }) }).map(({ code, count }) => ({ status: { code, count, on: 'files' } })),
};
const faultArb = sometimes(FAULTS);

/** A scenario over `operations`: the shape, the operation, the items, the settings, the faults. */
const scenarioArbOf = (operations, { items = itemArbWith(), shapes = ['alone', 'alone', 'loop', 'loop', 'chain'], node = nodeSettingsArb, faults = faultArb, extra = {} } = {}) =>
	fc
		.record({
			shape: fc.constantFrom(...shapes),
			operation: fc.constantFrom(...operations),
			batchSize: fc.integer({ min: 1, max: 3 }),
			items: fc.array(items, { minLength: 1, maxLength: 6 }),
			node,
			upscale: nodeSettingsArb,
			faults,
			// After a failed execution, n8n's Retry of it (Executions → Retry): with the faults that failed it
			// cleared (the user fixed the cause) or still there.
			retry: fc.constantFrom('none', 'faultsCleared', 'faultsKept'),
			...extra,
		})
		// What the shape does not use is dropped, so a failing scenario prints only what it ran.
		.map(({ shape, operation, batchSize, upscale, ...rest }) => ({
			shape,
			operation: shape === 'chain' ? 'textToImage' : operation,
			...(shape === 'loop' ? { batchSize } : {}),
			...rest,
			...(shape === 'chain' ? { upscale } : {}),
		}));

module.exports = { nodeSettingsArb, itemArbWith, sometimes, FAULTS, faultArb, scenarioArbOf };
