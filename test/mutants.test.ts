import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDesign } from '../src/check.js';
import { type Design, loadDesign, loadMutant, mutantNames } from '../src/designs.js';
import { seedGraph } from '../src/domain-graph.js';
import { packageRoot } from '../src/package-root.js';
import { BUMP_PROPERTIES } from '../src/properties.js';

// Every deliberately broken design must be rejected with the CLI's defaults (100 runs per
// property, seed 42). failFast stops at the first failing property: rejection is what counts here;
// `turbo-sim check --design sql/mutants/NAME` shows the full kill table.
// The broadest class (mixed) goes first, so most mutants fall in its first runs; every class still
// runs, in full, for a mutant it does not catch.
const ORDER = ['mixed', ...BUMP_PROPERTIES.map((p) => p.name).filter((n) => n !== 'mixed')];
// No shrinking: it does not change whether a design is rejected, and it is most of the time.
const DEFAULTS = { runs: 100, seed: 42, failFast: true, shrink: false, properties: ORDER };

async function rejected(design: Design) {
  const report = await checkDesign({ design, graph: seedGraph(), ...DEFAULTS });
  return {
    ok: report.ok,
    failed: report.properties.filter((p) => !p.ok).map((p) => p.name),
    kinds: report.violations.map((v) => v.kind),
  };
}

describe('mutants', () => {
  it('has the catalogued mutants', () => {
    expect(mutantNames()).toEqual(
      expect.arrayContaining([
        'dedup-per-transaction',
        'forget-overlap',
        'insert-only',
        'missing-cascade-edge',
        'new-tenant-only',
        'no-truncate',
        'per-row-no-dedup',
        'statement-timestamp-identity',
      ]),
    );
  });

  // What the comment at the top promises: a mutant folder given as a path is the same design.
  it('loads a mutant folder given as a path with the design it extends', () => {
    const byPath = loadDesign(join(packageRoot(), 'sql', 'mutants', 'insert-only'));
    expect(byPath.builtin).toBe(false);
    expect(byPath.files).toEqual(loadMutant('insert-only').files);
    expect(byPath.files.map((f) => f.path).some((p) => p.includes(join('designs', 'robust')))).toBe(true);
  });

  it.each(mutantNames())('rejects %s', async (name) => {
    const r = await rejected(loadMutant(name));
    expect(r.ok).toBe(false);
    expect(r.failed.length).toBe(1);
  });

  // The user design of the `check --design PATH` contract, shared beside the repository
  // (../shared/examples). The per-row-no-dedup mutant is that file byte for byte, so that a clone
  // without ../shared checks it too.
  const shared = join(packageRoot(), '..', 'shared', 'examples', 'per-row-no-dedup.sql');
  const fixture = join(packageRoot(), 'sql', 'mutants', 'per-row-no-dedup.sql');
  it('rejects the shared user design, loaded unchanged, as EXTRA bumps', async () => {
    const r = await rejected(loadDesign(existsSync(shared) ? shared : fixture));
    expect(r.ok).toBe(false);
    expect(r.kinds).toContain('EXTRA');
  });
  it.skipIf(!existsSync(shared))('keeps its copy of the shared user design identical to ../shared', () => {
    expect(readFileSync(fixture, 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
