import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { installObserver } from '../../src/engine/statement-observer.js';
import { TENANTS } from '../../src/model/workload.js';
import type { MessageReport, ScenarioReport } from '../../src/verify/scenario.js';
import { Simulator } from '../../src/verify/simulator.js';
import { runTypedOn } from '../../src/verify/typed.js';

// Typed messages (the playground's) judged by the statement observer: what each statement kind must
// bump, checked against the specification on the design that keeps it (robust) and the one that
// does not (seed). One database per design for the file.

const [A, B] = TENANTS as [string, string];
const insert = (id: number, tenant = A, table = 'tv_allocation') =>
  `INSERT INTO ${table} (id, tenant_id) VALUES (${id}, '${tenant}')`;
const doBlock = `DO $$ BEGIN ${insert(1)}; ${insert(2)}; END $$`;

/** (pair, expected, observed) per message, pairs as the text report writes them (a/allocation). */
const account = (r: ScenarioReport) =>
  r.steps
    .filter((s): s is MessageReport => s.kind === 'message')
    .map((m) => m.versions.map((v) => `${v.tenant.slice(-1)}/${v.domain} ${v.expected} ${v.after}`));

describe('typed messages judged by the statement observer', () => {
  const sims: Record<string, Simulator> = {};
  beforeAll(async () => {
    for (const name of ['seed', 'robust']) {
      const sim = await Simulator.create(loadDesign(name), seedGraph());
      await installObserver(sim.db);
      sims[name] = sim;
    }
  });
  afterAll(async () => {
    for (const sim of Object.values(sims)) await sim.close();
  });
  const run = (design: string, messages: string[]) => runTypedOn(sims[design] as Simulator, messages);

  it('a DELETE bumps every tenant whose rows it removed, once', async () => {
    const r = await run('robust', [insert(11, A), insert(12, B), 'DELETE FROM tv_allocation']);
    const last = account(r).at(-1) ?? [];
    expect(last.filter((p) => p.includes('/allocation '))).toEqual(['a/allocation 2 2', 'b/allocation 2 2']);
    expect(r.ok).toBe(true);
  });

  it('a DO block of two INSERTs for one tenant must bump twice: the seed misses one, robust does not', async () => {
    const seed = await run('seed', [doBlock]);
    const robust = await run('robust', [doBlock]);
    expect(account(seed)).toEqual([['a/allocation 2 1']]);
    expect(seed.summary).toMatchObject({ statements: 2, expectedBumps: 2, missed: 1, extra: 0 });
    expect(account(robust)).toEqual([['a/allocation 2 2']]);
    expect(robust.ok).toBe(true);
  });

  it('counts an upsert once, a tenant move for both tenants, a cascade and a TRUNCATE per tenant', async () => {
    const r = await run('robust', [
      `${insert(1)}; ${insert(2, B)}`,
      `INSERT INTO tv_allocation (id, tenant_id) VALUES (1, '${A}'), (3, '${A}') ON CONFLICT (id) DO UPDATE SET data = '{"n":1}'`,
      `UPDATE tv_allocation SET tenant_id = '${B}' WHERE id = 3`,
      insert(1, A, 'tv_contract'),
      'TRUNCATE tv_allocation',
    ]);
    const last = (m: string[]) => m.map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(account(r).map(last)).toEqual([
      ['a/allocation 1', 'b/allocation 1'],
      ['a/allocation 2'],
      ['a/allocation 3', 'b/allocation 2'],
      expect.arrayContaining(['a/contract 1', 'a/allocation 4']),
      ['a/allocation 5', 'b/allocation 3'],
    ]);
    expect(account(r)[3]?.length).toBeGreaterThan(1); // contract cascades to its targets
    expect(r.ok).toBe(true);
  });

  it('takes back what a rolled-back transaction or savepoint did, one message per statement', async () => {
    const r = await run('robust', [
      'BEGIN',
      insert(1),
      'SAVEPOINT s',
      insert(2),
      'ROLLBACK TO SAVEPOINT s',
      'ROLLBACK',
      `BEGIN; ${insert(5)}; ${insert(6)}; COMMIT`,
    ]);
    const due = (m: MessageReport) => m.versions.map((v) => `${v.domain} ${v.expected}`);
    const messages = r.steps as MessageReport[];
    expect(messages.map(due)).toEqual([
      [],
      ['allocation 1'],
      [],
      ['allocation 2'],
      ['allocation 1'],
      ['allocation 0'],
      ['allocation 2'],
    ]);
    expect(r.ok).toBe(true);
  });

  it("reports an error as the message's answer and goes on", async () => {
    const r = await run('seed', [insert(1), insert(1), insert(2)]);
    const messages = r.steps as MessageReport[];
    expect(messages.map((m) => m.error !== null)).toEqual([false, true, false]);
    expect(account(r)).toEqual([['a/allocation 1 1'], [], ['a/allocation 2 2']]);
  });
});
