import { describe, expect, it } from 'vitest';
import { mutantNames } from '../../src/engine/design/designs.js';
import { checkDesign } from '../../src/verify/check.js';
import { graph } from '../support/fixtures.js';
import { DESIGNS, type PrecisionRow, precisionRows, wrongRows } from '../support/precision.js';

// How often a diagnosis names the wrong class, measured over the table of test/support/precision.ts:
// a diagnosis outside a design's classes fails; "no known class" is allowed and counted. Cheap for
// `npm test`: the first property of each design (all of txid-dedup's, the claim of issue 25),
// 10 runs, unshrunk, so the diagnosis must hold for the first failing workload as found.
// test/long/precision.long.test.ts runs every property of the table, 100 runs, shrunk.
//
// Proved once: designs whose diagnoses another file of `npm test` already pins exactly are left to
// it: every mutant (properties/mutants.test.ts, on the same first property, 100 runs), the seed and
// its on-conflict variant (test/support/published-design.ts, every failing property), and the right
// designs, which have no counterexample to diagnose (their own property suites hold every property),
// statement-per-event (test/pglite/user-designs.test.ts pins its upsert's class) and none
// (properties/seed.test.ts pins the class of every property it fails).
const PINNED_ELSEWHERE = new Set([
  ...mutantNames(),
  'seed',
  'seed-on-conflict',
  'robust',
  'row-ledger',
  'row-set',
  'statement-per-event',
  'none',
]);
const HERE = DESIGNS.filter(([name]) => !PINNED_ELSEWHERE.has(name));

describe('diagnosis precision', () => {
  const rows: PrecisionRow[] = [];

  it.each(HERE)(
    '%s: every counterexample gets a class the design has, or none',
    async (name, load, expected) => {
      const properties = name === 'txid-dedup' ? Object.keys(expected) : Object.keys(expected).slice(0, 1);
      const report = await checkDesign({
        design: load(),
        graph,
        runs: 10,
        seed: 42,
        shrink: false,
        workers: 1,
        properties,
      });
      const mine = precisionRows(name, report, expected);
      rows.push(...mine);
      expect(wrongRows(mine)).toEqual([]);
    },
  );

  it('covers at least 20 designs, and names the class where the evidence is plain', () => {
    expect(DESIGNS.length).toBeGreaterThanOrEqual(20);
    // Issue 25's claim: a txid_current() dedup is per transaction on every counterexample (the MERGE
    // tenant move is pinned in test/pglite/diagnosis.test.ts, on a fixed workload).
    const txid = rows.filter((r) => r.design === 'txid-dedup');
    expect(txid.map((r) => r.property).sort()).toEqual([
      'base-sync',
      'do-block',
      'mixed',
      'multi-statement-message',
      'prepared',
      'transaction',
    ]);
    expect(txid.every((r) => r.diagnosed === 'per-transaction')).toBe(true);
    const unknown = rows.filter((r) => r.diagnosed === 'unknown').length;
    console.log(
      `diagnosis precision: ${rows.length - unknown} right, ${unknown} no known class, 0 wrong, over ${rows.length} counterexamples of ${HERE.length} designs (the other ${DESIGNS.length - HERE.length} are pinned elsewhere)`,
    );
  });
});
