import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../src/designs.js';
import { seedGraph } from '../src/domain-graph.js';
import { planWorkload } from '../src/model.js';
import { Simulator } from '../src/simulator.js';

describe('smoke', () => {
  const graph = seedGraph();
  let seed: Simulator;
  let robust: Simulator;
  beforeAll(async () => {
    [seed, robust] = await Promise.all([
      Simulator.create(loadDesign('seed'), graph),
      Simulator.create(loadDesign('robust'), graph),
    ]);
  });
  afterAll(async () => {
    await seed?.close();
    await robust?.close();
  });
  it('runs', async () => {
    const plan = planWorkload(graph, [
      { kind: 'statement', write: { kind: 'insert', domain: 'contract', tenants: [0, 0, 1] } },
      {
        kind: 'message',
        writes: [
          { kind: 'insert', domain: 'machine', tenants: [0] },
          { kind: 'update', domain: 'machine', where: { kind: 'all' }, moveTo: 2 },
        ],
      },
      { kind: 'statement', write: { kind: 'truncate', domains: ['contract', 'machine'] } },
      {
        kind: 'transaction',
        items: [
          { kind: 'insert', domain: 'user', tenants: [1] },
          {
            kind: 'savepoint',
            writes: [{ kind: 'delete', domain: 'user', where: { kind: 'all' } }],
            end: 'rollback',
          },
        ],
        end: 'commit',
      },
      {
        kind: 'statement',
        write: {
          kind: 'cte',
          parts: [
            { kind: 'insert', domain: 'contract_item', tenants: [0] },
            { kind: 'insert', domain: 'contract', tenants: [0] },
          ],
        },
      },
      {
        kind: 'statement',
        write: {
          kind: 'upsert',
          domain: 'contract',
          rows: [
            { existing: 0, tenant: 1 },
            { existing: null, tenant: 1 },
          ],
        },
      },
      { kind: 'statement', write: { kind: 'insert', domain: 'price', tenants: [0, 1], failing: true } },
      {
        kind: 'function',
        writes: [
          { kind: 'insert', domain: 'price', tenants: [0] },
          { kind: 'insert', domain: 'price', tenants: [0] },
        ],
      },
    ]);
    for (const m of plan.messages)
      console.log(m.sql, JSON.stringify(m.statements.map((s) => s.bumps.length)));
    const r1 = await robust.runPlan(plan);
    console.log('robust', JSON.stringify(r1, null, 1));
    await seed.reset();
    const r2 = await seed.runPlan(plan);
    console.log('seed', JSON.stringify(r2, null, 1));
    expect(r1.ok).toBe(true);
  });
});
