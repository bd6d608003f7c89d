import { basename, dirname } from 'node:path';
import type { DomainGraph, VersionTable } from '../../model/domain-graph.js';
import { InputError } from '../../model/input-error.js';
import { sqlLiteral } from '../../model/sql/literals.js';
import type { Design } from './designs.js';
import type { SqlFile } from './sql-files.js';

/**
 * robust over a user's schema (`--schema`): the files of sql/designs/robust-hot-row and
 * sql/designs/robust, renamed for the schema's tables, tenant column and version table. robust is
 * written for turbo-sim's own names (tv_ tables on the search path whose domain is the name without
 * `tv_`, a `tenant_id` column, turbo.tb_domain_version(tenant_id, domain, version)); everything
 * else it uses is the base layer's (the cascade as rows of turbo.tb_domain_dependency, the history
 * table), which is installed beside the schema. Renaming rather than a second copy of robust keeps
 * one robust: a change to its files reaches the adapted one, and a change that a rename no longer
 * fits stops the rendering (a bug, exit 70) instead of printing a migration that is not robust.
 */

/** The names robust is written for, as the schema spells them. */
export interface RobustNames {
  /** domain -> the table as SQL. */
  tables: Record<string, string>;
  /** The tenant column of the cached tables, as SQL. */
  tenant: string;
  versions: VersionTable;
}

/** A rename of robust's text: where it applies, what it replaces, and how often it must match at least. */
interface Rename {
  file: string;
  from: RegExp;
  /** The replacement of one match (`m` as String.replace gives it). */
  to: (n: RobustNames, m: string[]) => string;
  atLeast: number;
}

const TURBO_VERSIONS: VersionTable = {
  table: 'turbo.tb_domain_version',
  tenant: 'tenant_id',
  domain: 'domain',
  version: 'version',
};

const TRIGGERS = 'robust-hot-row/30-triggers.sql';
const DELTAS = 'robust/10-version-deltas.sql';

/** The history table keeps turbo-sim's column names (it is the base layer's): renames skip its column list. */
const HISTORY_COLUMNS = /(turbo\.tb_domain_version_history \([^)]*\))/;

const RENAMES: Rename[] = [
  // The cached tables' tenant column, in the queries of the transition tables and of TRUNCATE.
  { file: TRIGGERS, from: /\btenant_id\b/g, to: (n) => n.tenant, atLeast: 5 },
  // A table's domain from a lookup of the schema's tables, not from its name.
  {
    file: TRIGGERS,
    from: /regexp_replace\((c\.)?relname, '\^tv_', ''\)/g,
    to: (_, m) => `turbo.fn_robust_domain_of(${m[1] ?? ''}oid)`,
    atLeast: 2,
  },
  {
    file: TRIGGERS,
    from: /c\.relname LIKE 'tv\\_%' AND pg_table_is_visible\(c\.oid\)/g,
    to: () => 'turbo.fn_robust_domain_of(c.oid) IS NOT NULL',
    atLeast: 1,
  },
  {
    file: TRIGGERS,
    from: /SELECT turbo\.fn_for_each_tv_table\('SELECT turbo\.fn_robust_attach\(%1\$L\)'\);/g,
    to: (n) =>
      Object.values(n.tables)
        .map((t) => `SELECT turbo.fn_robust_attach(${sqlLiteral(t)});`)
        .join('\n'),
    atLeast: 1,
  },
  // The version table's columns and then the table, where the deltas and the compaction write them
  // (in one pass each, so that no new name is renamed again).
  {
    file: DELTAS,
    from: /\b(tenant_id|domain|version)\b/g,
    to: (n, m) =>
      ({ tenant_id: n.versions.tenant, domain: n.versions.domain, version: n.versions.version })[
        m[1] as 'domain'
      ],
    atLeast: 16,
  },
  { file: DELTAS, from: /\bturbo\.tb_domain_version\b/g, to: (n) => n.versions.table, atLeast: 2 },
];

/** The code of a line (what precedes `--`): comments keep robust's own names. */
function renameCode(line: string, r: Rename, n: RobustNames, count: { n: number }): string {
  const at = line.indexOf('--');
  const code = at < 0 ? line : line.slice(0, at);
  const parts = code.split(HISTORY_COLUMNS);
  const renamed = parts
    .map((p, i) =>
      i % 2 === 1
        ? p
        : p.replace(r.from, (...m) => {
            count.n++;
            return r.to(n, m as string[]);
          }),
    )
    .join('');
  return renamed + (at < 0 ? '' : line.slice(at));
}

/** Which rename file a design file is: its folder and name. */
const fileKey = (f: SqlFile) => `${basename(dirname(f.path))}/${basename(f.path)}`;

/** robust's files with every rename applied; throws (a bug) when a rename matches less than it must. */
export function renameRobust(files: SqlFile[], n: RobustNames): SqlFile[] {
  const counts = RENAMES.map(() => ({ n: 0 }));
  const out = files.map((f) => {
    const key = fileKey(f);
    let sql = f.sql;
    RENAMES.forEach((r, i) => {
      if (r.file !== key) return;
      sql = sql
        .split('\n')
        .map((line) => renameCode(line, r, n, counts[i] ?? { n: 0 }))
        .join('\n');
    });
    return { path: f.path, sql };
  });
  RENAMES.forEach((r, i) => {
    if ((counts[i]?.n ?? 0) < r.atLeast)
      throw new Error(
        `robust's SQL changed: ${r.file} has ${counts[i]?.n ?? 0} match(es) of ${r.from}, not ${r.atLeast}; update robust-for-schema.ts`,
      );
  });
  return out;
}

/** What the renamed files need beside the base layer: each table's domain, and the version table's audit columns. */
function adapterFile(n: RobustNames): SqlFile {
  const rows = Object.entries(n.tables)
    .map(([d, t]) => `(${sqlLiteral(t)}::regclass::oid, ${sqlLiteral(d)})`)
    .join(',\n        ');
  const v = n.versions;
  const audit =
    v.table === TURBO_VERSIONS.table
      ? []
      : [
          `-- robust writes who bumped last and why beside each version (as turbo.tb_domain_version has them);`,
          `-- the columns are added if missing, nullable, so the application's own writes need no change.`,
          `ALTER TABLE ${v.table} ADD COLUMN IF NOT EXISTS last_modified timestamp,`,
          '    ADD COLUMN IF NOT EXISTS modified_by text,',
          '    ADD COLUMN IF NOT EXISTS change_summary text;',
        ];
  return {
    path: '<robust for this schema>',
    sql: [
      `-- robust adapted to this schema: the files below are robust's (turbo-sim sql --design robust), with`,
      `-- the tables ${Object.values(n.tables).join(', ')}, their tenant column ${n.tenant} and the`,
      `-- version table ${v.table}(${v.tenant}, ${v.domain}, ${v.version}) in place of turbo-sim's own.`,
      `-- A pair's version is the sum of its rows in ${v.table} (robust appends a row per bump to`,
      `-- turbo.tb_domain_version_delta, which inherits from it): read it with sum(${v.version}) ... GROUP BY.`,
      '',
      '-- The domain of each cached table, for the triggers robust attaches (its own tables take it from the name).',
      'CREATE FUNCTION turbo.fn_robust_domain_of(p_table oid) RETURNS text',
      'LANGUAGE sql STABLE AS $$',
      `    SELECT d FROM (VALUES ${rows}) AS m(t, d) WHERE t = p_table`,
      '$$;',
      '',
      ...audit,
      '',
    ].join('\n'),
  };
}

/** The names of a --schema graph, or null when they are turbo-sim's own (robust fits as it is). */
export function robustNamesOf(graph: DomainGraph): RobustNames | null {
  if (!graph.schema || !graph.tables) return null;
  const shapes = graph.tables;
  const versions = graph.versionTable ?? TURBO_VERSIONS;
  const own =
    graph.schema.base &&
    versions.table === TURBO_VERSIONS.table &&
    Object.values(shapes).every((s) => s.tenant === 'tenant_id' && /^(public\.)?tv_/.test(s.table));
  if (own) return null;
  const tenants = [...new Set(Object.values(shapes).map((s) => s.tenant))];
  const tenant = tenants[0] ?? 'tenant_id';
  return {
    tables: Object.fromEntries(graph.domains.map((d) => [d, shapes[d]?.table ?? d])),
    tenant,
    versions,
  };
}

/**
 * robust for a --schema graph: its files renamed for the schema, after the adapter they need.
 * Refused (exit 2) where robust cannot run as written: a schema with its own `turbo` schema (robust
 * needs the base layer beside it), or a tenant column that is not uuid (robust carries tenants as
 * uuid).
 */
export function robustForSchema(robust: Design, graph: DomainGraph): Design {
  const n = robustNamesOf(graph);
  if (!n) return robust;
  if (graph.schema?.base === false)
    throw new InputError(
      'robust for a schema installs turbo-sim\'s base layer (schema "turbo") beside it, and this schema has a turbo schema of its own',
    );
  const other = Object.values(graph.tables ?? {}).find((s) => s.tenantType !== 'uuid');
  if (other)
    throw new InputError(
      `robust carries tenants as uuid; ${other.table}.${other.tenant} is ${other.tenantType}`,
    );
  const tenants = new Set(Object.values(graph.tables ?? {}).map((s) => s.tenant));
  if (tenants.size > 1) throw new Error('discovery gives every cached table the same tenant column');
  return {
    ...robust,
    description: `${robust.description}; adapted to the schema's tables, tenant column and version table`,
    files: [adapterFile(n), ...renameRobust(robust.files, n)],
  };
}

/**
 * The design to install over the graph: as given, or over a --schema that keeps its tables, tenant
 * or versions elsewhere, robust renamed for them (above). Any other built-in design
 * (but `none`) attaches its triggers to the `tv_` tables on the search path and writes `tenant_id`
 * and turbo.tb_domain_version: there it would attach nothing and every property would fail for a
 * reason that is not the schema's. Refused, exit 2.
 */
export function designOver(design: Design, graph: DomainGraph): Design {
  if (!graph.schema || !design.builtin || design.name === 'none' || !robustNamesOf(graph)) return design;
  if (design.name === 'robust') return robustForSchema(design, graph);
  throw new InputError(
    `design ${design.name} is written for tv_ tables on the search path with tenant_id and turbo.tb_domain_version; this schema keeps them elsewhere: give your own design with --design FILE, or --design robust, which is adapted to the schema`,
  );
}
