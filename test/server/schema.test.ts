import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { discoverSchema } from '../../src/engine/design/discover.js';
import { loadDomainGraph } from '../../src/engine/design/domain-file.js';
import { openPostgres } from '../../src/engine/postgres/adapter.js';
import { checkDesign } from '../../src/verify/check.js';
import { useThrowawayServer } from '../support/pg-server.js';
import { replayWithPsql, reproduces } from '../support/replay.js';

// --schema on PostgreSQL 15: the FraiseQL-style pg_dump loads on a server where its roles do not
// exist, the adapted seed is rejected with D1 and its counterexample replays with psql over the
// dump itself, and the fixture's correct design is accepted (on two databases side by side).
const server = useThrowawayServer();
const F = 'test/fixtures/schemas/fraiseql';

describe('check --schema on PostgreSQL', () => {
  it('rejects the adapted seed (D1, replayed with psql over the dump) and accepts a correct design', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const open = async () => (await openPostgres(s.url)).db;
    const db = await open();
    const graph = await discoverSchema(
      db,
      {
        files: [`${F}/dump.sql`],
        tables: 'app.tv_%',
        tenantColumn: 'org_id',
        versionTable: 'app.tb_cache_version(org_id, domain, version)',
      },
      loadDomainGraph(`${F}/domains.json`),
    ).finally(() => db.close());
    const seed = loadDesign(`${F}/seed-adapted.sql`);
    const rejected = await checkDesign({
      design: seed,
      graph,
      open,
      runs: 10,
      properties: ['multi-statement-message'],
    });
    const [p] = rejected.properties;
    expect(p?.diagnosis?.class).toBe('message-key');
    const cx = p?.counterexample;
    if (!cx) throw new Error('no counterexample');
    expect(reproduces(cx, replayWithPsql(s, seed, graph, cx, [`${F}/dump.sql`]))).toBe(true);
    const accepted = await checkDesign({
      design: loadDesign(`${F}/ledger.sql`),
      graph,
      open,
      runs: 5,
      properties: ['multi-statement-message', 'do-block', 'upsert', 'merge', 'truncate'],
      // On two databases: the second a copy of the first with the dump and the design in it.
      workers: 2,
    });
    expect(accepted.properties.filter((r) => !r.ok).map((r) => r.name)).toEqual([]);
  });
});
