import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { discoverSchema } from '../../src/engine/design/discover.js';
import { loadDomainGraph } from '../../src/engine/design/domain-file.js';
import { robustForSchema } from '../../src/engine/design/robust-for-schema.js';
import { fullSql } from '../../src/engine/design/sql-files.js';
import { openPostgres } from '../../src/engine/postgres/adapter.js';
import type { DomainGraph } from '../../src/model/domain-graph.js';
import { insertInto, values } from '../../src/model/sql/literals.js';
import { TENANTS } from '../../src/model/workload.js';
import { checkDesign } from '../../src/verify/check.js';
import { useThrowawayServer } from '../support/pg-server.js';
import { replayWithPsql, reproduces } from '../support/replay.js';

// --schema on PostgreSQL 15: the FraiseQL-style pg_dump loads on a server where its roles do not
// exist, the adapted seed is rejected with D1 and its counterexample replays with psql over the
// dump itself, the fixture's correct design is accepted (on two databases side by side), and robust
// adapted to the schema holds and its migration applies with psql over the dump and counts each
// statement of a DO block.
const server = useThrowawayServer();
const F = 'test/fixtures/schemas/fraiseql';
const open = async () => {
  if (!server.current) throw new Error('no server');
  return (await openPostgres(server.current.url)).db;
};
// Reading the dump's catalog once for the file.
let graph: DomainGraph | undefined;
beforeAll(async () => {
  if (!server.current) return;
  const db = await open();
  graph = await discoverSchema(
    db,
    {
      files: [`${F}/dump.sql`],
      tables: 'app.tv_%',
      tenantColumn: 'org_id',
      versionTable: 'app.tb_cache_version(org_id, domain, version)',
    },
    loadDomainGraph(`${F}/domains.json`),
  ).finally(() => db.close());
});

describe('check --schema on PostgreSQL', () => {
  it('rejects the adapted seed (D1, replayed with psql over the dump) and accepts a correct design', async (ctx) => {
    const s = server.current;
    if (!s || !graph) return ctx.skip();
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

  it("applies robust's migration for the schema with psql over the dump, and a DO block of two INSERTs bumps twice", async (ctx) => {
    const s = server.current;
    if (!s || !graph) return ctx.skip();
    const db = `turbo_robust_schema_${process.pid}`;
    const psql = (args: string[], input?: string) =>
      spawnSync(join(s.bin, 'psql'), ['-X', '-q', '-d', s.url.replace(/\/postgres$/, `/${db}`), ...args], {
        encoding: 'utf8',
        ...(input === undefined ? {} : { input }),
      });
    const admin = (sql: string) => execFileSync(join(s.bin, 'psql'), ['-X', '-q', '-d', s.url, '-c', sql]);
    admin(`CREATE DATABASE ${db}`);
    try {
      // The dump's OWNER TO and GRANT lines name roles this server lacks: psql reports them and goes on.
      psql(['-f', `${F}/dump.sql`]);
      const robust = robustForSchema(loadDesign('robust'), graph);
      const checked = await checkDesign({
        design: robust,
        graph,
        open,
        runs: 3,
        properties: ['do-block', 'transaction', 'tenant-move', 'merge', 'truncate'],
      });
      expect(checked.properties.filter((r) => !r.ok).map((r) => r.name)).toEqual([]);
      const migration = fullSql(graph, robust);
      const applied = psql(['-v', 'ON_ERROR_STOP=1'], migration);
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      const contract = graph.tables?.contract;
      if (!contract) throw new Error('no contract table');
      const tenant = TENANTS[0] ?? '';
      const insert = (id: number) =>
        `${insertInto(contract)}VALUES ${values(contract, [{ id, tenant, n: id }])}`;
      const run = psql(
        ['-v', 'ON_ERROR_STOP=1', '-A', '-t', '-F', '|'],
        [
          ...(graph.schema?.setup ?? []).map((q) => `${q};`),
          `DO $$ BEGIN ${insert(1)}; ${insert(2)}; END $$;`,
          `SELECT domain, sum(version) FROM app.tb_cache_version WHERE org_id = '${tenant}' GROUP BY domain ORDER BY domain;`,
        ].join('\n'),
      );
      expect(run.stderr).toBe('');
      // contract cascades to allocation (domains.json): each INSERT bumps both.
      expect(run.stdout.trim().split('\n')).toEqual(['allocation|2', 'contract|2']);
    } finally {
      admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
  });
});
