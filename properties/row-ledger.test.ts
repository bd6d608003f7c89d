import { describe, expect, it } from 'vitest';
import { loadDesign } from '../src/engine/design/designs.js';
import { seedGraph } from '../src/engine/design/domain-file.js';
import { counterexampleScript } from '../src/report/counterexample.js';
import { checkDesign } from '../src/verify/check.js';
import { ONE_DATABASE } from '../test/support/fixtures.js';

// A second correct design, written differently from robust: the checker must accept it too, or a
// pass of robust could be an artefact of robust's own mechanism.
describe('design row-ledger', () => {
  it('passes every one-bump-per-statement property', async () => {
    const report = await checkDesign({
      design: loadDesign('row-ledger'),
      graph: seedGraph(),
      runs: 15,
      seed: 42,
      ...ONE_DATABASE,
    });
    expect(
      report.properties
        .filter((p) => !p.ok)
        .map((p) => `${p.name}:\n${p.counterexample && counterexampleScript(p.counterexample)}`),
    ).toEqual([]);
  });
});
