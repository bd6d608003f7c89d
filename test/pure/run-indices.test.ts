import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { propertyWorkloads } from '../../src/model/arbitraries.js';
import { findProperty } from '../../src/model/properties.js';
import type { Workload } from '../../src/model/workload.js';
import { workersWithin } from '../../src/verify/check.js';
import { shardIndices } from '../../src/verify/check-report.js';
import { type RunOutcome, runIndices } from '../../src/verify/run-pool.js';
import type { Simulator } from '../../src/verify/simulator.js';

describe('run indices', () => {
  it("are fast-check's own: fc.sample gives the values fc.check runs, and a path of one index replays that value", async () => {
    const arb = propertyWorkloads(findProperty('mixed'), seedGraph());
    const checked: Workload[] = [];
    fc.check(
      fc.property(arb, (w) => {
        checked.push(w);
        return true;
      }),
      { seed: 7, numRuns: 40 },
    );
    const sampled = fc.sample(arb, { seed: 7, numRuns: 40 });
    expect(sampled).toEqual(checked);
    // A long check draws its workloads a chunk at a time, each chunk starting at its first index.
    expect(fc.sample(arb, { seed: 7, numRuns: 15, path: '25' })).toEqual(checked.slice(25));
    let replayed: Workload | undefined;
    fc.check(
      fc.property(arb, (w) => {
        replayed ??= w;
        return true;
      }),
      { seed: 7, path: '33', numRuns: 40 },
    );
    expect(replayed).toEqual(checked[33]);
  });

  it('reports the smallest failing index whatever order the runs end in', async () => {
    const failing = new Set([9, 14, 30]);
    for (const workers of [1, 2, 5]) {
      const sims = Array.from({ length: workers }, () => ({}) as Simulator);
      const found = await runIndices(sims, shardIndices(40), async (_sim, index) => {
        // Later indices end sooner: a careless pool would report 14 or 30.
        await new Promise((r) => setTimeout(r, 40 - index));
        return { verdict: { ok: !failing.has(index) }, statements: index } as unknown as RunOutcome;
      });
      expect(found.firstFailure).toBe(9);
      expect(found.ran.map(([i]) => i)).toEqual(shardIndices(10));
      expect(found.failure).toMatchObject({ statements: 9 });
    }
  });

  it('slices shards so that every run index is in exactly one', () => {
    const slices = [1, 2, 3].map((index) => shardIndices(10, { index, count: 3 }));
    expect(slices).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });
});

describe('an explicit --workers', () => {
  const machine = { cores: 2, memory: 24 * 2 ** 30 };
  it('stands when it can help, and is capped by runs, cores and memory with the bound named', () => {
    expect(workersWithin(2, 100, machine)).toEqual({ workers: 2, capped: null });
    expect(workersWithin(1000, 100, machine)).toEqual({
      workers: 2,
      capped: '--workers 1000 capped at 2: 2 core(s)',
    });
    expect(workersWithin(8, 3, { cores: 64, memory: machine.memory }).workers).toBe(3);
    expect(workersWithin(64, 1000, { cores: 64, memory: 4 * 2 ** 30 })).toMatchObject({
      workers: 5,
      capped: expect.stringContaining('memory'),
    });
  });
});
