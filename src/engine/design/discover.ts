import type { Domain, DomainGraph, VersionTable } from '../../model/domain-graph.js';
import { InputError } from '../../model/input-error.js';
import { insertInto, setData, values } from '../../model/sql/literals.js';
import type { TableShape } from '../../model/sql/table-shape.js';
import { sqlLiteral, templateText } from '../../model/sql/table-shape.js';
import { TENANTS } from '../../model/workload.js';
import type { Database } from '../database.js';
import { type TriggerSwitch, triggerSwitchOf } from '../state.js';
import { type CatalogTable, readTable, tableOid, tablesLike } from './catalog.js';
import { loadSchema } from './install.js';
import { chooseValues, columnValues, keyShape, type Needed, neededColumn, needsValue } from './row-values.js';
import { prepareSchema, readSchemaFiles } from './schema-file.js';

/**
 * `--schema`: a user's database checked where its triggers live. The schema is loaded once into a
 * throwaway database, and its catalog says which tables are cached (and their domains), which column
 * holds the tenant, where versions are kept, and how a row of each table is written (table-shape.ts).
 */

/** Where to find the cached tables, their tenant and the versions; unset keys take the defaults. */
export interface SchemaOptions {
  files: string[];
  /** A LIKE pattern (`tv_%`, `app.tv_%`) whose prefix is stripped for the domain, or domain -> table. */
  tables?: string | Record<Domain, string>;
  tenantColumn?: string;
  /** `schema.table` or `schema.table(tenant, domain, version)`. */
  versionTable?: string;
}

const DOMAIN = /^[a-z][a-z0-9_]{0,40}$/;
const VERSION_TABLE = /^\s*([^()\s]+)\s*(?:\(\s*([^,()\s]+)\s*,\s*([^,()\s]+)\s*,\s*([^,()\s]+)\s*\))?\s*$/;

/** A --version-table value as a table and its columns. */
export function parseVersionTable(spec: string): VersionTable {
  const m = VERSION_TABLE.exec(spec);
  if (!m?.[1])
    throw new InputError(`--version-table must be TABLE or TABLE(tenant, domain, version), got "${spec}"`);
  return { table: m[1], tenant: m[2] ?? 'tenant_id', domain: m[3] ?? 'domain', version: m[4] ?? 'version' };
}

/** The cached tables by domain. */
async function cachedTables(
  db: Database,
  tables: string | Record<Domain, string>,
): Promise<Map<Domain, number>> {
  const out = new Map<Domain, number>();
  if (typeof tables !== 'string') {
    for (const [domain, name] of Object.entries(tables)) {
      const oid = await tableOid(db, name);
      if (oid === null) throw new InputError(`table ${name} (domain ${domain}) is not in the schema`);
      out.set(domain, oid);
    }
    return out;
  }
  const prefix = (tables.split('.').pop() ?? '').split('%')[0] ?? '';
  for (const t of await tablesLike(db, tables)) {
    const domain = t.name.startsWith(prefix) ? t.name.slice(prefix.length) : t.name;
    if (!DOMAIN.test(domain))
      throw new InputError(`table ${t.name}: domain "${domain}" is not a lower-case identifier`);
    if (out.has(domain)) throw new InputError(`--tables ${tables}: two tables have domain ${domain}`);
    out.set(domain, t.oid);
  }
  if (out.size === 0) throw new InputError(`no table of the schema matches --tables ${tables}`);
  return out;
}

/** Turns the triggers of a table off for one rolled-back try, as the session's role may. */
const offSql = (how: TriggerSwitch, table: string) =>
  how === 'replica'
    ? 'SET LOCAL session_replication_role = replica'
    : `ALTER TABLE ${table} DISABLE TRIGGER USER`;

/** Runs `sql` in a transaction that is rolled back, with the table's triggers off; throws its error. */
async function tryRolledBack(db: Database, how: TriggerSwitch, table: string, sql: string): Promise<void> {
  try {
    await db.exec(`BEGIN; ${offSql(how, table)}; ${sql}`);
  } finally {
    await db.exec('ROLLBACK').catch(() => {});
  }
}

/** Discovery's state: the database, how triggers are switched off, the rows written so far. */
interface Context {
  db: Database;
  how: TriggerSwitch;
  cached: Set<number>;
  /** Parent rows written, by table oid: the key's text. */
  parents: Map<number, string>;
  setup: string[];
}

/** The values of the columns a row of `t` needs besides `fixed` ones; foreign keys get their parent's row. */
async function neededOf(c: Context, t: CatalogTable, skip: Set<number>, depth: number) {
  const needed: Needed[] = [];
  const fixed = new Map<number, string>();
  for (const col of t.columns.filter((x) => !skip.has(x.num) && needsValue(x))) {
    const fk = t.constraints.find((k) => k.kind === 'f' && k.columns.includes(col.num));
    if (fk?.references) {
      // The workloads insert and delete a cached table's rows at will, so no parent row written once
      // would stay there for the child rows; a table left out of --tables is written once, as a base table is.
      if (c.cached.has(fk.references.oid))
        throw new InputError(
          `${t.sql}.${col.sql}: a NOT NULL foreign key to another cached table (${fk.references.sql}) is not supported yet: leave ${fk.references.sql} out of the cached tables (--tables, or a "tables" map in the domain file) and turbo-sim writes its row once, as for a base table`,
        );
      if (fk.columns.length > 1)
        throw new InputError(
          `${t.sql}.${col.sql}: a NOT NULL foreign key to several columns (${fk.references.sql}) is not supported yet`,
        );
      fixed.set(col.num, await parentRow(c, fk.references.oid, fk.references.columns[0] ?? 0, depth + 1));
    }
    needed.push(neededColumn(t, col));
  }
  return { needed, fixed };
}

/** The key text of a row of a referenced table, written once (its own references first). */
async function parentRow(c: Context, oid: number, keyNum: number, depth: number): Promise<string> {
  const known = c.parents.get(oid);
  if (known !== undefined) return known;
  if (depth > 4) throw new InputError('foreign keys nest more than four tables deep: not supported yet');
  const t = await readTable(c.db, oid);
  const keyCol = t.columns.find((x) => x.num === keyNum);
  if (!keyCol) throw new InputError(`${t.sql}: referenced column not found`);
  const key = templateText(neededColumn(t, keyCol).options[0] ?? '%id', 1, 1);
  const { needed, fixed } = await neededOf(c, t, new Set([keyNum]), depth);
  const row = (texts: string[]) =>
    `INSERT INTO ${t.sql} (${[keyCol.sql, ...needed.map((n) => n.column.sql)].join(', ')}) OVERRIDING SYSTEM VALUE VALUES (${[
      key,
      ...needed.map((n, i) => fixed.get(n.column.num) ?? templateText(texts[i] ?? '', 1, 1)),
    ]
      .map(sqlLiteral)
      .join(', ')}) ON CONFLICT DO NOTHING`;
  const texts = await chooseValues(t, needed, (x) => tryRolledBack(c.db, c.how, t.sql, row(x)));
  c.parents.set(oid, key);
  c.setup.push(row(texts));
  await c.db.exec(row(texts));
  return key;
}

/** The rows of the tenants in the table the tenant column references, so every tenant exists. */
async function tenantRows(c: Context, t: CatalogTable, tenantNum: number): Promise<void> {
  const fk = t.constraints.find(
    (k) => k.kind === 'f' && k.columns.length === 1 && k.columns[0] === tenantNum,
  );
  if (!fk?.references || c.parents.has(-fk.references.oid)) return;
  const p = await readTable(c.db, fk.references.oid);
  const keyNum = fk.references.columns[0] ?? 0;
  const keyCol = p.columns.find((x) => x.num === keyNum);
  const { needed, fixed } = await neededOf(c, p, new Set([keyNum]), 1);
  const row = (texts: string[], i: number) =>
    `INSERT INTO ${p.sql} (${[keyCol?.sql, ...needed.map((n) => n.column.sql)].join(', ')}) OVERRIDING SYSTEM VALUE VALUES (${[
      TENANTS[i] ?? '',
      ...needed.map((n, j) => fixed.get(n.column.num) ?? templateText(texts[j] ?? '', 1000 + i, 1)),
    ]
      .map(sqlLiteral)
      .join(', ')}) ON CONFLICT DO NOTHING`;
  const all = (texts: string[]) => TENANTS.map((_, i) => row(texts, i)).join('; ');
  const texts = await chooseValues(p, needed, (x) => tryRolledBack(c.db, c.how, p.sql, all(x)));
  c.parents.set(-fk.references.oid, 'tenants');
  c.setup.push(all(texts));
  await c.db.exec(all(texts));
}

/** How the model writes one cached table. */
async function shapeOf(c: Context, t: CatalogTable, tenantColumn: string): Promise<TableShape> {
  const tenant = t.columns.find((x) => x.name === tenantColumn);
  const keyCol = t.columns.find((x) => x.num === t.primaryKey);
  if (!tenant) throw new Error('checked by the caller');
  if (!keyCol)
    throw new InputError(`${t.sql} has no single-column primary key: turbo-sim needs one to find its rows`);
  if (!['uuid', 'text', 'varchar'].includes(tenant.base))
    throw new InputError(
      `${t.sql}.${tenant.sql} is of type ${tenant.type}; turbo-sim writes uuid and text tenants`,
    );
  await tenantRows(c, t, tenant.num);
  const { needed, fixed } = await neededOf(c, t, new Set([keyCol.num, tenant.num]), 0);
  const shapeWith = (texts: string[]): TableShape => ({
    table: t.sql,
    key: keyShape(t, keyCol),
    tenant: tenant.sql,
    tenantType: tenant.type,
    columns: columnValues(
      needed.map((n, i) => {
        const f = fixed.get(n.column.num);
        return { needed: n, text: f ?? texts[i] ?? '', fixed: f !== undefined };
      }),
    ),
  });
  // Two rows of two tenants, then the UPDATE every data write makes: what the workloads do.
  const probe = (s: TableShape) =>
    `${insertInto(s)}VALUES ${values(s, [
      { id: 1, tenant: TENANTS[0] ?? '', n: 1 },
      { id: 2, tenant: TENANTS[1] ?? '', n: 2 },
    ])}; UPDATE ${s.table} SET ${setData(s, 3)}`;
  const texts = await chooseValues(t, needed, (x) => tryRolledBack(c.db, c.how, t.sql, probe(shapeWith(x))));
  return shapeWith(texts);
}

/** Loads the schema into `db` (an empty database) and reads from its catalog the graph to check. */
export async function discoverSchema(
  db: Database,
  o: SchemaOptions,
  cascade: Pick<DomainGraph, 'cascade' | 'transitive' | 'origin'> | undefined,
  onNote: (note: string) => void = () => {},
): Promise<DomainGraph> {
  const prepared = await prepareSchema(db, readSchemaFiles(o.files));
  for (const n of prepared.notes) onNote(n);
  await loadSchema(db, { files: prepared.files, setup: [], base: false, flags: '', versions: '' });
  const tables = await cachedTables(db, o.tables ?? 'tv_%');
  const c: Context = {
    db,
    how: await triggerSwitchOf(db),
    cached: new Set(tables.values()),
    parents: new Map(),
    setup: [],
  };
  const tenantColumn = o.tenantColumn ?? 'tenant_id';
  const read = new Map<Domain, CatalogTable>();
  for (const [d, oid] of tables) read.set(d, await readTable(db, oid));
  const without = [...read.values()]
    .filter((t) => !t.columns.some((x) => x.name === tenantColumn))
    .map((t) => t.sql);
  if (without.length > 0)
    throw new InputError(
      `tenant column ${tenantColumn} is not in ${without.join(', ')}: name it with --tenant-column`,
    );
  const shapes: Record<Domain, TableShape> = {};
  for (const [d, t] of read) shapes[d] = await shapeOf(c, t, tenantColumn);
  const versionTable = parseVersionTable(o.versionTable ?? 'turbo.tb_domain_version');
  const [turbo] = await db.query<{ has: boolean }>("SELECT to_regnamespace('turbo') IS NOT NULL AS has");
  const base = !turbo?.has;
  const vOid = await tableOid(db, versionTable.table);
  if (vOid === null && !(base && versionTable.table === 'turbo.tb_domain_version'))
    throw new InputError(
      `version table ${versionTable.table} is not in the schema: name it with --version-table`,
    );
  const domains = [...read.keys()];
  const known = new Set(domains);
  const edges = cascade?.cascade ?? [];
  const stray = edges.flat().find((d) => !known.has(d));
  if (stray)
    throw new InputError(`${cascade?.origin ?? '--domains'}: domain ${stray} is not a table of the schema`);
  return {
    domains,
    cascade: edges,
    transitive: cascade?.transitive ?? false,
    tables: shapes,
    versionTable,
    schema: {
      files: prepared.files,
      setup: c.setup,
      base,
      flags: flagsOf(o, cascade?.origin),
      versions: versionsQuery(versionTable),
    },
  };
}

/** A flag's value as a shell reads it back. */
const shellWord = (s: string) => (/^[\w./:=-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** The flags that read this graph again; options a domain file gave come back with it (--domains). */
function flagsOf(o: SchemaOptions, origin: string | undefined): string {
  const words = ['--schema', ...o.files];
  if (typeof o.tables === 'string') words.push('--tables', o.tables);
  if (o.tenantColumn) words.push('--tenant-column', o.tenantColumn);
  if (o.versionTable) words.push('--version-table', o.versionTable);
  if (origin) words.push('--domains', origin);
  return words.map(shellWord).join(' ');
}

function versionsQuery(v: VersionTable): string {
  // Summed (see versionsSql in state.ts): a pair may have several rows under robust.
  return `SELECT ${v.tenant}, ${v.domain}, sum(${v.version}) AS ${v.version} FROM ${v.table} GROUP BY ${v.tenant}, ${v.domain} ORDER BY ${v.tenant}, ${v.domain};`;
}
