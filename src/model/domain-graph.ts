import { InputError } from './input-error.js';
import type { TableShape } from './sql/table-shape.js';

/** A domain is the suffix of a `tv_<domain>` table, e.g. `contract` for `tv_contract`. */
export type Domain = string;

/**
 * The domains and cascade edges of a system. An edge [source, target] means a write to source also
 * invalidates target. With `transitive`, a write invalidates everything reachable from its domain;
 * without it, only the direct targets (what the seed's fn_handle_cascade_invalidation does).
 */
export interface DomainGraph {
  /** The file it was read from, for messages and replay commands (absent for a graph built in code). */
  origin?: string;
  description?: string;
  domains: Domain[];
  cascade: [Domain, Domain][];
  transitive: boolean;
  /**
   * A SQL file of response builders for this graph's tv_ tables (path relative to the domain file),
   * installed with the base layer. Cached-read properties and scenarios need it.
   */
  builders?: string;
  /** Cached reads the coherence properties issue: each guarded by one domain or several (multi-domain variant). */
  reads?: CachedRead[];
  /**
   * Foreign keys between tv_ tables, written `"contract_item.contract_id -> contract"` in the domain
   * file: a nullable column of the first table referencing the second's id, ON DELETE CASCADE ON
   * UPDATE CASCADE, so PostgreSQL's own cascade writes the first table inside the statement that
   * deletes or renumbers rows of the second.
   */
  foreignKeys?: ForeignKey[];
  /**
   * The tables of a user's schema (`--schema`), read from its catalog: how the model writes each
   * domain's rows. Absent: turbo-sim's own `(id, tenant_id, data)` tables.
   */
  tables?: Record<Domain, TableShape>;
  /** Where the versions are kept, when not in turbo.tb_domain_version (tenant_id, domain, version). */
  versionTable?: VersionTable;
  /** Where a --schema's cached tables, tenant column and versions are (the domain file's keys of the flags' names). */
  discovery?: { tables?: string | Record<Domain, string>; tenantColumn?: string; versionTable?: string };
  /** The user's schema, applied before everything else (its files, and the rows its base tables need). */
  schema?: UserSchema;
}

/** A version table and its columns, as SQL. */
export interface VersionTable {
  table: string;
  tenant: string;
  domain: string;
  version: string;
}

/** A user's schema as turbo-sim applies it: the files as given, then the rows the model's rows reference. */
export interface UserSchema {
  files: { path: string; sql: string }[];
  /** INSERTs of the base-table rows the tv_ rows reference (tenants, parents), run once after the files. */
  setup: string[];
  /** Whether turbo-sim's base layer (the turbo schema) is installed after it: not when the schema has its own. */
  base: boolean;
  /** The command-line flags that read the same graph again (`--schema FILE ... --tables ...`), for replay commands. */
  flags: string;
  /** A query listing the versions, for counterexample scripts. */
  versions: string;
}

/** A foreign key `table.column -> references` between two tv_ tables. */
export interface ForeignKey {
  table: Domain;
  column: string;
  references: Domain;
}

const FOREIGN_KEY = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\s*->\s*([a-z][a-z0-9_]*)$/;

function parseForeignKeys(value: unknown, known: Set<string>, fail: (why: string) => never): ForeignKey[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('"foreignKeys" must be an array of "table.column -> table" strings');
  const out = (value as unknown[]).map((v) => {
    const m = typeof v === 'string' ? FOREIGN_KEY.exec(v.trim()) : null;
    const [, table, column, references] = m ?? [];
    if (
      !table ||
      !column ||
      !references ||
      !known.has(table) ||
      !known.has(references) ||
      table === references
    )
      fail(
        `foreign key ${JSON.stringify(v)} must be "table.column -> table" between two different listed domains`,
      );
    if (['id', 'tenant_id', 'data', 'updated_at'].includes(column as string))
      fail(`foreign key ${JSON.stringify(v)}: ${column} is a column every tv_ table already has`);
    return { table, column, references } as ForeignKey;
  });
  if (new Set(out.map((k) => `${k.table}.${k.column}`)).size !== out.length)
    fail('"foreignKeys" has a duplicate column');
  return out;
}

/** A response read through turbo.fn_get_cached_response, built by `builder` for the session's tenant. */
export interface CachedRead {
  name: string;
  /** The domains whose versions guard the response. */
  domains: Domain[];
  builder: string;
  /** The tv_ tables the builder reads, by domain: the writes that can make this response stale. */
  tables: Domain[];
}

const DOMAIN_NAME = /^[a-z][a-z0-9_]{0,40}$/;

/** Validates a parsed domain file; `origin` names it in error messages. */
export function parseDomainGraph(value: unknown, origin: string): DomainGraph {
  const fail = (why: string): never => {
    throw new InputError(`${origin}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('expected a JSON object');
  const v = value as Record<string, unknown>;
  const domains = v.domains;
  if (!Array.isArray(domains) || domains.length === 0) fail('"domains" must be a non-empty array');
  for (const d of domains as unknown[]) {
    if (typeof d !== 'string' || !DOMAIN_NAME.test(d))
      fail(`domain ${JSON.stringify(d)} is not a lower-case identifier`);
  }
  if (new Set(domains as string[]).size !== (domains as string[]).length) fail('"domains" has a duplicate');
  const known = new Set(domains as string[]);
  const cascade = v.cascade ?? [];
  if (!Array.isArray(cascade)) fail('"cascade" must be an array of [source, target] pairs');
  for (const e of cascade as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || !known.has(e[0]) || !known.has(e[1]) || e[0] === e[1]) {
      fail(`cascade edge ${JSON.stringify(e)} must be [source, target] of two different listed domains`);
    }
  }
  const transitive = v.transitive ?? false;
  if (typeof transitive !== 'boolean') fail('"transitive" must be true or false');
  if (v.builders !== undefined && typeof v.builders !== 'string')
    fail('"builders" must be a path to a .sql file');
  const reads = v.reads ?? [];
  if (!Array.isArray(reads)) fail('"reads" must be an array');
  for (const r of reads as Record<string, unknown>[]) {
    const ds = r?.domains;
    if (
      typeof r?.name !== 'string' ||
      typeof r.builder !== 'string' ||
      !Array.isArray(ds) ||
      ds.length === 0 ||
      !ds.every((d) => known.has(d)) ||
      !Array.isArray(r.tables) ||
      !(r.tables as unknown[]).every((d) => known.has(d as string))
    ) {
      fail(`read ${JSON.stringify(r)} needs a name, a builder, guarding domains and the tables it reads`);
    }
  }
  if ((reads as unknown[]).length > 0 && v.builders === undefined) fail('"reads" needs a "builders" file');
  const foreignKeys = parseForeignKeys(v.foreignKeys, known, fail);
  const discovery = Object.fromEntries(
    ['tables', 'tenantColumn', 'versionTable'].filter((k) => v[k] !== undefined).map((k) => [k, v[k]]),
  ) as DomainGraph['discovery'];
  return {
    ...(discovery && Object.keys(discovery).length > 0 ? { discovery } : {}),
    ...(typeof v.description === 'string' ? { description: v.description } : {}),
    domains: domains as string[],
    cascade: cascade as [Domain, Domain][],
    transitive: transitive as boolean,
    ...(typeof v.builders === 'string' ? { builders: v.builders } : {}),
    ...((reads as unknown[]).length > 0 ? { reads: reads as CachedRead[] } : {}),
    ...(foreignKeys.length > 0 ? { foreignKeys } : {}),
  };
}

/**
 * The domains a write to `domain` invalidates besides itself, sorted. One level or the transitive
 * closure, as the graph says; never `domain` itself (it is always bumped anyway).
 */
export function cascadeTargets(graph: DomainGraph, domain: Domain): Domain[] {
  const direct = (d: Domain) => graph.cascade.filter(([s]) => s === d).map(([, t]) => t);
  const seen = new Set<Domain>(direct(domain));
  if (graph.transitive) {
    const queue = [...seen];
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
      for (const t of direct(d)) {
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
  }
  seen.delete(domain);
  return [...seen].sort();
}

/**
 * The edges stored in `turbo.tb_domain_dependency`: the direct edges, or for a transitive graph its
 * closure, so that a table-driven design reading one level of the table cascades as the graph says.
 */
export function dependencyRows(graph: DomainGraph): [Domain, Domain][] {
  return graph.domains.flatMap((d) => cascadeTargets(graph, d).map((t): [Domain, Domain] => [d, t]));
}

/** The domains whose rows PostgreSQL's cascade removes with rows of `domains`: they and every table referencing them, transitively. */
export function referencingClosure(graph: DomainGraph, domains: Domain[]): Domain[] {
  const out = new Set(domains);
  for (let grew = true; grew; ) {
    grew = false;
    for (const k of graph.foreignKeys ?? []) {
      if (out.has(k.references) && !out.has(k.table)) {
        out.add(k.table);
        grew = true;
      }
    }
  }
  return [...out];
}
