import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/designs.js';
import { seedGraph } from '../../src/engine/domain-file.js';
import { counterexampleScript } from '../../src/report/counterexample.js';
import { BUMP_PROPERTIES } from '../../src/spec/properties.js';
import { checkDesign } from '../../src/verify/check.js';

// The corrected design must keep the promise for every workload class. 100 runs per class of the
// original fourteen here (1,400 in all), 40 for each class of the newer kinds of write, whose
// statements cost more; `npm run check:long` runs 1,000 of every class.
const NEWER = [
  'from-table',
  'on-conflict-do-nothing',
  'merge',
  'prepared',
  'base-sync',
  'foreign-key-cascade',
  'copy',
];

async function holds(properties: string[], runs: number) {
  const report = await checkDesign({
    design: loadDesign('robust'),
    graph: seedGraph(),
    runs,
    seed: 42,
    properties,
  });
  const failures = report.properties
    .filter((p) => !p.ok)
    .map((p) => `${p.name}:\n${p.counterexample && counterexampleScript(p.counterexample)}`);
  expect(failures).toEqual([]);
  expect(report.properties.every((p) => p.runs === runs)).toBe(true);
}

describe('design robust', () => {
  it('passes every one-bump-per-statement property', async () => {
    await holds(
      BUMP_PROPERTIES.map((p) => p.name).filter((p) => !NEWER.includes(p)),
      100,
    );
  });

  it('passes every property of the newer kinds of write', async () => {
    expect(NEWER.every((n) => BUMP_PROPERTIES.some((p) => p.name === n))).toBe(true);
    await holds(NEWER, 40);
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
