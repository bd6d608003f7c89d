import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { planWorkload } from '../../src/model/model.js';
import { counterexampleScript } from '../../src/report/counterexample.js';
import { checkDesign } from '../../src/verify/check.js';
import type { DiagnosisClass } from '../../src/verify/diagnosis.js';
import { Simulator } from '../../src/verify/simulator.js';
import { ONE_DATABASE } from './fixtures.js';

// What the published designs do, measured and written down: the classes they get right and the
// classes where the checker must find a counterexample of at most three statements.
const HOLDS = ['batch', 'failing-statement', 'transaction', 'tenant-isolation'];
const FAILS = [
  'tenant-move',
  'upsert',
  'truncate',
  'writable-cte',
  'multi-statement-message',
  'do-block',
  'mixed',
  'coherence',
  'coherence-multi-domain',
  // Of the newer kinds (the ones that hold, from-table, on-conflict-do-nothing and
  // foreign-key-cascade, are measured in the README, not here, to keep npm test's time).
  'merge',
  'prepared',
  'base-sync',
];
// Read classes report what a reader sees (STALE), and need a read, a write and a read again.
const READS = new Set(['coherence', 'coherence-multi-domain']);
// The cause each class finds (docs/defects.md, docs/coherence.md); `mixed` may meet any of them.
const DIAGNOSES: Record<string, DiagnosisClass> = {
  'tenant-move': 'old-tenant',
  upsert: 'old-tenant',
  truncate: 'truncate-ignored',
  'writable-cte': 'old-tenant',
  'multi-statement-message': 'message-key',
  'do-block': 'message-key',
  coherence: 'missed-bumps-read',
  'coherence-multi-domain': 'read-path',
};

/**
 * The measured verdicts of a published design (`seed` or `seed-on-conflict`), as tests. With
 * `shrink`, also the size and kind of each shrunk counterexample; seed-on-conflict shares the seed's
 * statement key and counterexamples (docs/defects.md), so it checks verdicts only, in a third of the time.
 */
export function describePublishedDesign(name: string, { shrink }: { shrink: boolean }): void {
  describe(`design ${name}`, () => {
    it('holds for single statements, failing statements, transactions and tenant isolation; fails every other class', async () => {
      const report = await checkDesign({
        design: loadDesign(name),
        graph: seedGraph(),
        runs: 60,
        seed: 42,
        properties: [...HOLDS, ...FAILS],
        shrink,
        ...ONE_DATABASE,
      });
      const verdicts = Object.fromEntries(report.properties.map((p) => [p.name, p.ok]));
      expect(verdicts).toEqual(
        Object.fromEntries([...HOLDS.map((p) => [p, true]), ...FAILS.map((p) => [p, false])]),
      );
      for (const p of report.properties.filter((x) => !x.ok)) {
        if (shrink)
          expect(p.counterexample?.statements, p.name).toBeLessThanOrEqual(READS.has(p.name) ? 8 : 3);
        expect(p.counterexample?.violations[0]?.kind, p.name).toBe(READS.has(p.name) ? 'STALE' : 'MISSED');
        if (DIAGNOSES[p.name]) expect(p.diagnosis?.class, p.name).toBe(DIAGNOSES[p.name]);
        else expect(p.diagnosis?.class, p.name).not.toBe('unknown');
        expect(p.counterexample && counterexampleScript(p.counterexample)).toContain(
          `--property ${p.name} --seed 42 --path `,
        );
      }
      expect(report.ok).toBe(false);
    });

    // statement_timestamp() has millisecond resolution in PGlite, and 40 one-row INSERTs sent with
    // nothing in between take a few milliseconds: several share a tracker key and are not counted.
    it('misses bumps when statements arrive back to back', async () => {
      const graph = seedGraph();
      const sim = await Simulator.create(loadDesign(name), graph);
      try {
        const steps = Array.from({ length: 40 }, () => ({
          kind: 'statement' as const,
          write: { kind: 'insert' as const, domain: 'price', tenants: [0] },
        }));
        // Two of the 40 must share a millisecond; on a machine so busy that every statement takes more
        // than one, none do, so the plan gets several tries, as the back-to-back property gives it.
        const plan = planWorkload(graph, steps);
        let verdict = await sim.runPlan(plan, { kind: 'back-to-back' });
        for (let attempt = 1; attempt < 20 && verdict.ok; attempt++) {
          await sim.reset();
          verdict = await sim.runPlan(plan, { kind: 'back-to-back' });
        }
        expect(verdict.ok).toBe(false);
        expect(verdict.violations.every((v) => v.kind === 'MISSED')).toBe(true);
      } finally {
        await sim.close();
      }
    });
  });
}
