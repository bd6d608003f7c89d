import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { readSeries } from '../../src/report/read-chart.js';
import { versionSeries } from '../../src/report/version-chart.js';
import { SCENARIOS } from '../../src/teaching/scenarios.js';
import { runScenarioOn, type ScenarioReport } from '../../src/verify/scenario.js';
import { Simulator } from '../../src/verify/simulator.js';
import { graph, useSimulators } from '../support/fixtures.js';

// Every scenario runs on both designs, and says what it must: robust keeps the promise in all of
// them; the seed breaks it exactly where the defect catalogue says it does.
const SEED_BREAKS = ['loop-vs-batch', 'tenant-move', 'multi-statement-message', 'cache-multi-domain'];
const simulator = useSimulators(['seed', 'robust']);

it('says which read path a design judges: the base one, or its own', () => {
  expect(simulator('robust').readPath).toBe('base');
  expect(simulator('seed').readPath).toBe('design');
});

/** Every report the runs below made, by design and scenario, for the pages drawn from them. */
const reports = new Map<string, ScenarioReport>();

describe.each(['seed', 'robust'])('scenarios on %s', (design) => {
  it.each(SCENARIOS.map((s) => s.name))('%s', async (name) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    const sim = simulator(design);
    if (!scenario) throw new Error(name);
    const report = await runScenarioOn(sim, scenario);
    reports.set(`${design} ${name}`, report);
    expect(report.ok).toBe(design === 'robust' || !SEED_BREAKS.includes(name));
    expect(report.steps.filter((s) => s.kind === 'message' && s.error !== null)).toEqual([]);
    // Messages are numbered from 1, as the text ("[1]") and the HTML rows number them.
    const numbers = report.steps.flatMap((s) => (s.kind === 'message' ? [s.message] : []));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    // Reads must reach the cache (a hit or a miss was logged), never fail.
    for (const r of report.steps.filter((s) => s.kind === 'read')) {
      expect(
        r.kind === 'read' && r.error === null && r.outcome !== null,
        r.kind === 'read' ? r.title : '',
      ).toBe(true);
    }
  });
});

// The seed's MAX and robust's SUM make the same bumps in cache-multi-domain, so their version charts
// are the same; the read path's version at the last read is what parts them, and the page plots it.
it("plots what parts the seed from robust in cache-multi-domain: the read path's version, not the bumps", () => {
  const both = ['seed', 'robust'].map((d) => reports.get(`${d} cache-multi-domain`) as ScenarioReport);
  expect(both.every(Boolean)).toBe(true);
  const versions = versionSeries(both);
  expect(versions.every((v) => v.observed.every((o) => o.values.join() === v.expected.join()))).toBe(true);
  const [reads] = readSeries(both);
  expect(reads?.observed.map((o) => o.current)).toEqual([
    [2, 2, 2],
    [2, 2, 3],
  ]);
  expect(reads?.observed.map((o) => o.stale.at(-1))).toEqual([true, false]);
});

// The seed's trigger cleans its tracker when random() < 0.01, so which functions a message calls
// depended on chance; the simulator seeds random(), and a scenario reads the same every time. Two
// fresh databases prove both (a database costs more than the scenario).
it('seeds random() in every database it opens, and reports the same scenario the same way every time', async () => {
  const scenario = SCENARIOS.find((s) => s.name === 'tenant-move');
  if (!scenario) throw new Error('tenant-move');
  const draws: number[] = [];
  const reports: ScenarioReport[] = [];
  for (let i = 0; i < 2; i++) {
    const sim = await Simulator.create(loadDesign('seed'), graph);
    try {
      const [row] = await sim.db.query<{ r: number }>('SELECT random() AS r');
      draws.push(Number(row?.r));
      reports.push(await runScenarioOn(sim, scenario));
    } finally {
      await sim.close();
    }
  }
  expect(draws[1]).toBe(draws[0]);
  expect(reports[1]).toEqual(reports[0]);
});
