import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { propertyWorkloads } from '../../src/model/arbitraries.js';
import type { DomainGraph } from '../../src/model/domain-graph.js';
import { BUMP_PROPERTIES, unmetNeed } from '../../src/model/properties.js';

// A generator asked for what a graph lacks threw ("fc.constantFrom expects at least one parameter")
// or, drawing two distinct tables out of one, spun forever deaf to signals (issue 22). Every
// property a graph can give must draw workloads; every other one says why not.
const seed = seedGraph();
const oneDomain: DomainGraph = { domains: ['a'], cascade: [], transitive: false };
// One read of the seed's, as if its builder read one table only.
const oneTableReads: DomainGraph = {
  ...seed,
  reads: (seed.reads ?? []).slice(0, 1).map((r) => ({ ...r, tables: r.tables.slice(0, 1) })),
};

describe('what a graph can give', () => {
  it.each([
    ['one domain', oneDomain],
    ['reads of one table', oneTableReads],
    ['the seed graph', seed],
  ])('draws the workloads of every property %s can give, and names why for the others', (_, graph) => {
    for (const p of BUMP_PROPERTIES) {
      if (unmetNeed(p, graph) !== null) {
        expect(() => propertyWorkloads(p, graph)).toThrow('cannot give it');
        continue;
      }
      const samples = fc.sample(propertyWorkloads(p, graph), { numRuns: 20, seed: 1 });
      expect(samples, p.name).toHaveLength(20);
    }
  });

  it('skips the writable CTE on one domain and every read property without reads', () => {
    const unmet = BUMP_PROPERTIES.filter((p) => unmetNeed(p, oneDomain)).map((p) => p.name);
    expect(unmet).toContain('writable-cte');
    expect(unmet).toContain('coherence');
    expect(BUMP_PROPERTIES.filter((p) => unmetNeed(p, seed))).toEqual([]);
    expect(BUMP_PROPERTIES.filter((p) => unmetNeed(p, oneTableReads)).map((p) => p.name)).toContain(
      'coherence-multi-domain',
    );
  });
});
