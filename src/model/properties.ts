import type { CachedRead, DomainGraph } from './domain-graph.js';
import { InputError } from './input-error.js';

/**
 * How versions are judged after a message. `exact`: every version equals the model's. `isolation`:
 * only tenants the message's statements touched may see a version change, however many bumps they
 * get. `reads`: versions are not judged, only what cached reads return (STALE, LEAK) and whether
 * statements fail as they must.
 */
export type Judge = 'exact' | 'isolation' | 'reads';

/**
 * How a plan's messages reach the server. `paused`: each message starts at least `pauseMs` after the
 * previous one ended, and versions are read and judged around every message, so a violation names
 * its message. `back-to-back`: the messages go out with nothing in between, not even a version read,
 * and the versions are judged once after the last one; only an unexpected error stops it earlier.
 */
export type Timing = { kind: 'paused'; pauseMs: number } | { kind: 'back-to-back' };

/** Which statements a class draws from (the names of the generators in arbitraries.ts). */
export type StatementClass =
  | 'plain'
  | 'move'
  | 'upsert'
  | 'truncate'
  | 'failingInsert'
  | 'cte'
  | 'any'
  | 'fromTable'
  | 'insertIgnore'
  | 'merge'
  | 'base'
  | 'foreignKey'
  | 'every';

/** How a class groups its statements into client messages. */
export type Grouping = 'statement' | 'message' | 'do' | 'function' | 'prepared' | 'copy' | 'transaction';

/** Which of the graph's cached reads a class mixes with its writes. */
export type ReadClass = 'single-domain' | 'multi-domain' | 'tenant-only';

/**
 * A property of the version counters, as data: for every workload of its class (statements of
 * `writes`, grouped as `groupings`, with cached reads when `reads` is set), sent as `timing` says,
 * the versions judged by `judge` match the reference model. Classes are kept apart so a verdict says
 * which kind of statement a design gets wrong.
 */
export interface PropertySpec {
  name: string;
  description: string;
  writes: StatementClass;
  groupings: Grouping[];
  reads?: ReadClass;
  timing: Timing;
  judge: Judge;
  /** Times a workload is run before it counts as passing (for clock-dependent classes). */
  attempts: number;
}

/** The replay-relevant pause of a property: 0 when back to back. */
export function pauseOf(p: PropertySpec): number {
  return p.timing.kind === 'paused' ? p.timing.pauseMs : 0;
}

/** A property needs the graph's cached reads (builders); it is skipped for a graph without them. */
export function needsReads(p: PropertySpec): boolean {
  return p.reads !== undefined;
}

/** A property needs the harness's base tables, which only turbo-sim's own tables have (not a --schema). */
export function needsBaseTables(p: PropertySpec): boolean {
  return p.writes === 'base';
}

/** A property needs the graph's foreign keys; it is skipped for a graph without them. */
export function needsForeignKeys(p: PropertySpec): boolean {
  return p.writes === 'foreignKey';
}

/** The graph's reads a property with `reads` draws from. */
export function readsOf(p: PropertySpec, graph: DomainGraph): CachedRead[] {
  return (graph.reads ?? []).filter((r) =>
    p.reads === 'single-domain'
      ? r.domains.length === 1
      : p.reads === 'multi-domain'
        ? r.domains.length > 1
        : true,
  );
}

/** The domains a property's writes go to: every domain, or the tables its reads read. */
export function writtenDomains(p: PropertySpec, graph: DomainGraph): string[] {
  return p.reads ? [...new Set(readsOf(p, graph).flatMap((r) => r.tables))] : graph.domains;
}

/**
 * Why a graph cannot give a property's workloads, in words for the report; null when it can. A
 * generator asked for what a graph lacks would throw, or (two distinct tables out of one) loop
 * forever, so every property is checked here before any run.
 */
export function unmetNeed(p: PropertySpec, graph: DomainGraph): string | null {
  if (needsReads(p) && (graph.reads ?? []).length === 0)
    return 'the domain graph has no "reads" (cached reads need builders)';
  if (p.reads === 'multi-domain' && readsOf(p, graph).length === 0)
    return 'the domain graph has no read of several domains';
  if (p.reads === 'single-domain' && readsOf(p, graph).length === 0)
    return 'the domain graph has no read of one domain';
  if (needsForeignKeys(p) && (graph.foreignKeys ?? []).length === 0)
    return 'the domain graph has no "foreignKeys" (the cascade needs a foreign key)';
  // A user's schema (--schema) has no base tables of the harness's shape.
  if (needsBaseTables(p) && graph.tables)
    return "a --schema has no base tables of the harness's shape (tb_row_, tb_stmt_, tb_fn_)";
  if (p.writes === 'cte' && writtenDomains(p, graph).length < 2)
    return 'a writable CTE writes two tv_ tables, and the graph has one domain';
  return null;
}

// Every class but back-to-back starts a message at least 1 ms (of real time, sub-millisecond
// clock) after the previous one ended, so that even a millisecond statement_timestamp() differs
// between them and a design is judged on the statement kind, not on PGlite's clock.
const PAUSED: Timing = { kind: 'paused', pauseMs: 1 };

type Declared = Pick<PropertySpec, 'name' | 'description' | 'writes'> & Partial<PropertySpec>;

/** The defaults: one statement per message, paused, judged exactly, run once. */
function property(p: Declared): PropertySpec {
  return { groupings: ['statement'], timing: PAUSED, judge: 'exact', attempts: 1, ...p };
}

const EVERY_GROUPING: Grouping[] = ['statement', 'message', 'do', 'function', 'transaction'];

/** The one-bump-per-statement properties, one per workload class. */
export const BUMP_PROPERTIES: readonly PropertySpec[] = [
  property({
    name: 'batch',
    description:
      'single statements, one per message: multi-row INSERT with mixed tenants (0..N rows), UPDATE and DELETE by predicate (possibly matching no row)',
    writes: 'plain',
  }),
  property({
    name: 'back-to-back',
    description:
      'the same single statements sent back to back, with no pause and no read between messages; versions are judged after the last one',
    writes: 'plain',
    timing: { kind: 'back-to-back' },
    // A clock-dependent failure may not repeat; trying a workload again before calling it good keeps
    // shrinking from discarding candidates that fail only some of the time.
    attempts: 3,
  }),
  property({
    name: 'tenant-move',
    description: 'UPDATE that moves rows to another tenant (both tenants must be bumped)',
    writes: 'move',
  }),
  property({
    name: 'upsert',
    description:
      'INSERT ... ON CONFLICT (id) DO UPDATE, inserting and updating (possibly re-tenanting) in one statement',
    writes: 'upsert',
  }),
  property({
    name: 'truncate',
    description: 'TRUNCATE of one or two tv_ tables (every tenant whose rows it removes must be bumped)',
    writes: 'truncate',
  }),
  property({
    name: 'failing-statement',
    description: 'a multi-row INSERT that fails on a duplicate key after some rows (must leave no bump)',
    writes: 'failingInsert',
  }),
  property({
    name: 'writable-cte',
    description:
      'one statement whose data-modifying CTEs write two or three tv_ tables (overlapping cascades bump once)',
    writes: 'cte',
  }),
  property({
    name: 'multi-statement-message',
    description: 'several statements sent in one simple-query message (each is its own statement)',
    writes: 'plain',
    groupings: ['message'],
  }),
  property({
    name: 'do-block',
    description: 'several statements inside a DO block or a PL/pgSQL function (each is its own statement)',
    writes: 'plain',
    groupings: ['do', 'function'],
  }),
  property({
    name: 'transaction',
    description:
      'explicit transactions with COMMIT or ROLLBACK and SAVEPOINT / RELEASE / ROLLBACK TO (rolled-back work leaves no bump)',
    writes: 'plain',
    groupings: ['transaction'],
  }),
  property({
    name: 'from-table',
    description:
      "INSERT ... SELECT from a tv_ table, UPDATE ... FROM (possibly taking the source row's tenant) and DELETE ... USING, with or without RETURNING",
    writes: 'fromTable',
  }),
  property({
    name: 'on-conflict-do-nothing',
    description:
      'INSERT ... ON CONFLICT DO NOTHING, with or without RETURNING: rows that meet an existing id change nothing and must bump nothing',
    writes: 'insertIgnore',
  }),
  property({
    name: 'merge',
    description:
      'MERGE from a VALUES list with WHEN MATCHED UPDATE / DELETE / conditional UPDATE-else-DELETE and WHEN NOT MATCHED INSERT, in any combination',
    writes: 'merge',
  }),
  property({
    name: 'prepared',
    description:
      'statements of every kind as prepared statements: PREPARE / EXECUTE in one message, or parameterized extended-protocol queries back to back (each is its own statement)',
    writes: 'any',
    groupings: ['prepared'],
  }),
  property({
    name: 'copy',
    description:
      'COPY ... FROM (PGlite: from a blob; a server: COPY FROM STDIN through the driver) of 0..N rows of mixed tenants, between single statements: one statement',
    writes: 'plain',
    groupings: ['copy'],
  }),
  property({
    name: 'base-sync',
    description:
      'writes to base tables (tb_) synced into tv_ by a row trigger (one tv_ statement per row), a statement trigger on the transition table, or a mutation function calling a sync function',
    writes: 'base',
  }),
  property({
    name: 'foreign-key-cascade',
    description:
      "rows referencing another tv_ table's rows (ON DELETE CASCADE ON UPDATE CASCADE, from the domain file), then DELETE or renumbering of the parents: PostgreSQL's cascade is part of the statement, its child rows' pairs bumped once with the parents'",
    writes: 'foreignKey',
  }),
  property({
    name: 'mixed',
    description:
      'every statement kind, old and new, in every grouping: messages, DO blocks, functions, prepared statements, COPY and transactions of any write',
    writes: 'every',
    groupings: [...EVERY_GROUPING, 'prepared', 'copy'],
  }),
  property({
    name: 'coherence',
    description:
      'cached reads guarded by one domain, interleaved with every kind of write, in messages, DO blocks, functions and transactions: each read equals a fresh build (else STALE)',
    writes: 'any',
    groupings: EVERY_GROUPING,
    reads: 'single-domain',
    judge: 'reads',
  }),
  property({
    name: 'coherence-multi-domain',
    description:
      'the same with reads guarded by several domains at once (the multi-domain fn_get_cached_response)',
    writes: 'any',
    groupings: EVERY_GROUPING,
    reads: 'multi-domain',
    judge: 'reads',
  }),
  property({
    name: 'tenant-isolation',
    description:
      "reads and writes of several tenants: a read never returns another tenant's response, and a statement changes only the versions of tenants it touched (LEAK)",
    writes: 'any',
    groupings: EVERY_GROUPING,
    reads: 'tenant-only',
    judge: 'isolation',
  }),
];

/** A property by name, or an input error listing the known ones. */
export function findProperty(name: string): PropertySpec {
  const p = BUMP_PROPERTIES.find((x) => x.name === name);
  if (!p)
    throw new InputError(
      `unknown property "${name}" (known: ${BUMP_PROPERTIES.map((x) => x.name).join(', ')})`,
    );
  return p;
}
