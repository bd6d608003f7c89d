import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseFailure } from '../../src/engine/database.js';
import { loadDesign, loadMutant } from '../../src/engine/design/designs.js';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { type SearchOptions, searchInterleavings } from '../../src/verify/concurrency-search.js';
import { useThrowawayServer } from '../support/pg-server.js';

// The deterministic scheduler on a real server. The spaces are the cache workload's 2 sessions x 2
// steps for seeds whose sessions read what the other writes (seed 13: a read of allocations as
// tenant a against an insert into tv_allocation for tenant a; seed 11: machine_overview against
// tv_machine): 15 interleavings each, every one of them run.
const server = useThrowawayServer();

const search = (url: string, design: string, o: Partial<SearchOptions> = {}) =>
  searchInterleavings({
    design: design.startsWith('mutant:') ? loadMutant(design.slice(7)) : loadDesign(design),
    graph: seedGraph(),
    url,
    sessions: 2,
    steps: 2,
    seed: 13,
    workload: 'cache',
    exhaustive: true,
    ...o,
  });

describe('concurrent sessions under the scheduler', () => {
  it('rejects the stale-set mutant with no-stale-set, a counterexample of 2 sessions and 3 units, its order diagnosed, and replays it', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const r = await search(s.url, 'mutant:stale-set');
    const c = r.counterexample;
    expect({ ok: r.ok, property: r.violations[0]?.property, kind: r.violations[0]?.kind }).toEqual({
      ok: false,
      property: 'no-stale-set',
      kind: 'STALE',
    });
    expect({ sessions: c?.sessions, units: c?.units, diagnosis: c?.diagnosis.class }).toEqual({
      sessions: 2,
      units: 3,
      diagnosis: 'stale-set',
    });
    // The order the diagnosis names: built, another session's COMMIT, then the store.
    expect(c?.run.events.map((e) => [e.session, e.outcome])).toEqual([
      [0, 'sent'],
      [0, 'paused'],
      [1, 'sent'],
      [0, 'sent'],
      [0, 'done'],
    ]);
    expect(r.replay).toContain(`--path '${c?.path}'`);
    const replayed = await search(s.url, 'mutant:stale-set', { exhaustive: false, path: c?.path ?? '' });
    expect(replayed.violations.map((v) => [v.property, v.kind, v.read, v.tenant])).toEqual(
      c?.run.violations.map((v) => [v.property, v.kind, v.read, v.tenant]),
    );
    expect(replayed.counterexample?.run.order).toEqual(c?.run.order);
  });

  it('robust with the base read path holds every interleaving of the same spaces', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    for (const seed of [13, 11]) {
      const r = await search(s.url, 'robust', { seed });
      expect({ seed, ok: r.ok, violations: r.violations, interleavings: r.interleavings }).toEqual({
        seed,
        ok: true,
        violations: [],
        interleavings: 15,
      });
    }
  });

  it('runs the same interleaving, and reports the same, for the same seed', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const run = () => search(s.url, 'robust', { sessions: 3, steps: 6, seed: 5, exhaustive: false });
    const [a, b] = [await run(), await run()];
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
  });

  // A unit that runs, waiting on no other session, past the statement timeout is a hang: exit 2,
  // naming what was in flight. Here every build sleeps 10 s against a timeout of 3 s (long enough for the server to create and install the database under load).
  it('stops a run whose unit hangs with a DatabaseFailure naming the unit in flight', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-slow-'));
    try {
      writeFileSync(
        join(dir, 'design.json'),
        '{ "description": "robust whose builds hang", "extends": "robust" }',
      );
      writeFileSync(
        join(dir, '10-slow.sql'),
        "CREATE OR REPLACE FUNCTION turbo.fn_tenant_rows(p_table regclass) RETURNS jsonb LANGUAGE sql AS $$ SELECT '[]'::jsonb FROM pg_sleep(10) $$;",
      );
      const run = searchInterleavings({
        design: loadDesign(dir),
        graph: seedGraph(),
        url: s.url,
        sessions: 2,
        steps: 2,
        seed: 13,
        workload: 'cache',
        server: { limits: { statementTimeoutMs: 3000 } },
      });
      await expect(run).rejects.toThrow(DatabaseFailure);
      await expect(run).rejects.toThrow(
        /ran for more than 3 s waiting on no other session .*in flight: session 0 step 0 "read allocations"/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
