import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { designOver, type RobustNames, renameRobust } from '../../src/engine/design/robust-for-schema.js';
import type { DomainGraph } from '../../src/model/domain-graph.js';
import { setData } from '../../src/model/sql/literals.js';
import { ownShape } from '../../src/model/sql/table-shape.js';

// robust renamed for a schema's names (the check of the result is test/pglite/schema.test.ts), and
// the UPDATE of a user's table that has no column to change but its tenant.
const names: RobustNames = {
  tables: { contract: 'app.tv_contract', allocation: 'app.tv_allocation' },
  tenant: 'org_id',
  versions: { table: 'app.tb_cache_version', tenant: 'org_id', domain: 'dom', version: 'n' },
};

describe('renameRobust', () => {
  const robust = loadDesign('robust');
  const code = (sql: string) =>
    sql
      .split('\n')
      .map((l) => l.replace(/--.*$/, ''))
      .join('\n');

  it("writes the schema's tables, tenant column and version table, and leaves the history table and comments alone", () => {
    const renamed = renameRobust(robust.files, names).map((f) => code(f.sql));
    const all = renamed.join('\n');
    const deltas = renamed.at(-1) ?? '';
    expect(deltas).toContain('INHERITS (app.tb_cache_version)');
    expect(deltas).toContain('ON CONFLICT (org_id, dom) DO UPDATE');
    expect(deltas).toContain('SET n = v.n + EXCLUDED.n');
    const history =
      'turbo.tb_domain_version_history (tenant_id, domain, version, modified_at, modified_by, change_summary)';
    expect(deltas).toContain(history);
    expect(deltas.replace(history, '')).not.toMatch(/\b(tenant_id|domain|version)\b/);
    expect(all).toContain("'SELECT DISTINCT org_id FROM new_rows'");
    expect(all).toContain("SELECT turbo.fn_robust_attach('app.tv_contract');");
    expect(all).not.toContain('fn_for_each_tv_table');
    expect(all).not.toContain("'^tv_'");
    // Comments keep robust's own words.
    expect(renameRobust(robust.files, names).at(-1)?.sql).toContain('-- design robust: robust-hot-row');
  });

  it('stops (a bug) when robust no longer has what a rename replaces, instead of printing a migration that is not robust', () => {
    const changed = robust.files.map((f) => ({
      ...f,
      sql: f.sql.replace(/SELECT DISTINCT tenant_id FROM new_rows/g, 'SELECT DISTINCT tenant FROM new_rows'),
    }));
    expect(() => renameRobust(changed, names)).toThrow(
      /robust's SQL changed: robust-hot-row\/30-triggers.sql/,
    );
  });
});

describe('designOver', () => {
  // A --schema graph as discovery gives it: tables of the schema's shapes, the base layer beside it.
  const graphOf = (table: (d: string) => string, tenant: string, tenantType = 'uuid'): DomainGraph => ({
    domains: ['contract'],
    cascade: [],
    transitive: false,
    tables: { contract: { ...ownShape('contract'), table: table('contract'), tenant, tenantType } },
    schema: { files: [], setup: [], base: true, flags: '', versions: '' },
  });
  const own = graphOf((d) => `public.tv_${d}`, 'tenant_id');
  const app = graphOf((d) => `app.tv_${d}`, 'org_id');

  it("keeps every design on turbo-sim's own names, adapts robust elsewhere, and refuses the other built-in designs there", () => {
    const robust = loadDesign('robust');
    expect(designOver(robust, own)).toBe(robust);
    expect(designOver(loadDesign('seed'), own).name).toBe('seed');
    const adapted = designOver(robust, app);
    expect(adapted.files[0]?.sql).toContain("('app.tv_contract'::regclass::oid, 'contract')");
    expect(adapted.files.length).toBe(robust.files.length + 1);
    expect(designOver(loadDesign('none'), app).name).toBe('none');
    expect(() => designOver(loadDesign('seed'), app)).toThrow(
      /design seed is written for tv_ tables .*--design robust/,
    );
    expect(() =>
      designOver(
        robust,
        graphOf((d) => `app.tv_${d}`, 'org_id', 'text'),
      ),
    ).toThrow(/robust carries tenants as uuid; app.tv_contract.org_id is text/);
    const withTurbo = { files: [], setup: [], base: false, flags: '', versions: '' };
    expect(() => designOver(robust, { ...app, schema: withTurbo })).toThrow(/a turbo schema of its own/);
  });
});

describe('setData', () => {
  it('sets the tenant once when a row of a table with nothing else to change moves', () => {
    const bare = { ...ownShape('allocation'), columns: [] };
    expect(setData(bare, 3)).toBe('tenant_id = tenant_id');
    expect(setData(bare, 3, 't.', "'b'")).toBe("tenant_id = 'b'");
    expect(setData(ownShape('allocation'), 3, '', "'b'")).toMatch(/^data = .*, tenant_id = 'b'$/);
  });
});
