import { describe, expect, it } from 'vitest';
import { type Database, sqlError } from '../../src/engine/database.js';
import { harnessFinding } from '../../src/engine/harness.js';
import { planWorkload } from '../../src/model/model.js';
import type { Workload } from '../../src/model/workload.js';
import { A as a, B as b, graph, runWorkload, useSimulators } from '../support/fixtures.js';

const sim = useSimulators(['seed', 'robust']);

async function fresh(design: string): Promise<Database> {
  await sim(design).reset();
  await sim(design).db.exec('DELETE FROM turbo.tb_cache_read_log');
  return sim(design).db;
}

const detail =
  "turbo.fn_get_cached_response('contract_detail', 'all', 'price', 'turbo.fn_build_contract_detail', '{}')";
const lastOutcome = async (db: Database) =>
  (
    await db.query<{ outcome: string }>(
      'SELECT outcome FROM turbo.tb_cache_read_log ORDER BY id DESC LIMIT 1',
    )
  )[0]?.outcome;

describe('fn_get_cached_response', () => {
  it('misses, hits, and misses again after a write bumps its domain; a tenant with no version row reads at 0', async () => {
    const db = await fresh('robust');
    await db.exec(`SET app.tenant_id = '${a}'`);
    const read = async () =>
      (await db.query<{ r: { prices: unknown[] } }>(`SELECT ${detail}::jsonb AS r`))[0]?.r;
    expect((await read())?.prices).toEqual([]);
    expect(await db.query('SELECT cache_version::text AS v FROM turbo.tb_graphql_cache')).toEqual([
      { v: '0' },
    ]);
    expect(await lastOutcome(db)).toBe('miss');
    await read();
    expect(await lastOutcome(db)).toBe('hit');
    await db.exec(`INSERT INTO tv_price (id, tenant_id, data) VALUES (1, '${a}', '{}')`);
    expect((await read())?.prices).toHaveLength(1);
    expect(await lastOutcome(db)).toBe('miss');
  });

  it('keeps tenants apart and says when app.tenant_id is missing', async () => {
    const db = await fresh('robust');
    await db.exec(`SET app.tenant_id = '${b}'`);
    expect((await db.query<{ t: string }>(`SELECT ${detail}::jsonb ->> 'tenant' AS t`))[0]?.t).toBe(b);
    await db.exec('RESET app.tenant_id');
    await expect(db.query(`SELECT ${detail}`)).rejects.toThrow(/app.tenant_id is not set/);
    await db.exec(`SET app.tenant_id = '${a}'`);
    await expect(
      db.query("SELECT turbo.fn_get_cached_response('x', 'all', 'price', 'turbo.no_such_builder', '{}')"),
    ).rejects.toThrow(/unknown builder function turbo.no_such_builder/);
  });
});

describe('TurboRouter', () => {
  const hash = "(SELECT query_hash FROM turbo.tb_turbo_query WHERE operation_name = 'GetUserProfile')";

  it('binds GraphQL variables by param_mapping and counts executions', async () => {
    const db = await fresh('robust');
    await db.exec(
      `SET app.tenant_id = '${a}'; INSERT INTO tv_user (id, tenant_id, data) VALUES (7, '${a}', '{"name": "x"}')`,
    );
    const [r] = await db.query<{ r: { user: { id: number } } }>(
      `SELECT turbo.fn_execute_turbo_query(${hash}, '{"id": 7}')::jsonb AS r`,
    );
    expect(r?.r.user).toEqual({ id: 7, data: { name: 'x' } });
    const [c] = await db.query<{ n: string }>('SELECT execution_count::text AS n FROM turbo.tb_turbo_query');
    expect(c?.n).toBe('1');
  });

  it('rejects an unknown hash, an inactive query and a missing variable with a clear error', async () => {
    const db = await fresh('robust');
    await db.exec(`SET app.tenant_id = '${a}'`);
    await expect(db.query("SELECT turbo.fn_execute_turbo_query('nope', '{}')")).rejects.toThrow(
      /unknown TurboRouter query hash nope/,
    );
    await expect(db.query(`SELECT turbo.fn_execute_turbo_query(${hash}, '{}')`)).rejects.toThrow(
      /needs variable \$id/,
    );
    await db.exec('UPDATE turbo.tb_turbo_query SET is_active = false');
    try {
      await expect(db.query(`SELECT turbo.fn_execute_turbo_query(${hash}, '{"id": 1}')`)).rejects.toThrow(
        /GetUserProfile .* is not active/,
      );
    } finally {
      await db.exec('UPDATE turbo.tb_turbo_query SET is_active = true, execution_count = 0');
    }
  });
});

// The coherence findings of docs/coherence.md, each as the smallest workload that shows it.
describe('coherence findings', () => {
  const read = (r: string, tenant = 0) => ({ kind: 'read' as const, read: r, tenant });
  async function verdict(design: string, w: Workload) {
    await fresh(design);
    return runWorkload(sim(design), w, { kind: 'paused', pauseMs: 1, judge: 'reads' });
  }

  it('C1 the published MAX-of-versions check serves a multi-domain response stale; the sum does not', async () => {
    const w: Workload = [
      { kind: 'statement', write: { kind: 'insert', domain: 'allocation', tenants: [0, 0] } },
      { kind: 'statement', write: { kind: 'insert', domain: 'allocation', tenants: [0] } },
      { kind: 'statement', write: read('machine_overview') },
      { kind: 'statement', write: { kind: 'insert', domain: 'maintenance', tenants: [0] } },
      { kind: 'statement', write: read('machine_overview') },
    ];
    expect((await verdict('seed', w))?.violations.map((v) => v.kind)).toEqual(['STALE']);
    expect((await verdict('robust', w))?.ok).toBe(true);
  });

  it('C2 a read between two writes in one DO block is served stale by the seed (one key per message)', async () => {
    const ins = { kind: 'insert' as const, domain: 'price', tenants: [0] };
    const w: Workload = [
      { kind: 'do', writes: [ins, read('contract_detail'), ins, read('contract_detail')] },
    ];
    expect((await verdict('seed', w))?.violations.map((v) => v.kind)).toEqual(['STALE']);
    expect((await verdict('robust', w))?.ok).toBe(true);
  });

  it('C3 a response that reads two cascade levels down is stale under the one-level cascade, for every design', async () => {
    for (const design of ['seed', 'robust']) {
      const db = await fresh(design);
      const q =
        "turbo.fn_get_cached_response('deep', 'all', 'allocation', 'turbo.fn_build_allocations_with_items', '{}')::jsonb";
      await db.exec(`SET app.tenant_id = '${a}'`);
      await db.query(`SELECT ${q}`);
      await db.exec(`INSERT INTO tv_contract_item (id, tenant_id, data) VALUES (1, '${a}', '{}')`);
      const [r] = await db.query<{ items: unknown[] }>(`SELECT (${q}) -> 'items' AS items`);
      expect(r?.items, design).toEqual([]);
      expect(await lastOutcome(db), design).toBe('hit');
    }
  });
});

// STALE and LEAK reach the verdict by SQLSTATE and a JSON detail, never by the message text: a design
// whose own error merely says "turbo-sim STALE" is an ERROR, not a stale read.
describe('harness findings', () => {
  it('raises a stale read as SQLSTATE TS001 with what was served and what is fresh', async () => {
    const db = await fresh('seed');
    const w: Workload = [
      { kind: 'statement', write: { kind: 'insert', domain: 'allocation', tenants: [0] } },
      { kind: 'statement', write: { kind: 'read', read: 'machine_overview', tenant: 0 } },
      { kind: 'statement', write: { kind: 'insert', domain: 'maintenance', tenants: [0] } },
    ];
    expect((await runWorkload(sim('seed'), w, { kind: 'paused', pauseMs: 1, judge: 'reads' })).ok).toBe(true);
    const error = await db
      .exec(
        `SELECT turbo_sim.fn_checked_read('${a}', 'machine_overview', ARRAY['allocation', 'maintenance'], 'turbo.fn_build_machine_overview')`,
      )
      .then(() => null, sqlError);
    expect(error?.code).toBe('TS001');
    expect(harnessFinding(error ?? { message: '' })?.kind).toBe('STALE');
    expect(Object.keys(JSON.parse(error?.detail ?? '{}')).sort()).toEqual([
      'fresh',
      'read',
      'served',
      'tenant',
    ]);
  });

  it('judges an error that only says "turbo-sim STALE" as an ERROR', async () => {
    await fresh('robust');
    const plan = planWorkload(graph, []);
    const forged = "DO $$ BEGIN RAISE EXCEPTION 'turbo-sim STALE: forged'; END $$";
    plan.messages.push({
      sql: forged,
      parts: [forged],
      statements: [],
      expectError: false,
      versions: new Map(),
    });
    const v = await sim('robust').runPlan(plan, { kind: 'paused', pauseMs: 1, judge: 'reads' });
    expect(v.violations.map((x) => x.kind)).toEqual(['ERROR']);
  });
});
