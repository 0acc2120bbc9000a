// The order jest runs the test files in: fast kinds first, so that `npm test` fails early (with --bail)
// on what a one-line change breaks most often. The kind is in the file name (see jest.config.js):
// unit (no engine, seconds) → contract (Legnext's published answers) → engine (n8n's engine against the
// simulator) → e2e (a real n8n, minutes each). Within a kind jest's own order stands: files that failed
// last time first, then the longest, which keeps parallel workers evenly loaded.
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const KINDS = ['unit', 'contract', 'engine', 'e2e'];

/**
 * Seconds the longest e2e files took on a 2-core machine (one at a time, Dec 2026). npm test runs the e2e
 * files in 3 workers, longest first; on a fresh clone jest knows no timings and would order them
 * by file size, which puts the 3-minute memory smoke (18 lines) last, beside an idle worker. jest's own
 * timing replaces these once it has one; a file not listed counts as the shortest.
 */
const E2E_SECONDS = {
	'queue/queue': 270, // the two halves of the 352 s queue file: 337 and 296 s beside the rest at load 13,
	'pays-once/queue-mode': 240, // each with its own start of queue mode (~2 min there)
	'wait/restart': 181,
	'examples/examples': 179,
	'output/memory': 163,
	'trigger/signed-callbacks': 111,
	'flows/n8n-versions': 97,
	'pays-once/seams': 96,
	'trigger/lifecycle': 93,
	'trigger/burst': 82,
	'operations/binary': 81,
	'flows/main-flows': 77,
	'tool/agent': 55,
	'trigger/manual-run': 49,
	'editor/editor': 40,
};

/** The kind of a test file from its name (`*.<kind>.test.js|ts`); a file without one is an error. */
function kindOf(testPath) {
	const match = /\.(\w+)\.test\.[jt]s$/.exec(testPath);
	const rank = match ? KINDS.indexOf(match[1]) : -1;
	if (rank < 0) throw new Error(`${testPath}: name a test file by its kind, *.{${KINDS.join(',')}}.test.js`);
	return rank;
}

/** An e2e file's expected milliseconds: jest's last timing, else E2E_SECONDS, else 0. */
function e2eMs(testPath, jestMs) {
	if (jestMs != null) return jestMs;
	const key = path.relative(path.join(__dirname, '..'), testPath).split(path.sep).join('/').replace(/\.e2e\.test\.[jt]s$/, '');
	return (E2E_SECONDS[key] ?? 0) * 1000;
}

class KindSequencer extends Sequencer {
	sort(tests) {
		const byJest = super.sort(tests); // also sets test.duration from jest's timings, where it has them
		const e2e = KINDS.indexOf('e2e');
		// Array.prototype.sort is stable: jest's order is kept within a kind; e2e files: failed first, then longest.
		return [...byJest].sort((a, b) => {
			const kinds = kindOf(a.path) - kindOf(b.path);
			if (kinds !== 0 || kindOf(a.path) !== e2e) return kinds;
			const failed = Number(this.hasFailed(b)) - Number(this.hasFailed(a));
			return failed || e2eMs(b.path, b.duration) - e2eMs(a.path, a.duration);
		});
	}
}

module.exports = KindSequencer;
module.exports.KINDS = KINDS;
module.exports.kindOf = kindOf;
module.exports.e2eMs = e2eMs;
module.exports.E2E_SECONDS = E2E_SECONDS;
