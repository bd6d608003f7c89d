import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { workloadArbitraries } from '../../src/model/arbitraries.js';
import { planWorkload } from '../../src/model/model.js';
import { pairKey } from '../../src/model/versions.js';
import { type Step, TENANTS, type Workload, type Write } from '../../src/model/workload.js';

// What the specification says of the writes that read another table, meet existing rows, go
// through base tables or follow foreign keys (README, "What one bump per statement means").
const graph = seedGraph();
const [a, b] = TENANTS as [string, string, string];
const stmt = (write: Write): Step => ({ kind: 'statement', write });
const version = (w: Workload, tenant: string, domain: string) =>
  planWorkload(graph, w).messages.at(-1)?.versions.get(pairKey(tenant, domain)) ?? 0;

describe('reference model: newer kinds of write', () => {
  it('counts one tv_ statement per row for a row-level sync trigger, one per statement otherwise', () => {
    const op = { kind: 'insert' as const, tenants: [0, 0, 0] };
    expect(version([stmt({ kind: 'base', sync: 'row', domain: 'price', op })], a, 'price')).toBe(3);
    expect(version([stmt({ kind: 'base', sync: 'statement', domain: 'price', op })], a, 'price')).toBe(1);
    expect(version([stmt({ kind: 'base', sync: 'function', domain: 'price', op })], a, 'price')).toBe(1);
    // A statement-level sync of no row still runs its tv_ statement, which touches nothing.
    const none = { kind: 'delete' as const, where: { kind: 'all' as const } };
    const plan = planWorkload(graph, [stmt({ kind: 'base', sync: 'statement', domain: 'price', op: none })]);
    expect(plan.messages[0]?.statements.map((s) => s.bumps)).toEqual([[], []]);
  });

  it('bumps nothing for ON CONFLICT DO NOTHING rows that meet an existing id', () => {
    const w: Workload = [
      stmt({ kind: 'insert', domain: 'price', tenants: [0] }),
      stmt({ kind: 'insertIgnore', domain: 'price', rows: [{ existing: 0, tenant: 1 }], returning: true }),
    ];
    expect(version(w, a, 'price')).toBe(1);
    expect(version(w, b, 'price')).toBe(0);
    expect(planWorkload(graph, w).messages[1]?.sql).toMatch(
      /ON CONFLICT \(id\) DO NOTHING RETURNING id, tenant_id$/,
    );
  });

  it("MERGE's conditional clause updates a row of the same tenant and deletes another's", () => {
    const plan = planWorkload(graph, [
      stmt({ kind: 'insert', domain: 'price', tenants: [0, 1] }),
      stmt({
        kind: 'merge',
        domain: 'price',
        rows: [
          { existing: 0, tenant: 0 },
          { existing: 1, tenant: 0 },
        ],
        matched: 'updateSameTenant',
        insert: false,
      }),
    ]);
    expect(plan.rows.get('price')).toEqual(new Map([[1, a]]));
    expect(plan.messages[1]?.statements[0]?.bumps).toEqual([pairKey(a, 'price'), pairKey(b, 'price')]);
  });

  it("counts a foreign key's cascade as part of the statement that deletes or renumbers the parent", () => {
    const parentAndChild: Workload = [
      stmt({ kind: 'insert', domain: 'contract', tenants: [0] }),
      stmt({
        kind: 'insertChild',
        foreignKey: 'contract_item.contract_id',
        rows: [{ parent: 0, tenant: 1 }],
      }),
    ];
    const deleted = planWorkload(graph, [
      ...parentAndChild,
      stmt({ kind: 'delete', domain: 'contract', where: { kind: 'all' } }),
    ]);
    expect(deleted.rows.get('contract_item')?.size).toBe(0);
    const bumps = deleted.messages[2]?.statements[0]?.bumps ?? [];
    expect(bumps).toContain(pairKey(b, 'contract_item'));
    expect(new Set(bumps).size).toBe(bumps.length);
    const renumbered = planWorkload(graph, [
      ...parentAndChild,
      stmt({ kind: 'rekey', domain: 'contract', where: { kind: 'all' } }),
      stmt({ kind: 'delete', domain: 'contract', where: { kind: 'all' } }),
    ]);
    expect(renumbered.messages[2]?.statements[0]?.bumps).toContain(pairKey(b, 'contract_item'));
    expect(renumbered.rows.get('contract_item')?.size).toBe(0);
  });

  it('truncates a referenced table with CASCADE, emptying the tables that reference it', () => {
    const plan = planWorkload(graph, [
      stmt({ kind: 'insert', domain: 'contract_item', tenants: [1] }),
      stmt({ kind: 'truncate', domains: ['contract'] }),
    ]);
    expect(plan.messages[1]?.sql).toBe('TRUNCATE tv_contract CASCADE');
    expect(plan.messages[1]?.statements[0]?.bumps).toContain(pairKey(b, 'contract_item'));
  });

  it('sends prepared statements with their literals as parameters, each text prepared once', () => {
    const update: Write = { kind: 'update', domain: 'price', where: { kind: 'tenant', tenant: 0 } };
    const [prepared] = planWorkload(graph, [
      { kind: 'prepared', writes: [update, update], via: 'prepare' },
    ]).messages;
    expect(prepared?.sql.match(/^PREPARE /gm)?.length).toBe(1);
    expect(prepared?.sql.match(/^EXECUTE /gm)?.length).toBe(2);
    const [bound] = planWorkload(graph, [{ kind: 'prepared', writes: [update], via: 'bind' }]).messages;
    expect(bound?.binds).toEqual([
      { sql: 'UPDATE tv_price SET data = $1 WHERE tenant_id = $2', params: ['{"n":1}', a] },
    ]);
  });

  const arb = workloadArbitraries(graph);
  const step = fc.oneof(arb.statement(arb.every), arb.prepared(arb.every), arb.transaction(arb.every));
  test.prop([arb.workload(step)], { numRuns: 200 })(
    'every version equals the number of statements that had to bump it, nested sync statements included',
    (w) => {
      const plan = planWorkload(graph, w);
      const counted = new Map<string, number>();
      const undone = new Set(plan.messages.flatMap((m) => m.undoes ?? []));
      for (const m of plan.messages) {
        if (m.expectError) continue;
        for (const s of m.statements) for (const k of s.bumps) counted.set(k, (counted.get(k) ?? 0) + 1);
      }
      // A rolled-back transaction's bumps are counted above but gone from the versions.
      const versions = plan.messages.at(-1)?.versions ?? new Map();
      for (const [k, v] of versions) expect(v).toBeLessThanOrEqual(counted.get(k) ?? 0);
      for (const [k, v] of counted) if (!undone.has(k)) expect(versions.get(k) ?? 0).toBe(v);
    },
  );
});
