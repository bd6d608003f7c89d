import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRows } from '../../src/engine/state.js';
import { workloadArbitraries } from '../../src/model/arbitraries.js';
import { planWorkload } from '../../src/model/model.js';
import type { Step } from '../../src/model/workload.js';
import { graph, useSimulators } from '../support/fixtures.js';

// The bump expectations are only as good as the model's idea of which rows each statement touches.
// With no trigger installed, every workload must leave exactly the rows the model predicts, and
// each message must fail exactly when the model says it must.
const a = workloadArbitraries(graph);
// One database for both tests: every run starts from an emptied one.
const simulator = useSimulators(['none']);

describe('reference model vs PostgreSQL', () => {
  it('predicts the rows of every tv_ table and every failing message', async () => {
    await rowsMatch(
      fc.oneof(
        a.statement(a.any),
        a.statement(a.failingInsert),
        a.message(a.any),
        a.doBlock(a.any),
        a.fn(a.any),
        a.transaction(a.any),
      ),
      150,
    );
  });

  // INSERT ... SELECT ids, MERGE, ON CONFLICT DO NOTHING, base-table sync and foreign-key cascades:
  // the model's rows after each must be PostgreSQL's.
  it('predicts the rows left by every newer kind of write, prepared or not', async () => {
    await rowsMatch(
      fc.oneof(a.statement(a.every), a.prepared(a.every), a.doBlock(a.every), a.transaction(a.every)),
      80,
    );
  });
});

async function rowsMatch(anyStep: fc.Arbitrary<Step>, numRuns: number): Promise<void> {
  const sim = simulator('none');
  await fc.assert(
    fc.asyncProperty(a.workload(anyStep), async (workload) => {
      await sim.reset();
      const plan = planWorkload(graph, workload);
      const verdict = await sim.runPlan(plan, { kind: 'paused', pauseMs: 0 });
      // Only errors are judged here (no trigger means every bump is MISSED).
      expect(verdict.violations.filter((v) => v.kind === 'ERROR')).toEqual([]);
      if (verdict.ok || verdict.violations.every((v) => v.kind !== 'ERROR')) {
        // runPlan stops at the first version mismatch, so run the rest before comparing rows.
        for (const [i, m] of plan.messages.entries())
          if (i >= verdict.messagesRun) await sim.runMessage(i, m);
      }
      expect(await readRows(sim.db, graph)).toEqual(plan.rows);
    }),
    { numRuns, seed: 42 },
  );
}

describe('a reset between runs', () => {
  // A message that fails between its PREPARE and its DEALLOCATE keeps the name taken: the next run
  // then failed with 'prepared statement "turbo_sim_p1" already exists' instead of the design's answer.
  it('leaves no prepared statement behind', async () => {
    const sim = simulator('none');
    await sim.reset();
    await expect(sim.db.exec('PREPARE turbo_sim_p1 AS SELECT 1; SELECT 1/0')).rejects.toThrow(
      'division by zero',
    );
    await sim.reset();
    await expect(
      sim.db.exec('PREPARE turbo_sim_p1 AS SELECT 1; DEALLOCATE turbo_sim_p1'),
    ).resolves.not.toThrow();
  });
});
