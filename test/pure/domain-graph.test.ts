import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDomainGraph, seedGraph } from '../../src/engine/design/domain-file.js';
import { cascadeTargets, dependencyRows, parseDomainGraph } from '../../src/model/domain-graph.js';
import { InputError } from '../../src/model/input-error.js';

describe('domain graph', () => {
  const seed = seedGraph();

  it('cascades one level deep as the seed does', () => {
    expect(cascadeTargets(seed, 'contract')).toEqual(['allocation', 'contract_item', 'price']);
    expect(cascadeTargets(seed, 'contract_item')).toEqual(['contract', 'price']);
    expect(cascadeTargets(seed, 'machine')).toEqual(['allocation', 'maintenance']);
    expect(cascadeTargets(seed, 'user')).toEqual(['organization']);
    expect(cascadeTargets(seed, 'price')).toEqual([]);
  });

  it('closes over the edges when transitive, never listing the source itself', () => {
    const transitive = { ...seed, transitive: true };
    // contract_item -> contract -> allocation is only reached transitively; the cycle back to
    // contract_item must not list the source.
    expect(cascadeTargets(transitive, 'contract_item')).toEqual(['allocation', 'contract', 'price']);
    expect(cascadeTargets(transitive, 'contract')).toEqual(['allocation', 'contract_item', 'price']);
  });

  it('stores the closure in tb_domain_dependency rows for a transitive graph', () => {
    expect(dependencyRows(seed)).toHaveLength(seed.cascade.length);
    expect(dependencyRows({ ...seed, transitive: true })).toContainEqual(['contract_item', 'allocation']);
  });

  it('rejects malformed domain files with the reason', () => {
    const bad = [
      [{}, /domains/],
      [{ domains: ['a', 'a'] }, /duplicate/],
      [{ domains: ['A'] }, /lower-case/],
      [{ domains: ['a'], cascade: [['a', 'b']] }, /cascade edge/],
      [{ domains: ['a'], cascade: [['a', 'a']] }, /cascade edge/],
      [{ domains: ['a'], transitive: 'yes' }, /transitive/],
    ] as const;
    for (const [value, why] of bad) {
      expect(() => parseDomainGraph(value, 'f.json')).toThrow(InputError);
      expect(() => parseDomainGraph(value, 'f.json')).toThrow(why);
    }
  });
});

describe('domain files', () => {
  const withFile = (json: unknown, use: (path: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-graph-'));
    try {
      const path = join(dir, 'graph.json');
      writeFileSync(path, JSON.stringify(json));
      use(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('rejects an unknown key by name, against the shipped JSON Schema', () => {
    withFile({ domains: ['a', 'b'], cascade: [['a', 'b']], transitve: true }, (path) => {
      expect(() => loadDomainGraph(path)).toThrow(InputError);
      expect(() => loadDomainGraph(path)).toThrow(`${path}: unknown key "transitve" at the top level`);
    });
    withFile(
      { domains: ['a'], reads: [{ name: 'r', domains: ['a'], builder: 'f', tables: ['a'], cache: 1 }] },
      (path) => expect(() => loadDomainGraph(path)).toThrow('unknown key "cache" at /reads/0'),
    );
  });

  it('accepts a file that names the schema for its editor', () => {
    withFile({ $schema: '../schema/domain-graph.schema.json', domains: ['a'] }, (path) =>
      expect(loadDomainGraph(path).domains).toEqual(['a']),
    );
  });
});
