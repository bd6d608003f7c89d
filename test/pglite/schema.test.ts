import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { discoverSchema, type SchemaOptions } from '../../src/engine/design/discover.js';
import { loadDomainGraph } from '../../src/engine/design/domain-file.js';
import { designOver } from '../../src/engine/design/robust-for-schema.js';
import { openPGlite } from '../../src/engine/pglite/adapter.js';
import type { DomainGraph } from '../../src/model/domain-graph.js';
import { bulkDeleteSql, bulkInsertSql, bulkUpdateSql } from '../../src/model/sql/bulk.js';
import { checkDesign } from '../../src/verify/check.js';
import { Simulator } from '../../src/verify/simulator.js';
import { cliHere } from '../support/fixtures.js';

// --schema on the FraiseQL-style fixture (test/fixtures/schemas/fraiseql/README.md says how its
// pg_dump was made): its own tables, tenant column and version table, its triggers as designs.
const F = 'test/fixtures/schemas/fraiseql';
const options: SchemaOptions = {
  files: [`${F}/dump.sql`],
  tables: 'app.tv_%',
  tenantColumn: 'org_id',
  versionTable: 'app.tb_cache_version(org_id, domain, version)',
};

async function discover(o: SchemaOptions, notes: string[] = [], cascade?: DomainGraph): Promise<DomainGraph> {
  const db = await openPGlite();
  try {
    return await discoverSchema(db, o, cascade, (n) => notes.push(n));
  } finally {
    await db.close();
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'turbo-sim-schema-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Loading and reading the dump is most of a test's time here: once for the file.
const notes: string[] = [];
let graph: DomainGraph;
beforeAll(async () => {
  graph = await discover(options, notes, loadDomainGraph(`${F}/domains.json`));
});

describe('check --schema on a pg_dump of a FraiseQL-style database', () => {
  it('loads the dump, skips what names absent roles, and reads tables, keys and tenant from the catalog', async () => {
    expect(notes).toEqual([
      "skipped 17 ownership and privilege statement(s) naming app_owner, app_reader: the check runs as the database's owner",
    ]);
    expect(graph.domains).toEqual(['allocation', 'contract', 'machine']);
    expect(graph.cascade).toEqual([
      ['contract', 'allocation'],
      ['machine', 'allocation'],
    ]);
    const t = graph.tables ?? {};
    expect(t.contract?.key).toMatchObject({ kind: 'text', type: 'uuid' });
    expect(t.machine?.key).toEqual({ column: 'pk_machine', kind: 'number', overriding: true });
    expect(t.allocation?.key).toMatchObject({ kind: 'text', prefix: 'k' });
    expect(Object.values(t).map((s) => s.tenant)).toEqual(['org_id', 'org_id', 'org_id']);
    // Every NOT NULL column without a default gets a value; the CHECKed ones the constraint's constants.
    const contract = Object.fromEntries((t.contract?.columns ?? []).map((c) => [c.column, c.text]));
    expect(Object.keys(contract).sort()).toEqual(
      [
        'amount',
        'code',
        'customer_ref',
        'data',
        'ends_on',
        'fk_customer',
        'priority',
        'starts_on',
        'status',
        'tags',
      ].sort(),
    );
    expect(contract.status).toBe('draft');
    expect(contract.priority).toBe('1');
    expect(graph.schema?.setup.length).toBeGreaterThan(0);
  });

  it('rejects the published trigger adapted to the tenant column, with the D1 diagnosis', async () => {
    const report = await checkDesign({
      design: loadDesign(`${F}/seed-adapted.sql`),
      graph,
      runs: 10,
      properties: ['batch', 'multi-statement-message'],
      workers: 1,
    });
    const [batch, message] = report.properties;
    expect(batch?.ok).toBe(true);
    expect(message?.ok).toBe(false);
    expect(message?.counterexample?.violations[0]?.kind).toBe('MISSED');
    expect(message?.diagnosis?.class).toBe('message-key');
    expect(message?.counterexample?.source.schema?.flags).toContain('--tenant-column org_id');
  });

  it('accepts a correct trigger design of the schema', async () => {
    const properties = [
      'multi-statement-message',
      'tenant-move',
      'upsert',
      'merge',
      'copy',
      'prepared',
      'truncate',
    ];
    const report = await checkDesign({
      design: loadDesign(`${F}/ledger.sql`),
      graph,
      runs: 4,
      properties,
      workers: 1,
    });
    expect(report.properties.filter((p) => !p.ok).map((p) => p.name)).toEqual([]);
    expect(report.properties.map((p) => p.name)).toEqual(properties);
  });

  it('accepts the trigger-less dump with robust, adapted to its tables, tenant column and version table', async () => {
    const report = await checkDesign({
      design: designOver(loadDesign('robust'), graph),
      graph,
      runs: 3,
      workers: 1,
    });
    expect(report.properties.filter((p) => !p.ok).map((p) => p.name)).toEqual([]);
    expect(report.properties.length).toBe(16);
  });

  it("runs a scenario on the schema when its writes reach the schema's tables, and names the ones that can otherwise", async () => {
    const schema = ['--schema', `${F}/dump.sql`, '--domains', `${F}/domains.json`];
    const r = await cliHere(['run', 'cascade-contract', ...schema, '--design', 'robust']);
    expect(r.code, r.stderr).toBe(0); // robust kept the promise
    expect(r.stdout).toContain('INSERT INTO app.tv_contract');
    expect(r.stdout).toContain('bumps expected: a/allocation, a/contract');
    expect(r.stdout).toContain("on your schema: the text above is written for turbo-sim's seed graph");
    // No scenario after cascade-contract on the path writes only this schema's tables: check is next.
    expect(r.stdout).toContain(`next: npx turbo-sim check --design robust --schema ${F}/dump.sql`);
    const refused = await cliHere(['run', 'tenant-move', ...schema]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /scenario tenant-move cannot run on this schema: it writes domain\(s\) price, .*the ones that can: .*cascade-contract/,
    );
  });

  it("benchmarks robust on the schema's own tables, through their shapes, by the tenants the schema holds", async () => {
    const schema = ['--schema', `${F}/dump.sql`, '--domains', `${F}/domains.json`];
    const few = [
      '--sizes',
      '2',
      '--reps',
      '1',
      '--loop-rows',
      '2',
      '--statement-sizes',
      '1',
      '--statement-rows',
      '2',
    ];
    const r = await cliHere(['bench', ...schema, ...few, '--designs', 'robust', '--tenants', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      domain: string;
      tables: unknown;
      cells: { op: string; design: string }[];
    };
    // allocation has no cascade targets, as the seed's price: the batch table; contract cascades.
    expect(report.domain).toBe('allocation');
    expect(report.tables).toEqual({ batch: 'app.tv_allocation', statements: 'app.tv_contract' });
    expect(new Set(report.cells.map((c) => `${c.design} ${c.op}`))).toEqual(
      new Set(['robust insert', 'robust update', 'robust delete']),
    );
    // What the benchmark sends writes the rows it means, on the table with a uuid key and every column kind.
    const contract = graph.tables?.contract;
    if (!contract) throw new Error('no contract table');
    const sim = await Simulator.create(loadDesign('none'), graph);
    try {
      await sim.db.exec(bulkInsertSql('contract', { from: 1, size: 6 }, 3, contract));
      const tenants = await sim.db.query(`SELECT DISTINCT org_id FROM ${contract.table}`);
      expect(tenants.length).toBe(3);
      const range = { from: 2, size: 3 };
      expect(await sim.db.query(`${bulkUpdateSql('contract', range, contract)} RETURNING 1`)).toHaveLength(3);
      expect(await sim.db.query(`${bulkDeleteSql('contract', range, contract)} RETURNING 1`)).toHaveLength(3);
    } finally {
      await sim.close();
    }
    const many = await cliHere(['bench', ...schema, '--tenants', '10']);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/--tenants 10: with --schema a statement spreads over at most 3 tenants/);
  });

  it('refuses a NOT NULL foreign key between cached tables, naming the way out, which works', async () => {
    const fk = join(tmp, 'fk.sql');
    writeFileSync(
      fk,
      `CREATE TABLE tv_contract (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, data jsonb NOT NULL DEFAULT '{}');
CREATE TABLE tv_allocation (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, contract_id bigint NOT NULL REFERENCES tv_contract);\n`,
    );
    await expect(discover({ files: [fk] })).rejects.toThrow(
      /tv_allocation\.contract_id: a NOT NULL foreign key to another cached table \(public\.tv_contract\) is not supported yet: leave public\.tv_contract out of the cached tables/,
    );
    const g = await discover({ files: [fk], tables: { allocation: 'tv_allocation' } });
    expect(g.domains).toEqual(['allocation']);
    expect(g.schema?.setup.join('\n')).toMatch(/INSERT INTO public\.tv_contract /);
  });

  it('names an extension PGlite lacks and where to check instead, exit 2', async () => {
    const ext = join(tmp, 'ext.sql');
    writeFileSync(
      ext,
      'CREATE EXTENSION IF NOT EXISTS postgis;\nCREATE TABLE tv_x (id int PRIMARY KEY, tenant_id uuid NOT NULL);\n',
    );
    await expect(discover({ files: [ext] })).rejects.toThrow(
      /the schema needs extension postgis, which this PGlite does not have: .*--database-url/,
    );
  });
});
