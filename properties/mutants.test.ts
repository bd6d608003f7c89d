import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Design, loadDesign, loadMutant, mutantNames } from '../src/engine/design/designs.js';
import { packageRoot } from '../src/engine/design/package-root.js';
import { checkDesign } from '../src/verify/check.js';
import type { DiagnosisClass } from '../src/verify/diagnosis.js';
import type { ViolationKind } from '../src/verify/verdict.js';
import { graph } from '../test/support/fixtures.js';

// Every deliberately broken design, pinned to the property written to catch its defect and the one
// kind of violation that property must report. A mutant that merely raised errors, or that another
// property happened to catch, fails here: the table proves each property can fail, and fail for the
// right reason. 100 runs, seed 42, the CLI's defaults; no shrinking (it does not change the verdict).
// The diagnosis is pinned too: the class of defect the mutant was written to have, or `unknown`
// where no catalogued class describes it (insert-only's UPDATE and DELETE simply bump nothing;
// before-row-insert bumps a tenant no row reached; skip-nested-triggers' sync statements bump nothing).
const CAUGHT_BY: Record<string, { property: string; kind: ViolationKind; diagnosis: DiagnosisClass }> = {
  // These three hold every property older than the kinds they are pinned to (checked with
  // `check --design sql/mutants/NAME`): only the new workloads expose them.
  'before-row-insert': { property: 'on-conflict-do-nothing', kind: 'EXTRA', diagnosis: 'unknown' },
  'guard-statement-start': { property: 'foreign-key-cascade', kind: 'EXTRA', diagnosis: 'per-trigger' },
  'skip-nested-triggers': { property: 'base-sync', kind: 'MISSED', diagnosis: 'unknown' },
  'dedup-per-transaction': { property: 'transaction', kind: 'MISSED', diagnosis: 'per-transaction' },
  'extra-cascade-edge': { property: 'batch', kind: 'EXTRA', diagnosis: 'extra-cascade-edge' },
  'forget-overlap': { property: 'writable-cte', kind: 'EXTRA', diagnosis: 'per-trigger' },
  'insert-only': { property: 'batch', kind: 'MISSED', diagnosis: 'unknown' },
  'missing-cascade-edge': { property: 'batch', kind: 'MISSED', diagnosis: 'missing-cascade-edge' },
  'new-tenant-only': { property: 'tenant-move', kind: 'MISSED', diagnosis: 'old-tenant' },
  'no-truncate': { property: 'truncate', kind: 'MISSED', diagnosis: 'truncate-ignored' },
  'per-row-no-dedup': { property: 'batch', kind: 'EXTRA', diagnosis: 'per-row' },
  // robust keeps bumps as deltas until a compaction folds them: a read path that skips them is stale.
  'read-base-rows-only': { property: 'coherence', kind: 'STALE', diagnosis: 'read-path' },
  'statement-timestamp-identity': {
    property: 'multi-statement-message',
    kind: 'MISSED',
    diagnosis: 'message-key',
  },
};

// Mutants whose defect needs two sessions, which PGlite does not have: pinned by
// test/server/concurrency.test.ts on a PostgreSQL server.
const CAUGHT_BETWEEN_SESSIONS = ['stale-set'];

async function verdictOn(design: Design, property: string) {
  const report = await checkDesign({
    design,
    graph,
    runs: 100,
    seed: 42,
    shrink: false,
    properties: [property],
  });
  const [result] = report.properties;
  return {
    ok: result?.ok,
    kinds: [...new Set(result?.counterexample?.violations.map((v) => v.kind))],
    diagnosis: result?.diagnosis?.class,
  };
}

describe('mutants', () => {
  it('pins every catalogued mutant, and only those', () => {
    expect(mutantNames()).toEqual([...Object.keys(CAUGHT_BY), ...CAUGHT_BETWEEN_SESSIONS].sort());
  });

  // What the comment at the top promises: a mutant folder given as a path is the same design.
  it('loads a mutant folder given as a path with the design it extends', () => {
    const byPath = loadDesign(join(packageRoot(), 'sql', 'mutants', 'insert-only'));
    expect(byPath.builtin).toBe(false);
    expect(byPath.files).toEqual(loadMutant('insert-only').files);
    expect(byPath.files.map((f) => f.path).some((p) => p.includes(join('designs', 'robust')))).toBe(true);
  });

  it.each(Object.entries(CAUGHT_BY))(
    '%s is caught by its property, violation kind and diagnosis',
    async (name, { property, kind, diagnosis }) => {
      expect(await verdictOn(loadMutant(name), property)).toEqual({ ok: false, kinds: [kind], diagnosis });
    },
  );

  // The user design of the `check --design PATH` contract, shared beside the repository
  // (../shared/examples). The per-row-no-dedup mutant is that file byte for byte, so that a clone
  // without ../shared checks it too.
  const shared = join(packageRoot(), '..', 'shared', 'examples', 'per-row-no-dedup.sql');
  const fixture = join(packageRoot(), 'sql', 'mutants', 'per-row-no-dedup', '10-per-row-no-dedup.sql');
  it('rejects the shared user design, loaded unchanged, as EXTRA bumps', async () => {
    const design = loadDesign(existsSync(shared) ? shared : fixture);
    expect(await verdictOn(design, 'batch')).toEqual({ ok: false, kinds: ['EXTRA'], diagnosis: 'per-row' });
  });
  it.skipIf(!existsSync(shared))('keeps its copy of the shared user design identical to ../shared', () => {
    expect(readFileSync(fixture, 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
