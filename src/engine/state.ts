import { BASE_SYNCS, baseTableName } from '../model/base-tables.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { sqlLiteral } from '../model/sql/literals.js';
import { keyNumber, shapesOf } from '../model/sql/table-shape.js';
import { pairKey, type Versions } from '../model/versions.js';
import { type Database, sqlError } from './database.js';
import { SESSION_START } from './design/install.js';
import { hasHarness } from './harness.js';

/**
 * The query that reads the versions, for {@link versionsOf}: through turbo.v_domain_version (the base
 * layer's one way to read them), so that how a design stores them is its own business.
 */
export const VERSIONS_SQL =
  'SELECT tenant_id::text AS tenant, domain, version::text AS version FROM turbo.v_domain_version';

/** A row of {@link VERSIONS_SQL}. */
export type VersionRow = { tenant: string; domain: string; version: string };

/** {@link VERSIONS_SQL} on the graph's version table (a user's schema may keep them elsewhere). */
export function versionsSql(graph?: DomainGraph): string {
  const v = graph?.versionTable;
  if (!v || v.table === 'turbo.tb_domain_version') return VERSIONS_SQL;
  // Summed, as turbo.v_domain_version sums: robust over a schema appends a row per bump to a table
  // inheriting from the version table (robust-for-schema.ts); one row per pair sums to itself.
  return `SELECT ${v.tenant}::text AS tenant, ${v.domain}::text AS domain, sum(${v.version})::text AS version FROM ${v.table} GROUP BY 1, 2`;
}

/**
 * The query a check reads the versions with after every message: the harness's function
 * (`sql/harness/40-versions.sql`, whose plan the session keeps) where the harness and the base
 * layer's version table are there, else `versionsSql(graph)` (a user's schema with its own).
 */
export function checkedVersionsSql(graph: DomainGraph): string {
  const own = graph.versionTable && graph.versionTable.table !== 'turbo.tb_domain_version';
  return hasHarness(graph) && !own ? 'SELECT * FROM turbo_sim.fn_versions()' : versionsSql(graph);
}

/** Versions as turbo.v_domain_version gives them, or a --schema's version table (pairs at version 0 count as absent). */
export async function readVersions(db: Database, graph?: DomainGraph): Promise<Versions> {
  return versionsOf(await db.query<VersionRow>(versionsSql(graph)));
}

/** The versions in rows of {@link VERSIONS_SQL}. */
export function versionsOf(rows: VersionRow[]): Versions {
  const out: Versions = new Map();
  for (const r of rows) if (Number(r.version) !== 0) out.set(pairKey(r.tenant, r.domain), Number(r.version));
  return out;
}

/** Rows of the graph's tv_ tables, domain -> id -> tenant: to check the model's idea of the data itself. */
export async function readRows(db: Database, graph: DomainGraph): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  const shapes = shapesOf(graph);
  for (const d of graph.domains) {
    const s = shapes(d);
    const rows = await db.query<{ id: string; tenant: string }>(
      `SELECT ${keyNumber(s.key)}::text AS id, ${s.tenant}::text AS tenant FROM ${s.table}`,
    );
    out.set(d, new Map(rows.map((r) => [Number(r.id), r.tenant])));
  }
  return out;
}

/**
 * How a reset keeps the design's triggers from firing. `replica` (SET session_replication_role)
 * fires no ordinary trigger, TRUNCATE triggers included, but needs a superuser; `disable` (ALTER
 * TABLE ... DISABLE TRIGGER USER on the tables turbo-sim created, in one transaction) needs only
 * their owner, as a CREATEDB role is, but costs 3-5 times as much per reset in PGlite (measured: 0.6-2
 * ms against 3.5-6.7 ms) and rewrites pg_trigger rows every time, so it is the fallback.
 */
export type TriggerSwitch = 'replica' | 'disable';

/** The fastest {@link TriggerSwitch} this session's role may use. */
export async function triggerSwitchOf(db: Database): Promise<TriggerSwitch> {
  try {
    await db.exec('SET session_replication_role = replica; RESET session_replication_role');
    return 'replica';
  } catch (e) {
    if (sqlError(e).code === '42501') return 'disable'; // insufficient privilege
    throw e;
  }
}

/**
 * Back to an empty database without paying a new instance: empties the tv_ tables, the harness's
 * base tables (tb_), the base layer's tables and `designTables` (see {@link designStateTables}) with
 * triggers switched off as `off` says.
 *
 * DELETE costs about a tenth of TRUNCATE on these few rows (TRUNCATE swaps the files); `truncate`
 * is for every so often, so that dead rows do not pile up where no autovacuum runs.
 */
/** The tables the harness empties between runs: the tv_ tables, its base tables, the base layer's. */
function harnessTables(graph: DomainGraph, baseTables: boolean): string[] {
  const own = !graph.tables;
  const shapes = shapesOf(graph);
  return [
    ...graph.domains.map((d) => shapes(d).table),
    // The harness's base tables cost a statement each: `baseTables` false skips them when no write reached them.
    ...(baseTables && own ? graph.domains.flatMap((d) => BASE_SYNCS.map((s) => baseTableName(s, d))) : []),
    ...(graph.versionTable && graph.versionTable.table !== 'turbo.tb_domain_version'
      ? [graph.versionTable.table]
      : []),
    // A user's schema with its own turbo schema has none of these.
    ...(graph.schema?.base === false
      ? []
      : [
          'turbo.tb_domain_version',
          'turbo.tb_domain_version_history',
          'turbo.tb_graphql_cache',
          'turbo.tb_cache_read_log',
        ]),
  ];
}

export async function emptyTables(
  db: Database,
  graph: DomainGraph,
  truncate: boolean,
  off: TriggerSwitch = 'replica',
  baseTables = true,
  designTables: string[] = [],
): Promise<void> {
  const tables = [...harnessTables(graph, baseTables), ...designTables];
  const empty = truncate ? [`TRUNCATE ${tables.join(', ')}`] : tables.map((t) => `DELETE FROM ${t}`);
  const triggers = (how: string) => tables.map((t) => `ALTER TABLE ${t} ${how} TRIGGER USER`);
  // One message: a ROLLBACK at its head ends whatever transaction the last run left open (aborted
  // or not) and the rest runs in a fresh implicit one.
  // RESET ALL: a run must not inherit session settings from the one before (a design that leaves its
  // own state open across statements would otherwise fail differently from one run to the next, and
  // differently from the fresh psql session its counterexample is replayed in). DEALLOCATE ALL: a
  // message that failed between its PREPARE and its DEALLOCATE left the name taken, and the next
  // run's PREPARE failed with "already exists" instead of showing what the design did.
  await db.exec(
    ['ROLLBACK', 'RESET ALL', 'DEALLOCATE ALL', SESSION_START]
      .concat(
        off === 'replica'
          ? ['SET session_replication_role = replica', ...empty, 'RESET session_replication_role']
          : ['BEGIN', ...triggers('DISABLE'), ...empty, ...triggers('ENABLE'), 'COMMIT'],
      )
      .join('; '),
  );
}

/**
 * The tables of the design's own state: every table that is empty just after the design is
 * installed and that the harness does not empty already (a tracker, a ledger, a counter). A reset
 * empties them too, so that every run starts from the database as installed: a design that kept
 * state from run to run failed at run 65 on one database and held on two, the same seed, because
 * which runs share a database depends on how many there are. Tables the design fills at install
 * (its configuration) are left alone, as are tables inheriting from one the reset empties.
 */
export async function designStateTables(db: Database, graph: DomainGraph): Promise<string[]> {
  const managed = harnessTables(graph, true).map((t) => `to_regclass(${sqlLiteral(t)})`);
  const candidates = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%' AND c.relpersistence <> 't'
        AND c.oid <> ALL (array_remove(ARRAY[${managed.join(', ')}]::regclass[], NULL))
        AND NOT EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = c.oid)
      ORDER BY 1`,
  );
  if (candidates.length === 0) return [];
  // Which are empty, in one round trip: every database a check opens pays this once.
  const empty = await db.query<{ name: string }>(
    `SELECT name FROM (VALUES ${candidates
      .map(({ name }) => `(${sqlLiteral(name)}, NOT EXISTS (SELECT FROM ${name}))`)
      .join(', ')}) AS t(name, empty) WHERE empty ORDER BY 1`,
  );
  return empty.map((r) => r.name);
}
