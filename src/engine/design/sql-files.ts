import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DomainGraph, dependencyRows } from '../../model/domain-graph.js';
import { sqlLiteral, tvTable } from '../../model/sql/statements.js';
import { packageRoot } from './package-root.js';

/** One SQL file to run, named for error messages. */
export interface SqlFile {
  path: string;
  sql: string;
}

/** The `.sql` files of a folder, in file-name order. */
export function sqlFilesOf(dir: string): SqlFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ path: join(dir, f), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** The base layer every design is installed on: the shared tables, then the tv_ tables of `graph`. */
export function baseFiles(graph: DomainGraph): SqlFile[] {
  const base = sqlFilesOf(join(packageRoot(), 'sql', 'base'));
  // A user's schema (--schema) brings its own tables.
  const own = !graph.tables;
  const tables = own ? graph.domains.map((d) => `SELECT turbo.fn_create_tv_table(${sqlLiteral(d)});`) : [];
  const edges = dependencyRows(graph);
  const deps = edges.length
    ? [
        `INSERT INTO turbo.tb_domain_dependency (source_domain, target_domain) VALUES\n  ${edges.map(([s, t]) => `(${sqlLiteral(s)}, ${sqlLiteral(t)})`).join(',\n  ')};`,
      ]
    : [];
  // A foreign key's column is nullable: rows written without it reference nothing.
  const keys = (own ? (graph.foreignKeys ?? []) : []).flatMap((k) => [
    `ALTER TABLE ${tvTable(k.table)} ADD COLUMN ${k.column} bigint REFERENCES ${tvTable(k.references)} (id) ON DELETE CASCADE ON UPDATE CASCADE;`,
    `CREATE INDEX ON ${tvTable(k.table)} (${k.column});`,
  ]);
  const header = `-- The domain graph${graph.description ? `: ${graph.description}` : ''}${graph.transitive ? ' (transitive: the dependency rows are its closure)' : ''}.`;
  const builders = graph.builders
    ? [{ path: graph.builders, sql: readFileSync(graph.builders, 'utf8') }]
    : [];
  return [
    ...base,
    { path: '<domain graph>', sql: [header, ...tables, ...keys, ...deps, ''].join('\n') },
    ...builders,
  ];
}

/** The full SQL a user can apply with psql: base layer, graph and design, each file marked. */
export function fullSql(graph: DomainGraph, design: { files: SqlFile[] }): string {
  // Over a user's schema: turbo-sim's base layer where the schema has no turbo schema of its own.
  const base = graph.schema?.base === false ? [] : baseFiles(graph);
  return [...base, ...design.files]
    .map(
      (f) =>
        `-- ==== ${f.path.startsWith(packageRoot()) ? f.path.slice(packageRoot().length + 1) : f.path}\n${f.sql.trimEnd()}\n`,
    )
    .join('\n');
}
