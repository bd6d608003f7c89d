import { harnessFiles, harnessFunction } from '../engine/harness.js';
import { versionsSql } from '../engine/state.js';
import { BASE_SYNCS, baseTableName } from '../model/base-tables.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { shapesOf } from '../model/sql/table-shape.js';

// What a pgTAP file does around its workload so that files run in any order and leave nothing
// behind. The workload cannot run inside one transaction rolled back at the end: its own messages
// hold BEGIN, COMMIT and ROLLBACK, and a design may count per transaction or act at COMMIT, so a
// wrapping transaction would test something else than the check did. Instead the file notes which
// tables are empty before it starts (the tv_ tables, the versions, the design's own state: what
// `turbo-sim sql` leaves) and empties exactly those again at the end, with the design's triggers
// off so that emptying bumps nothing. Its helpers are temporary functions (pg_temp), gone with the
// session.

/** The temporary table listing the tables empty when the file started. */
const EMPTY_TABLES = 'pg_temp.turbo_sim_empty_tables';

/** The helper functions the checks call, each in pg_temp. */
function helpers(graph: DomainGraph): string[] {
  const versions = versionsSql(graph);
  return [
    `-- a pair's version now (0 when it has none)
CREATE FUNCTION pg_temp.turbo_sim_version(p_tenant text, p_domain text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT coalesce(sum(version::bigint), 0)::bigint FROM (${versions}) v
     WHERE tenant = p_tenant AND domain = p_domain
$$;`,
    `-- every version above 0 as a/domain=N, except the pairs given (tenants by their last letter)
CREATE FUNCTION pg_temp.turbo_sim_versions(p_except text[] DEFAULT '{}', p_tenants text[] DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
    SELECT coalesce(string_agg(pair || '=' || version, ' ' ORDER BY pair), '')
      FROM (SELECT right(tenant, 1) || '/' || domain AS pair, version FROM (${versions}) v
             WHERE version::bigint <> 0 AND (p_tenants IS NULL OR right(tenant, 1) = ANY (p_tenants))) p
     WHERE pair <> ALL (p_except)
$$;`,
    `-- what a cached read serves as p_tenant (the tenant setting is the session's, as an application's)
${harnessFunction('fn_served', 'pg_temp.turbo_sim_served')}`,
  ];
}

/** The harness's objects a file creates and drops: its schema, and the base tables where written. */
export interface HarnessUse {
  checkedRead: boolean;
  baseTables: boolean;
}

function harnessTables(graph: DomainGraph): string[] {
  return graph.domains.flatMap((d) => BASE_SYNCS.map((s) => baseTableName(s, d)));
}

/** Drops what the harness created, if anything (a file stopped half way may have left it). */
function dropHarness(graph: DomainGraph, use: HarnessUse): string[] {
  if (!use.checkedRead && !use.baseTables) return [];
  return [
    ...(use.baseTables ? [`DROP TABLE IF EXISTS ${harnessTables(graph).join(', ')};`] : []),
    'DROP SCHEMA IF EXISTS turbo_sim CASCADE;',
  ];
}

/** The setup: helpers, the note of empty tables, the harness where used, the --schema's own rows. */
export function setupSql(graph: DomainGraph, use: HarnessUse): string[] {
  const wanted = use.checkedRead || use.baseTables;
  const harness = harnessFiles(graph).filter(
    (f) =>
      (wanted && f.path.endsWith('10-checked-read.sql')) ||
      (use.baseTables && f.path.endsWith('20-base-tables.sql')),
  );
  return [
    ...helpers(graph),
    `-- the tables empty now: the teardown empties them again
CREATE TABLE ${EMPTY_TABLES} (name regclass);
DO $$
DECLARE
    t regclass;
    empty boolean;
BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'r' AND c.relpersistence <> 't'
                AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    LOOP
        EXECUTE format('SELECT NOT EXISTS (SELECT FROM ONLY %s)', t) INTO empty;
        IF empty THEN INSERT INTO ${EMPTY_TABLES} VALUES (t); END IF;
    END LOOP;
END $$;`,
    ...(harness.length
      ? [
          '-- the harness the statements below call (sql/harness in turbo-sim), dropped at the end',
          ...dropHarness(graph, use),
          ...harness.map((f) => f.sql.trimEnd()),
        ]
      : []),
    ...(graph.schema?.setup.length
      ? ['-- the rows the tv_ rows reference (tenants, parents)', ...graph.schema.setup.map((s) => `${s};`)]
      : []),
  ];
}

/** The check that the workload starts where the model does: its tv_ tables empty, no version bumped. */
export function startCheck(graph: DomainGraph): string {
  const shapes = shapesOf(graph);
  const tables = graph.domains.map((d) => `to_regclass('${shapes(d).table.replace(/'/g, "''")}')`);
  return `SELECT is(
    concat_ws(' ',
        (SELECT string_agg(t::text, ', ') FROM unnest(ARRAY[${tables.join(', ')}]) t
          WHERE t NOT IN (SELECT name FROM ${EMPTY_TABLES})),
        nullif(pg_temp.turbo_sim_versions(), '')),
    '',
    'the tv_ tables start empty and no version is bumped (a database with only the design applied)'
);`;
}

/**
 * The teardown: the tables that were empty emptied again in one transaction, user triggers off
 * while it runs (which needs the tables' owner, the role that applied the design), their sequences
 * restarted; then the harness dropped.
 */
export function teardownSql(graph: DomainGraph, use: HarnessUse): string[] {
  return [
    ...dropHarness(graph, use),
    `DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT name FROM ${EMPTY_TABLES} WHERE to_regclass(name::text) IS NOT NULL LOOP
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', t);
    END LOOP;
    EXECUTE coalesce((SELECT 'TRUNCATE ONLY ' || string_agg(name::text, ', ') || ' RESTART IDENTITY'
                        FROM ${EMPTY_TABLES} WHERE to_regclass(name::text) IS NOT NULL), 'SELECT');
    FOR t IN SELECT name FROM ${EMPTY_TABLES} WHERE to_regclass(name::text) IS NOT NULL LOOP
        EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', t);
    END LOOP;
END $$;`,
    `DROP TABLE ${EMPTY_TABLES};`,
  ];
}
