import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { workloadArbitraries } from '../../src/model/arbitraries.js';
import { planWorkload } from '../../src/model/model.js';
import { pairKey, type Versions } from '../../src/model/versions.js';
import { type Step, TENANTS, type Workload, type Write } from '../../src/model/workload.js';

const graph = seedGraph();
const [a, b] = TENANTS as [string, string, string];
const finalVersions = (w: Workload): Versions =>
  planWorkload(graph, w).messages.at(-1)?.versions ?? new Map();
const stmt = (write: Write): Step => ({ kind: 'statement', write });

describe('reference model', () => {
  it('bumps each touched tenant once per statement, cascade included, whatever the row count', () => {
    const plan = planWorkload(graph, [stmt({ kind: 'insert', domain: 'contract', tenants: [0, 0, 0, 1] })]);
    const [st] = plan.messages[0]?.statements ?? [];
    expect(st?.bumps).toEqual(
      ['allocation', 'contract', 'contract_item', 'price']
        .flatMap((d) => [pairKey(a, d), pairKey(b, d)])
        .sort(),
    );
  });

  it('bumps nothing for a statement that touches no row', () => {
    const plan = planWorkload(graph, [
      stmt({ kind: 'insert', domain: 'price', tenants: [] }),
      stmt({ kind: 'update', domain: 'price', where: { kind: 'none' } }),
      stmt({ kind: 'delete', domain: 'price', where: { kind: 'all' } }),
      stmt({ kind: 'truncate', domains: ['price'] }),
    ]);
    expect(plan.messages.flatMap((m) => m.statements.flatMap((s) => s.bumps))).toEqual([]);
  });

  it('bumps old and new tenant when an UPDATE moves a row', () => {
    const plan = planWorkload(graph, [
      stmt({ kind: 'insert', domain: 'price', tenants: [0] }),
      stmt({ kind: 'update', domain: 'price', where: { kind: 'all' }, moveTo: 1 }),
    ]);
    expect(plan.messages[1]?.statements[0]?.bumps).toEqual([pairKey(a, 'price'), pairKey(b, 'price')]);
  });

  it('counts each statement of a message, a DO block and a loop', () => {
    const ins: Write = { kind: 'insert', domain: 'price', tenants: [0] };
    for (const step of [
      { kind: 'message', writes: [ins, ins, ins] },
      { kind: 'do', writes: [ins, ins, ins] },
      { kind: 'function', writes: [ins, ins, ins] },
      { kind: 'loop', domain: 'price', tenant: 0, times: 3 },
    ] as Step[]) {
      expect(finalVersions([step]).get(pairKey(a, 'price'))).toBe(3);
    }
  });

  it('undoes a whole message when one of its statements fails', () => {
    const plan = planWorkload(graph, [
      {
        kind: 'message',
        writes: [
          { kind: 'insert', domain: 'price', tenants: [0] },
          { kind: 'insert', domain: 'user', tenants: [1], failing: true },
        ],
      },
    ]);
    expect(plan.messages[0]?.expectError).toBe(true);
    expect(plan.messages[0]?.versions.size).toBe(0);
    expect(plan.rows.get('price')?.size).toBe(0);
  });

  it('bumps a pair once when two CTE parts cascade to it', () => {
    const plan = planWorkload(graph, [
      stmt({
        kind: 'cte',
        parts: [
          { kind: 'insert', domain: 'contract_item', tenants: [0] },
          { kind: 'insert', domain: 'contract', tenants: [0] },
        ],
      }),
    ]);
    const bumps = plan.messages[0]?.statements[0]?.bumps ?? [];
    expect(bumps).toEqual(['allocation', 'contract', 'contract_item', 'price'].map((d) => pairKey(a, d)));
    expect(plan.messages[0]?.sql).toMatch(
      /^WITH w1 AS \(INSERT INTO tv_contract_item .*\) INSERT INTO tv_contract /,
    );
  });

  it('rolls back to a savepoint and to the start of a transaction', () => {
    const ins: Write = { kind: 'insert', domain: 'price', tenants: [0] };
    const plan = planWorkload(graph, [
      {
        kind: 'transaction',
        items: [ins, { kind: 'savepoint', writes: [ins, ins], end: 'rollback' }, ins],
        end: 'commit',
      },
      { kind: 'transaction', items: [ins, ins], end: 'rollback' },
    ]);
    expect(plan.messages.map((m) => m.sql.split(' ')[0])).toEqual([
      'BEGIN',
      'INSERT',
      'SAVEPOINT',
      'INSERT',
      'INSERT',
      'ROLLBACK',
      'INSERT',
      'COMMIT',
      'BEGIN',
      'INSERT',
      'INSERT',
      'ROLLBACK',
    ]);
    expect(plan.messages.map((m) => m.versions.get(pairKey(a, 'price')) ?? 0)).toEqual([
      0, 1, 1, 2, 3, 1, 2, 2, 2, 3, 4, 2,
    ]);
  });

  // Metamorphic properties of the model itself: they hold for every workload, so a mistake in the
  // specification cannot hide behind a design that happens to agree with it.
  const arb = workloadArbitraries(graph);
  const writes = fc.array(arb.plain, { minLength: 1, maxLength: 6 });

  test.prop([writes], { numRuns: 200 })(
    'grouping statements into one message or DO block changes no version',
    (ws) => {
      const apart = finalVersions(ws.map(stmt));
      expect(finalVersions([{ kind: 'message', writes: ws }])).toEqual(apart);
      expect(finalVersions([{ kind: 'do', writes: ws }])).toEqual(apart);
    },
  );

  test.prop([arb.workload(arb.statement(arb.any)), writes], { numRuns: 200 })(
    'a rolled-back transaction leaves versions and rows as they were',
    (w, ws) => {
      const before = planWorkload(graph, w);
      const after = planWorkload(graph, [...w, { kind: 'transaction', items: ws, end: 'rollback' }]);
      expect(after.messages.at(-1)?.versions ?? new Map()).toEqual(
        before.messages.at(-1)?.versions ?? new Map(),
      );
      expect(after.rows).toEqual(before.rows);
    },
  );

  test.prop([arb.workload(arb.statement(arb.any))], { numRuns: 200 })(
    'every version equals the number of statements that had to bump it',
    (w) => {
      const plan = planWorkload(graph, w);
      const counted = new Map<string, number>();
      for (const m of plan.messages) {
        if (m.expectError) continue;
        for (const s of m.statements) for (const k of s.bumps) counted.set(k, (counted.get(k) ?? 0) + 1);
      }
      expect(plan.messages.at(-1)?.versions ?? new Map()).toEqual(counted);
    },
  );
});
