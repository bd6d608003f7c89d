import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/designs.js';
import { seedGraph } from '../../src/engine/domain-file.js';
import { counterexampleScript } from '../../src/report/counterexample.js';
import { BUMP_PROPERTIES } from '../../src/spec/properties.js';
import { checkDesign } from '../../src/verify/check.js';

// The corrected design must keep the promise for every workload class. 100 runs per class here
// (1,400 in all); `npm run check:long` runs 14,000.
describe('design robust', () => {
  it('passes every one-bump-per-statement property', async () => {
    const report = await checkDesign({
      design: loadDesign('robust'),
      graph: seedGraph(),
      runs: 100,
      seed: 42,
    });
    const failures = report.properties
      .filter((p) => !p.ok)
      .map((p) => `${p.name}:\n${p.counterexample && counterexampleScript(p.counterexample)}`);
    expect(failures).toEqual([]);
    expect(report.properties.map((p) => p.name)).toEqual(BUMP_PROPERTIES.map((p) => p.name));
    expect(report.properties.every((p) => p.runs === 100)).toBe(true);
  });

  it('passes with a transitive cascade read from tb_domain_dependency', async () => {
    const graph = { ...seedGraph(), transitive: true };
    const report = await checkDesign({
      design: loadDesign('robust'),
      graph,
      runs: 25,
      seed: 7,
      properties: ['mixed', 'writable-cte'],
    });
    expect(
      report.properties
        .filter((p) => !p.ok)
        .map((p) => p.counterexample && counterexampleScript(p.counterexample)),
    ).toEqual([]);
  });
});
