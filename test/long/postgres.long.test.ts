import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { openPostgres } from '../../src/engine/postgres/adapter.js';
import { formatConcurrency } from '../../src/report/concurrency.js';
import { counterexampleScript } from '../../src/report/counterexample.js';
import { checkDesign } from '../../src/verify/check.js';
import { checkConcurrency } from '../../src/verify/concurrency.js';
import { useThrowawayServer } from '../support/pg-server.js';

// The long runs of `npm run check:long` on a real server: too slow for `npm test`, which runs the
// same checks at a few runs each. Every run prints its figures so the log is the measurement.
const server = useThrowawayServer();

describe('robust on PostgreSQL, long', () => {
  it('passes every property with 300 runs each', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const report = await checkDesign({
      design: loadDesign('robust'),
      graph: seedGraph(),
      runs: 300,
      seed: 42,
      open: async () => (await openPostgres(s.url)).db,
    });
    console.log(
      `check robust on postgres: ${report.properties.length} properties x 300 runs, ${report.statementsChecked} statements in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    );
    expect(
      report.properties
        .filter((p) => !p.ok)
        .map((p) => p.counterexample && counterexampleScript(p.counterexample)),
    ).toEqual([]);
  });

  const concurrent = (url: string, workload: 'random' | 'statements', seed: number, design = 'robust') =>
    checkConcurrency({
      design: loadDesign(design),
      graph: seedGraph(),
      url,
      sessions: 8,
      steps: 100,
      seed,
      workload,
    });

  // Several seeds, because which statements meet on a lock depends on the workloads drawn. robust
  // bumps all of a statement's version rows in one sorted INSERT, so single statements cannot
  // deadlock on them, whatever tables and events they combine.
  it.for([1, 2, 3])(
    'never deadlocks with 8 sessions x 100 random single statements (seed %i)',
    async (seed, ctx) => {
      const s = server.current;
      if (!s) return ctx.skip();
      const r = await concurrent(s.url, 'statements', seed);
      console.log(formatConcurrency(r));
      expect({ ok: r.ok, deadlocks: r.deadlocks, committed: r.committedStatements }).toEqual({
        ok: true,
        deadlocks: 0,
        committed: 800,
      });
      expect(r.observedBumps).toBe(r.expectedBumps);
    },
  );

  // Transactions and multi-statement messages: robust-hot-row kept the version rows of their first
  // statements locked while later ones waited, and deadlocked hundreds of times here; robust's bumps
  // are appended rows no writer waits for. Every committed statement's bumps, none of a rolled-back
  // one, and no deadlock.
  it.for([1, 2, 3])(
    'keeps exactly the committed bumps with 8 sessions x 100 random steps and transactions, with no deadlock (seed %i)',
    async (seed, ctx) => {
      const s = server.current;
      if (!s) return ctx.skip();
      const r = await concurrent(s.url, 'random', seed);
      console.log(formatConcurrency(r));
      expect({ ok: r.ok, deadlocks: r.deadlocks, violations: r.violations }).toEqual({
        ok: true,
        deadlocks: 0,
        violations: [],
      });
      expect(r.sessions.map((x) => x.error)).toEqual(r.sessions.map(() => null));
      expect(r.observedBumps).toBe(r.expectedBumps);
    },
  );

  // The experiment of sql/designs/deferred on the same workloads: with every bump applied at COMMIT
  // in one sorted pass, transactions of several statements stop deadlocking.
  it.for([1, 2, 3])(
    'deferred: no deadlock with 8 sessions x 100 random steps and transactions (seed %i)',
    async (seed, ctx) => {
      const s = server.current;
      if (!s) return ctx.skip();
      const r = await concurrent(s.url, 'random', seed, 'deferred');
      console.log(formatConcurrency(r));
      expect({ ok: r.ok, deadlocks: r.deadlocks, violations: r.violations }).toEqual({
        ok: true,
        deadlocks: 0,
        violations: [],
      });
      expect(r.sessions.map((x) => x.error)).toEqual(r.sessions.map(() => null));
    },
  );

  it('never deadlocks with 8 contract and contract_item writers x 100 statements', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const r = await checkConcurrency({
      design: loadDesign('robust'),
      graph: seedGraph(),
      url: s.url,
      sessions: 8,
      steps: 100,
      seed: 42,
      workload: 'lock-order',
    });
    console.log(formatConcurrency(r));
    expect({ ok: r.ok, deadlocks: r.deadlocks, committed: r.committedStatements }).toEqual({
      ok: true,
      deadlocks: 0,
      committed: 800,
    });
  });
});
