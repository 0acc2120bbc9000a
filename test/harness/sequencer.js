// The order jest runs the test files in: fast kinds first, so that `npm test` fails early (with --bail)
// on what a one-line change breaks most often. The kind is in the file name (see jest.config.js):
// unit (no engine, seconds) → contract (Legnext's published answers) → engine (n8n's engine against the
// simulator) → e2e (a real n8n, minutes each). Within a kind jest's own order stands: files that failed
// last time first, then the longest, which keeps parallel workers evenly loaded.
const Sequencer = require('@jest/test-sequencer').default;

const KINDS = ['unit', 'contract', 'engine', 'e2e'];

/** The kind of a test file from its name (`*.<kind>.test.js|ts`); a file without one is an error. */
function kindOf(testPath) {
	const match = /\.(\w+)\.test\.[jt]s$/.exec(testPath);
	const rank = match ? KINDS.indexOf(match[1]) : -1;
	if (rank < 0) throw new Error(`${testPath}: name a test file by its kind, *.{${KINDS.join(',')}}.test.js`);
	return rank;
}

class KindSequencer extends Sequencer {
	sort(tests) {
		const byJest = super.sort(tests);
		// Array.prototype.sort is stable: jest's order is kept within a kind.
		return [...byJest].sort((a, b) => kindOf(a.path) - kindOf(b.path));
	}
}

module.exports = KindSequencer;
module.exports.KINDS = KINDS;
module.exports.kindOf = kindOf;
