import type { ConcurrencyBenchReport } from '../bench/concurrency.js';
import type { BenchCell, BenchReport } from '../bench/cost.js';
import { CACHE_READS, type VerifierReport } from '../bench/verifier.js';

/** One table: a row per design, a column per size. */
function table(cells: BenchCell[], designs: string[], title: string): string[] {
  const sizes = [...new Set(cells.map((c) => c.size))];
  const w = Math.max(...designs.map((d) => d.length));
  const out = ['', title, `  ${'design'.padEnd(w)}  ${sizes.map((s) => `${s} rows`.padStart(18)).join('')}`];
  for (const d of designs) {
    const row = sizes.map((s) => {
      const c = cells.find((x) => x.design === d && x.size === s);
      return c ? `${c.ratio.toFixed(2)}x (${c.medianMs.toFixed(1)})`.padStart(18) : ''.padStart(18);
    });
    out.push(`  ${d.padEnd(w)}  ${row.join('')}`);
  }
  return out;
}

/**
 * The human-readable tables: ratio to the baseline per design and size, one table per op and tenant
 * count for single statements, one per op for the small-statement sequences.
 */
export function formatBench(r: BenchReport): string {
  const designs = [...new Set(r.cells.map((c) => c.design))];
  const w = Math.max(...designs.map((d) => d.length));
  const out = [
    `bench on ${r.backend}: median of ${r.reps} alternating rounds, cost ratio to "${r.baseline}" (median ms in brackets)`,
  ];
  const batch = r.cells.filter((c) => c.workload === 'batch');
  for (const op of [...new Set(batch.map((c) => c.op))]) {
    for (const tenants of [...new Set(batch.map((c) => c.tenants))]) {
      const cells = batch.filter((c) => c.op === op && c.tenants === tenants);
      out.push(
        ...table(
          cells,
          designs,
          `${op.toUpperCase()}, one statement on ${r.tables?.batch ?? `tv_${r.domain}`}, ${tenants} tenant(s)`,
        ),
      );
    }
  }
  const seq = r.cells.filter((c) => c.workload === 'statements');
  for (const op of [...new Set(seq.map((c) => c.op))]) {
    const title = `${op.toUpperCase()}, ${r.statements.rows} rows on ${r.tables?.statements ?? `tv_${r.statements.domain}`} (cascade) as statements of N rows, one message each, 1 tenant`;
    out.push(
      ...table(
        seq.filter((c) => c.op === op),
        designs,
        title,
      ),
    );
  }
  if (r.loopVsBatch.length) {
    out.push(
      '',
      `the seed's own test: ${r.loopVsBatch[0]?.rows} single-row INSERTs in a DO loop vs one batch INSERT (ms)`,
    );
    for (const l of r.loopVsBatch) {
      out.push(
        `  ${l.design.padEnd(w)}  loop ${l.loopMs.toFixed(1).padStart(8)}  batch ${l.batchMs.toFixed(1).padStart(8)}  loop/batch ${(l.loopMs / l.batchMs).toFixed(1)}x`,
      );
    }
  }
  out.push('', `done in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}

/** The human-readable verifier figures. */
export function formatVerifier(v: VerifierReport): string {
  const out = [
    `verifier on ${v.backend}`,
    `  fresh database with base layer and robust: ${v.startupMs} ms for the first, ${v.nextStartupMs} ms for the next; reset between runs: ${v.resetMs} ms (${Math.round(v.nextStartupMs / v.resetMs)}x cheaper)`,
    ...v.checks.flatMap((c) => [
      `  check --design robust --workers ${c.workers}: ${c.statementsPerSecond} checked statements/s, ${c.runsPerSecond} property runs/s (${c.statements} statements, ${c.runs} runs in ${c.elapsedMs} ms, start-up included; first run done after ${c.firstRunMs} ms)`,
      `    engine's share of the wall time: ${(c.engineShare * 100).toFixed(0)}% (the checked messages inside the database${c.workers > 1 ? `, over ${c.workers} x the wall time` : ''}; the rest is the harness)`,
      `    CPU: ${(c.cpuMs / 1000).toFixed(1)} s of this process${v.backend === 'pglite' ? ', databases included' : ' (the server not included)'}, ${((c.cpuMs / c.statements) * 1000).toFixed(0)} us per checked statement: at most ${Math.round(c.statements / (c.cpuMs / 1000 / c.cores))} statements/s on ${c.cores} core(s)${v.backend === 'pglite' ? '' : ' even if the server cost nothing'}`,
      `    where the time went (ms, summed over ${c.workers} database${c.workers > 1 ? 's' : ''}): ${Object.entries(
        c.breakdown,
      )
        .map(([part, ms]) => `${part} ${ms}`)
        .join(', ')}`,
    ]),
    `  one cached read (contract detail, 20 contracts, 20 items, 50 prices): hit ${v.cacheHitMs} ms, miss ${v.cacheMissMs} ms (median of ${CACHE_READS})`,
    '  seed, time to first counterexample (runs until it) / with shrinking:',
  ];
  for (const c of v.seedCounterexamples) {
    out.push(
      `    ${c.property.padEnd(24)} ${c.firstFailureMs === null ? `none in ${c.runsToFailure} runs (${c.totalMs} ms)` : `${c.firstFailureMs} ms (run ${c.runsToFailure}) / ${c.totalMs} ms`}`,
    );
  }
  return out.join('\n');
}

/** Thousands separated, as the README quotes them. */
const count = (n: number) => n.toLocaleString('en-US');

/**
 * The concurrency table: a row per workload and design (statements/s, committed statements,
 * deadlocks, sessions that gave up, whether the versions held), and on each workload's first row
 * the first design's pace as a multiple of the second's (robust / deferred by default).
 */
export function formatConcurrencyBench(r: ConcurrencyBenchReport): string {
  const [first, second] = r.designs;
  const w = Math.max(8, ...r.designs.map((d) => d.length));
  const ratioHead = first && second ? `  ${first}/${second}` : '';
  const out = [
    `concurrency on PostgreSQL ${r.server.version} (deadlock_timeout ${r.server.deadlockTimeout}): ${r.sessions} sessions x ${r.steps} steps running free, seed ${r.seed}, designs taking turns`,
    `  ${'workload'.padEnd(10)}  ${'design'.padEnd(w)}  ${'statements/s'.padStart(12)}  ${'committed'.padStart(9)}  ${'deadlocks'.padStart(9)}  ${'gave up'.padStart(7)}  versions${ratioHead}`,
  ];
  for (const workload of [...new Set(r.cells.map((c) => c.workload))]) {
    const cells = r.cells.filter((c) => c.workload === workload);
    const pace = (d: string | undefined) => cells.find((c) => c.design === d)?.statementsPerSecond ?? 0;
    for (const [i, c] of cells.entries()) {
      const ratio =
        i === 0 && ratioHead && pace(second) > 0 ? `  ${(pace(first) / pace(second)).toFixed(2)}x` : '';
      out.push(
        `  ${(i === 0 ? workload : '').padEnd(10)}  ${c.design.padEnd(w)}  ${count(c.statementsPerSecond).padStart(12)}  ${count(c.committedStatements).padStart(9)}  ${count(c.deadlocks).padStart(9)}  ${String(c.sessionsGaveUp).padStart(7)}  ${(c.ok ? 'held' : 'WRONG').padEnd(8)}${ratio}`.trimEnd(),
      );
    }
  }
  out.push(`concurrency done in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}
