import { describe, expect, it } from 'vitest';
import { checkDesign } from '../../src/verify/check.js';
import { graph } from '../support/fixtures.js';
import { DESIGNS, type PrecisionRow, precisionRows, wrongRows } from '../support/precision.js';

// The precision table of test/pglite/precision.test.ts at full size: every property of each design,
// 100 runs, shrunk counterexamples (`npm run check:long`).
describe('diagnosis precision, every property of the table', () => {
  const rows: PrecisionRow[] = [];

  it.each(DESIGNS)('%s', async (name, load, expected) => {
    const report = await checkDesign({
      design: load(),
      graph,
      runs: 100,
      seed: 42,
      workers: 1,
      properties: Object.keys(expected),
    });
    const mine = precisionRows(name, report, expected);
    rows.push(...mine);
    expect(wrongRows(mine)).toEqual([]);
  });

  it('reports what it measured', () => {
    const unknown = rows.filter((r) => r.diagnosed === 'unknown').length;
    console.log(
      `diagnosis precision (long): ${rows.length - unknown} right, ${unknown} no known class, 0 wrong, over ${rows.length} counterexamples of ${DESIGNS.length} designs`,
    );
    expect(rows.length).toBeGreaterThan(0);
  });
});
