import { describe, expect, it } from 'vitest';
import { checkDesign } from '../src/check.js';
import { loadDesign } from '../src/designs.js';
import { seedGraph } from '../src/domain-graph.js';

// A second correct design, written differently from robust: the checker must accept it too, or a
// pass of robust could be an artefact of robust's own mechanism.
describe('design row-ledger', () => {
  it('passes every one-bump-per-statement property', async () => {
    const report = await checkDesign({
      design: loadDesign('row-ledger'),
      graph: seedGraph(),
      runs: 30,
      seed: 42,
    });
    expect(
      report.properties.filter((p) => !p.ok).map((p) => `${p.name}:\n${p.counterexample?.script}`),
    ).toEqual([]);
  });
});
