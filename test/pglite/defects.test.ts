import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { planWorkload } from '../../src/model/model.js';
import type { Step, Workload } from '../../src/model/workload.js';
import { Simulator } from '../../src/verify/simulator.js';
import type { Violation } from '../../src/verify/verdict.js';
import { A as a, B as b, graph, PAUSED, runWorkload, useSimulators } from '../support/fixtures.js';

// One test per entry of docs/defects.md: the minimal workload, and exactly what the published
// designs do with it. Each entry also runs on robust, which must get it right.
const designs = ['seed', 'seed-on-conflict', 'robust'] as const;
const sim = useSimulators(designs);

async function verdict(design: string, workload: Workload, observe: 'each' | 'end' = 'each') {
  return runWorkload(sim(design), workload, observe === 'each' ? PAUSED : { kind: 'back-to-back' });
}

const pairs = (vs: Violation[]) =>
  vs.map(
    (v) =>
      `${v.kind} ${v.tenant === a ? 'a' : v.tenant === b ? 'b' : v.tenant}/${v.domain} ${v.expected}->${v.observed}`,
  );
const insert = (domain: string, tenants: number[]): Step => ({
  kind: 'statement',
  write: { kind: 'insert', domain, tenants },
});

const entries: { id: string; workload: Workload; seed: string[]; observe?: 'each' | 'end' }[] = [
  {
    id: 'D1 statements in one message share one tracker key',
    workload: [
      {
        kind: 'message',
        writes: [
          { kind: 'insert', domain: 'price', tenants: [0] },
          { kind: 'insert', domain: 'price', tenants: [0] },
        ],
      },
    ],
    seed: ['MISSED a/price 2->1'],
  },
  {
    id: 'D2 statements in a DO block share one tracker key',
    workload: [{ kind: 'loop', domain: 'price', tenant: 0, times: 1000 }],
    seed: ['MISSED a/price 1000->1'],
  },
  {
    id: 'D2 statements in a function share one tracker key',
    workload: [
      {
        kind: 'function',
        writes: [
          { kind: 'delete', domain: 'price', where: { kind: 'all' } },
          { kind: 'insert', domain: 'price', tenants: [0] },
          { kind: 'insert', domain: 'price', tenants: [0] },
        ],
      },
    ],
    seed: ['MISSED a/price 2->1'],
  },
  {
    id: 'D4 an UPDATE that moves a row to another tenant bumps only the new tenant',
    workload: [
      insert('price', [0]),
      { kind: 'statement', write: { kind: 'update', domain: 'price', where: { kind: 'all' }, moveTo: 1 } },
    ],
    seed: ['MISSED a/price 2->1'],
  },
  {
    id: 'D5 TRUNCATE fires no row trigger',
    workload: [
      insert('price', [0, 1]),
      { kind: 'statement', write: { kind: 'truncate', domains: ['price'] } },
    ],
    seed: ['MISSED a/price 2->1', 'MISSED b/price 2->1'],
  },
  {
    id: 'D6 an upsert that re-tenants a row bumps only the new tenant',
    workload: [
      insert('price', [0]),
      { kind: 'statement', write: { kind: 'upsert', domain: 'price', rows: [{ existing: 0, tenant: 1 }] } },
    ],
    seed: ['MISSED a/price 2->1'],
  },
  {
    id: 'D7 a writable CTE writing contract_item before contract skips the contract cascade',
    workload: [
      {
        kind: 'statement',
        write: {
          kind: 'cte',
          // The primary statement runs before an unreferenced data-modifying CTE, so contract_item's
          // rows reach the trigger first.
          parts: [
            { kind: 'insert', domain: 'contract', tenants: [0] },
            { kind: 'insert', domain: 'contract_item', tenants: [0] },
          ],
        },
      },
    ],
    seed: ['MISSED a/allocation 1->0'],
  },
  {
    id: 'D14 the tv_ statements of a row-level sync trigger share one tracker key',
    workload: [
      {
        kind: 'statement',
        write: { kind: 'base', sync: 'row', domain: 'price', op: { kind: 'insert', tenants: [0, 0, 0] } },
      },
    ],
    seed: ['MISSED a/price 3->1'],
  },
];

describe.each(entries)('$id', ({ workload, seed, observe }) => {
  it.each(['seed', 'seed-on-conflict'])('%s breaks it', async (design) => {
    const v = await verdict(design, workload, observe);
    expect(pairs(v.violations)).toEqual(seed);
  });
  it('robust keeps it', async () => {
    expect((await verdict('robust', workload, observe)).violations).toEqual([]);
  });
});

describe('D3 back-to-back statements under a millisecond clock (PGlite only)', () => {
  it.each(['seed', 'seed-on-conflict'])(
    '%s misses some of 40 one-row INSERTs sent with no pause',
    async (design) => {
      // Two of the 40 must share a millisecond: on a machine so loaded that each statement takes
      // more than one, none do, so it gets several tries, as the back-to-back property does.
      const workload = Array.from({ length: 40 }, () => insert('price', [0]));
      let v = await verdict(design, workload, 'end');
      for (let attempt = 1; attempt < 20 && v.ok; attempt++) v = await verdict(design, workload, 'end');
      expect(v.violations).toHaveLength(1);
      expect(v.violations[0]).toMatchObject({ kind: 'MISSED', tenant: a, domain: 'price', expected: 40 });
      expect(v.violations[0]?.observed).toBeLessThan(40);
    },
  );
  it('robust counts all 40', async () => {
    expect(
      (
        await verdict(
          'robust',
          Array.from({ length: 40 }, () => insert('price', [0])),
          'end',
        )
      ).ok,
    ).toBe(true);
  });
});

describe('D8 one-level cascade: a contract_item write never reaches allocation', () => {
  it('seed bumps allocation only under the one-level reading, so a transitive graph rejects it', async () => {
    const transitive = { ...graph, transitive: true };
    const seed = await Simulator.create(loadDesign('seed'), transitive);
    try {
      const v = await seed.runPlan(planWorkload(transitive, [insert('contract_item', [0])]), PAUSED);
      expect(pairs(v.violations)).toEqual(['MISSED a/allocation 1->0']);
    } finally {
      await seed.close();
    }
  });
});

describe('seed monitoring, tracker and cleanup', () => {
  async function seedDb() {
    const seed = sim('seed');
    await seed.reset();
    await seed.db.exec('TRUNCATE turbo.tb_statement_version_tracker');
    return seed.db;
  }

  it('D9 the batch efficiency view counts tracker rows (tenants), not rows: a 1000-row batch is "SINGLE"', async () => {
    const db = await seedDb();
    await db.exec(
      planWorkload(graph, [
        insert(
          'price',
          Array.from({ length: 1000 }, () => 0),
        ),
      ]).messages[0]?.sql ?? '',
    );
    const [row] = await db.query<{ avg_batch_size: string; efficiency_assessment: string }>(
      "SELECT avg_batch_size::text, efficiency_assessment FROM turbo.v_batch_efficiency_report WHERE domain = 'price'",
    );
    expect(row).toEqual({ avg_batch_size: '1.00', efficiency_assessment: 'SINGLE - No batching benefit' });
  });

  it("D10 scheduled maintenance looks for 'SINGLE' but the view says 'SINGLE - No batching benefit': the warning never fires", async () => {
    const db = await seedDb();
    await db.exec(planWorkload(graph, [insert('price', [0])]).messages[0]?.sql ?? '');
    const single = await db.query(
      "SELECT 1 FROM turbo.v_batch_efficiency_report WHERE efficiency_assessment LIKE 'SINGLE%'",
    );
    expect(single).toHaveLength(1);
    const tasks = await db.query<{ maintenance_task: string }>(
      'SELECT maintenance_task FROM turbo.fn_scheduled_maintenance()',
    );
    expect(tasks.map((t) => t.maintenance_task)).not.toContain('Efficiency Warning');
  });

  it('D11 the health view reports the minutes field of the age, not the age: 65 minutes reads as 5', async () => {
    const db = await seedDb();
    await db.exec(planWorkload(graph, [insert('price', [0])]).messages[0]?.sql ?? '');
    await db.exec("UPDATE turbo.tb_statement_version_tracker SET created_at = now() - interval '65 minutes'");
    const [row] = await db.query<{ oldest_age_minutes: string; freshness_status: string }>(
      'SELECT oldest_age_minutes::text, freshness_status FROM turbo.v_statement_tracker_health',
    );
    expect(row).toEqual({ oldest_age_minutes: '5', freshness_status: 'STALE' });
  });

  it('D12 the tracker keeps one row per statement, tenant and domain until a random 1% cleanup removes rows over 5 minutes old', async () => {
    const db = await seedDb();
    const plan = planWorkload(graph, [insert('contract', [0, 1]), insert('contract', [0])]);
    for (const m of plan.messages) {
      await db.exec(m.sql);
      await new Promise((r) => setTimeout(r, 2));
    }
    // 2 tenants x (contract + 3 targets), then 1 tenant x 4: every bump leaves a row behind.
    const count = async () =>
      Number(
        (
          await db.query<{ n: string }>('SELECT count(*)::text AS n FROM turbo.tb_statement_version_tracker')
        )[0]?.n,
      );
    expect(await count()).toBe(12);
    const [cleaned] = await db.query<{ rows_deleted: number }>(
      'SELECT rows_deleted FROM turbo.fn_cleanup_statement_tracker()',
    );
    expect(cleaned?.rows_deleted).toBe(0);
    await db.exec(
      "UPDATE turbo.tb_statement_version_tracker SET created_at = now() - interval '6 minutes' WHERE tenant_id = '" +
        b +
        "'",
    );
    const [again] = await db.query<{ rows_deleted: number }>(
      'SELECT rows_deleted FROM turbo.fn_cleanup_statement_tracker()',
    );
    expect(again?.rows_deleted).toBe(4);
    expect(await count()).toBe(8);
  });
});
