import type { Database } from '../database.js';

/**
 * What the catalog says about a user's table: its columns with their types, keys, foreign keys and
 * CHECK constraints. The same queries on PGlite and on a server (PostgreSQL 15 and later).
 */

/** One column of a table. */
export interface CatalogColumn {
  num: number;
  name: string;
  /** The name as SQL (quoted when it has to be). */
  sql: string;
  notNull: boolean;
  hasDefault: boolean;
  /** `a` GENERATED ALWAYS, `d` BY DEFAULT, '' none. */
  identity: string;
  generated: boolean;
  /** The declared type as SQL (`character varying(16)`, `app.money_amount`, `text[]`). */
  type: string;
  /** The base type's name (a domain's base type), its category (pg_type.typcategory) and kind. */
  base: string;
  category: string;
  enumLabels: string[];
  /** The domain's CHECK constraints, by name: definition. */
  domainChecks: Record<string, string>;
}

/** A constraint on the table. */
export interface CatalogConstraint {
  name: string;
  kind: 'p' | 'u' | 'f' | 'c' | string;
  columns: number[];
  definition: string;
  /** For a foreign key: the referenced table (oid, as SQL) and its columns. */
  references?: { oid: number; sql: string; columns: number[] };
}

/** A table: its name, columns, constraints and single-column unique indexes. */
export interface CatalogTable {
  oid: number;
  schema: string;
  name: string;
  sql: string;
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
  /** Columns that are a primary key or unique alone. */
  primaryKey: number | null;
  unique: Set<number>;
}

/** The tables whose `schema.name` (or, with no dot in the pattern, name on the search path) is LIKE `pattern`. */
export async function tablesLike(db: Database, pattern: string): Promise<{ oid: number; name: string }[]> {
  return db.query(
    `SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'turbo', 'turbo_sim')
       AND CASE WHEN strpos($1, '.') > 0 THEN n.nspname || '.' || c.relname LIKE $1
                ELSE c.relname LIKE $1 AND pg_table_is_visible(c.oid) END
     ORDER BY c.relname, n.nspname`,
    [pattern],
  );
}

/** The oid of a table named as SQL (`app.tv_contract`, `tv_contract` on the search path), or null. */
export async function tableOid(db: Database, name: string): Promise<number | null> {
  const [row] = await db.query<{ oid: number | null }>('SELECT to_regclass($1)::oid::int AS oid', [name]);
  return row?.oid ?? null;
}

/** Everything the catalog says about one table. */
export async function readTable(db: Database, oid: number): Promise<CatalogTable> {
  const [rel] = await db.query<{ schema: string; name: string; sql: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, format('%I.%I', n.nspname, c.relname) AS sql
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1`,
    [oid],
  );
  type ColumnRow = Omit<CatalogColumn, 'enumLabels' | 'domainChecks'> & {
    labels: string[] | null;
    checks: string | null;
  };
  const columns = (await db.query(
    `SELECT a.attnum::int AS num, a.attname AS name, quote_ident(a.attname) AS sql, a.attnotnull AS "notNull",
            a.atthasdef AS "hasDefault", a.attidentity::text AS identity, a.attgenerated <> '' AS generated,
            format_type(a.atttypid, a.atttypmod) AS type, bt.typname::text AS base, bt.typcategory::text AS category,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = bt.oid) AS labels,
            (SELECT json_object_agg(k.conname, pg_get_constraintdef(k.oid))::text FROM pg_constraint k
              WHERE k.contypid = a.atttypid AND k.contype = 'c') AS checks
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
     WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [oid],
  )) as unknown as ColumnRow[];
  const constraints = await db.query<{
    name: string;
    kind: string;
    columns: number[] | null;
    definition: string;
    ref: number | null;
    refsql: string | null;
    refcolumns: number[] | null;
  }>(
    `SELECT k.conname AS name, k.contype::text AS kind, k.conkey::int[] AS columns, pg_get_constraintdef(k.oid) AS definition,
            nullif(k.confrelid, 0)::int AS ref, CASE WHEN k.confrelid <> 0 THEN format('%I.%I', rn.nspname, rc.relname) END AS refsql, k.confkey::int[] AS refcolumns
     FROM pg_constraint k LEFT JOIN pg_class rc ON rc.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE k.conrelid = $1 ORDER BY k.conname`,
    [oid],
  );
  const indexes = await db.query<{ key: string; primary: boolean }>(
    `SELECT i.indkey::text AS key, i.indisprimary AS primary FROM pg_index i
     WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL`,
    [oid],
  );
  const single = indexes.filter((i) => !i.key.includes(' '));
  return {
    oid,
    schema: rel?.schema ?? '',
    name: rel?.name ?? '',
    sql: rel?.sql ?? '',
    columns: columns.map(({ labels, checks, ...c }) => ({
      ...c,
      enumLabels: labels ?? [],
      domainChecks: checks ? (JSON.parse(checks) as Record<string, string>) : {},
    })),
    constraints: constraints.map((k) => ({
      name: k.name,
      kind: k.kind,
      columns: k.columns ?? [],
      definition: k.definition,
      ...(k.ref !== null
        ? { references: { oid: k.ref, sql: k.refsql ?? '', columns: k.refcolumns ?? [] } }
        : {}),
    })),
    primaryKey: Number(single.find((i) => i.primary)?.key ?? Number.NaN) || null,
    unique: new Set(single.map((i) => Number(i.key))),
  };
}
