import { describe, expect, it } from 'vitest';
import { checkDesign } from '../src/check.js';
import { loadDesign } from '../src/designs.js';
import { seedGraph } from '../src/domain-graph.js';
import { planWorkload } from '../src/model.js';
import { Simulator } from '../src/simulator.js';

// What the published designs do, measured and written down: the classes they get right and the
// classes where the checker must find a counterexample of at most three statements.
const HOLDS = ['batch', 'failing-statement', 'transaction'];
const FAILS = [
  'tenant-move',
  'upsert',
  'truncate',
  'writable-cte',
  'multi-statement-message',
  'do-block',
  'mixed',
];

describe.each(['seed', 'seed-on-conflict'])('design %s', (name) => {
  it('holds for single statements, failing statements and transactions; fails every other class', async () => {
    const report = await checkDesign({
      design: loadDesign(name),
      graph: seedGraph(),
      runs: 100,
      seed: 42,
      properties: [...HOLDS, ...FAILS],
    });
    const verdicts = Object.fromEntries(report.properties.map((p) => [p.name, p.ok]));
    expect(verdicts).toEqual(
      Object.fromEntries([...HOLDS.map((p) => [p, true]), ...FAILS.map((p) => [p, false])]),
    );
    for (const p of report.properties.filter((x) => !x.ok)) {
      expect(p.counterexample?.statements, p.name).toBeLessThanOrEqual(3);
      expect(
        p.counterexample?.violations.some((v) => v.kind === 'MISSED'),
        p.name,
      ).toBe(true);
      expect(p.counterexample?.script).toContain(`--property ${p.name} --seed 42 --path `);
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
      const verdict = await sim.runPlan(planWorkload(graph, steps), { observe: 'end' });
      expect(verdict.ok).toBe(false);
      expect(verdict.violations.every((v) => v.kind === 'MISSED')).toBe(true);
    } finally {
      await sim.close();
    }
  });
});

describe('design none (no trigger)', () => {
  it('is rejected by every property', async () => {
    const report = await checkDesign({ design: loadDesign('none'), graph: seedGraph(), runs: 100, seed: 42 });
    expect(report.properties.filter((p) => p.ok).map((p) => p.name)).toEqual([]);
  });
});
