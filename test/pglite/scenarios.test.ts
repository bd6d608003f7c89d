import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
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

describe.each(['seed', 'robust'])('scenarios on %s', (design) => {
  it.each(SCENARIOS.map((s) => s.name))('%s', async (name) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    const sim = simulator(design);
    if (!scenario) throw new Error(name);
    const report = await runScenarioOn(sim, scenario);
    expect(report.ok).toBe(design === 'robust' || !SEED_BREAKS.includes(name));
    expect(report.steps.filter((s) => s.kind === 'message' && s.error !== null)).toEqual([]);
    // Reads must reach the cache (a hit or a miss was logged), never fail.
    for (const r of report.steps.filter((s) => s.kind === 'read')) {
      expect(
        r.kind === 'read' && r.error === null && r.outcome !== null,
        r.kind === 'read' ? r.title : '',
      ).toBe(true);
    }
  });
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
