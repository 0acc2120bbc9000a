'use strict';
/** The soak's printed tables (bench/soak.js): the books of the Legnext soak, then each process's memory beside the Set soak's. */

const n = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

const HOW_TO_FIND =
	"n8n shows the execution as crashed, or in queue mode as failed with \"This execution failed to be processed too many times\", without items or input; its jobs are found only in the Legnext dashboard (then Job → Get by their ID)";

function booksTable(r) {
	const s = r.row;
	const statuses = Object.entries(r.statuses)
		.map(([status, count]) => `${count} ${status}`)
		.join(', ');
	return [
		'| Prompts | Executions (of them) | Jobs created | Named in an output or error item | Doubled | Lost | Jobs of crashed executions (named) | Submits per job (accepted; all POSTs incl. 429) | Repeated trigger deliveries |',
		'|---|---|---|---|---|---|---|---|---|',
		`| ${s.prompts} | ${r.executionsStarted} started (${statuses}) | ${s.created} | ${s.named} | ${s.doubled} | ${s.lost} | ${s.crashed} (${s.crashedNamed}) | ${n(s.submitsPerJob, 3)} (${s.submits.accepted} accepted; ${s.submits.all} POSTs: ${s.submits.refused429} × 429, ${s.submits.failed5xx} × 5xx) | ${s.doubleDeliveries} |`,
	].join('\n');
}

function memoryTable(results) {
	const roles = new Set([...Object.keys(results.legnext?.memory.first ?? {}), ...Object.keys(results.legnext?.memory.last ?? {})]);
	for (const role of Object.keys(results.set?.memory.first ?? {})) roles.add(role);
	const cells = (run, role) => {
		if (!run) return ['', '', '', '', ''];
		const { first, last, peak, end } = run.memory;
		const ratio = first[role] && last[role] ? `${n(last[role] / first[role], 2)} ×` : '–';
		return [n(first[role], 0), n(last[role], 0), ratio, n(peak?.[role], 0), n(end?.[role], 0)];
	};
	const head = 'first quarter | last quarter | last ÷ first | peak | after the drain';
	const lines = [`| Process (MB, RSS of its process group) | Legnext: ${head} | Set node: ${head} |`, '|---|---|---|---|---|---|---|---|---|---|---|'];
	for (const role of roles) lines.push(`| ${role} | ${[...cells(results.legnext, role), ...cells(results.set, role)].join(' | ')} |`);
	return lines.join('\n');
}

/**
 * The RSS split as V8 sees it, in the same quarters (n8n's own samples, bench/memory/probe.js).
 * `used`: V8's heap in use (live objects and garbage not yet collected); `committed`: what V8 holds
 * for its heap, free pages included. V8 grows its heap under a high allocation rate and gives the free
 * pages back only when it judges the process idle (its memory reducer) or at a later full GC: the rest
 * of the RSS is what the process has in use.
 */
function heapTable(results) {
	const runs = ['legnext', 'set'].filter((name) => results[name]?.memory.heap);
	if (!runs.length) return '';
	const roles = new Set(runs.flatMap((name) => Object.keys(results[name].memory.heap.first)));
	const span = (first, last) => (first && last ? `${n(first, 0)} → ${n(last, 0)} (${n(last / first, 2)} ×)` : '–');
	const cells = (name, role) => {
		const { heap, first, last } = results[name].memory;
		const [a, b] = [heap.first[role], heap.last[role]];
		const inUse = (rss, h) => (rss && h ? rss - (h.committed - h.used) : undefined);
		return [span(a?.used, b?.used), span(a?.committed, b?.committed), span(inUse(first[role], a), inUse(last[role], b))];
	};
	const head = 'V8 heap used | V8 heap committed | RSS less V8\'s free heap';
	const lines = [`| Process (MB, mean of the first → the last quarter) | ${runs.map((name) => `${name === 'set' ? 'Set node' : 'Legnext'}: ${head}`).join(' | ')} |`];
	lines.push(`|---|${runs.map(() => '---|---|---').join('|')}|`);
	for (const role of roles) lines.push(`| ${role} | ${runs.flatMap((name) => cells(name, role)).join(' | ')} |`);
	return lines.join('\n');
}

/** --probe: each process's heap after a full GC (what it retains), at the first quarter's end, the traffic's end, after the drain. */
function retainedTable(results) {
	const runs = ['legnext', 'set'].filter((name) => results[name]?.retained);
	if (!runs.length) return '';
	const lines = ['| Heap after a full GC, MB | ' + runs.map((name) => `${name === 'set' ? 'Set node' : 'Legnext'}: first quarter's end → traffic's end → drained`).join(' | ') + ' |'];
	lines.push(`|---|${runs.map(() => '---').join('|')}|`);
	const roles = new Set(runs.flatMap((name) => results[name].retained.flatMap((moment) => Object.keys(moment.processes))));
	for (const role of roles) {
		const cells = runs.map((name) => results[name].retained.map((moment) => n(moment.processes[role]?.heapMb, 0)).join(' → '));
		lines.push(`| ${role} | ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}

function soakTables(results) {
	const { settings } = results;
	const out = [];
	if (results.legnext) {
		const r = results.legnext;
		out.push(`A day in queue mode: ${settings.executions} executions of ${settings.prompts} prompts over ${settings.minutes} min, ${settings.accounts} accounts`, '', booksTable(r), '');
		out.push(`- Jobs of crashed executions: ${HOW_TO_FIND}. Crashed executions: ${JSON.stringify(r.killedExecutions)}; the starts without data they came from: ${r.crashedStarts.join(', ')}${r.unmatched ? ` (starts without data ${r.unmatched > 0 ? 'outnumber' : 'are fewer than'} such executions by ${Math.abs(r.unmatched)}: check by hand)` : ''}.`);
		out.push(`- Faults played: ${r.fiveHundreds} API answers 5xx (${r.faults.http500} injected, 1 per 100 requests), callback windows ${JSON.stringify(r.faults.windows)}, ${r.refusedStarts} starts not answered (refused, or cut off while the webhook processor stopped; their prompts ran nowhere unless an execution shows them); ${r.events.map((e) => `${n(e.t / 1000, 0)} s ${e.what}`).join('; ')}.`);
		if (r.lostJobs.length) out.push(`- Lost: ${JSON.stringify(r.lostJobs.slice(0, 20))}`);
		if (r.doubledPrompts.length) out.push(`- Doubled: ${JSON.stringify(r.doubledPrompts.slice(0, 20))}`);
		out.push('');
	}
	if (results.set) out.push(`Set node soak: ${results.set.executionsStarted} executions (${JSON.stringify(results.set.statuses)})`, '');
	const started = ['legnext', 'set']
		.filter((name) => results[name]?.memory.startedIn)
		.map((name) => `${name === 'set' ? 'Set soak' : 'Legnext soak'} ${results[name].memory.startedIn.join(' / ')}`);
	if (started.length) out.push(`Executions n8n started in each quarter of the day: ${started.join('; ')}.`, '');
	if (results.legnext?.memory.jobsIn) out.push(`Jobs Legnext made in each quarter: ${results.legnext.memory.jobsIn.join(' / ')}.`, '');
	const inFlight = ['legnext', 'set']
		.filter((name) => results[name]?.memory.inFlight)
		.map((name) => `${name === 'set' ? 'Set soak' : 'Legnext soak'} ${results[name].memory.inFlight.join(' / ')}`);
	if (inFlight.length) out.push(`Executions in hand on average in each quarter (running or paused): ${inFlight.join('; ')}.`, '');
	for (const name of ['legnext', 'set']) {
		const cpu = results[name]?.memory.cpu;
		if (!cpu) continue;
		const total = cpu.map((quarter) => n(Object.values(quarter).reduce((sum, share) => sum + share, 0), 2));
		out.push(`${name === 'set' ? 'Set soak' : 'Legnext soak'}, CPU of the n8n processes in each quarter (cores of 2): ${total.join(' / ')}.`);
	}
	out.push('');
	out.push(memoryTable(results));
	const heap = heapTable(results);
	if (heap) out.push('', heap);
	const retained = retainedTable(results);
	if (retained) out.push('', retained);
	out.push('', `Whole run ${n(results.seconds / 60, 1)} min.`);
	return out.join('\n');
}

module.exports = { soakTables };
