// The memory benchmark's smoke run (bench/memory/n8n.js, `npm run bench:memory`) in the real n8n 2.41.1
// the other e2e tests use: every case once, with 4 MB files, so the benchmark cannot rot. The figures
// are printed, not asserted: one run on small files on a shared machine says little about memory (the
// benchmark takes 5 runs of 64 MB files); what is asserted is that every case brought its files.
const { n8nMemory } = require('../../bench/memory/n8n');
const { memoryTable, memoryNotes } = require('../../bench/memory/table');
const support = require('../harness/e2e/support');

jest.setTimeout(support.INSTALL_AND_START_MS + 10 * 60 * 1000);

test('bench:memory, one run of each case with 4 MB files: every file arrives; figures printed', async () => {
	const result = await n8nMemory({ runs: 1, fileBytes: 4 * 1024 * 1024, jobSeconds: 2, version: '2.41.1' });
	for (const [name, runs] of Object.entries(result.runs)) {
		expect([name, runs.length]).toEqual([name, 1]);
		expect(Number.isFinite(runs[0].growthMB)).toBe(true);
	}
	console.log(`bench:memory smoke (1 run, 4 MB files; figures not asserted)\n\n${memoryTable(result)}\n\n${memoryNotes(result)}`);
});
