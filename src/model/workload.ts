import type { Domain } from './domain-graph.js';

/**
 * The workload language: what a test or scenario asks the database to do, independent of row ids
 * and SQL text. The reference model resolves it against its rows and renders the SQL, so a workload
 * is a small, shrinkable value and the SQL it becomes is fully determined by it.
 */

/** The tenants workloads use, by index. Fixed so a printed counterexample reads the same every run. */
export const TENANTS: readonly string[] = [
  '00000000-0000-4000-8000-00000000000a',
  '00000000-0000-4000-8000-00000000000b',
  '00000000-0000-4000-8000-00000000000c',
];

/** Index into {@link TENANTS}. */
export type TenantRef = number;

/** Which rows an UPDATE or DELETE matches. `none` is a predicate that matches no row at all. */
export type Predicate =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'tenant'; tenant: TenantRef }
  | { kind: 'idMod'; modulus: number; remainder: number };

/** A row a statement brings with it: `existing` picks a current row by position (mod count), null a new id. */
export interface SourceRow {
  existing: number | null;
  tenant: TenantRef;
}

/** What MERGE does to a target row its source matches; `updateSameTenant` updates it when the tenants agree, else deletes it. */
export type MergeMatched = 'update' | 'delete' | 'updateSameTenant';

/** A base table the application writes and a sync mechanism copies into the tv_ table of its domain. */
export type BaseSync =
  /** An AFTER ROW trigger: every base row written runs its own tv_ statement. */
  | 'row'
  /** An AFTER STATEMENT trigger reading the transition table: one tv_ statement per base statement. */
  | 'statement'
  /** No trigger: a mutation function writes the base table, then calls a sync function (one tv_ statement). */
  | 'function';

/** One SQL statement that writes tv_ tables. */
export type Write =
  /** Multi-row INSERT; `failing` repeats the first id at the end, so the statement fails on a unique violation. */
  | { kind: 'insert'; domain: Domain; tenants: TenantRef[]; failing?: boolean }
  /** UPDATE by predicate; with `moveTo` it also moves the matched rows to that tenant. */
  | { kind: 'update'; domain: Domain; where: Predicate; moveTo?: TenantRef }
  | { kind: 'delete'; domain: Domain; where: Predicate }
  /** INSERT ... ON CONFLICT (id) DO UPDATE; `existing` picks a current row by position (mod count), null inserts. */
  | { kind: 'upsert'; domain: Domain; rows: { existing: number | null; tenant: TenantRef }[] }
  | { kind: 'truncate'; domains: Domain[] }
  /** One statement made of data-modifying CTEs, each on its own tv_ table. */
  | { kind: 'cte'; parts: Write[] }
  /** INSERT ... SELECT copying the rows of `from` that match `where` under new ids. */
  | { kind: 'insertSelect'; domain: Domain; from: Domain; where: Predicate; returning?: boolean }
  /** UPDATE ... FROM `from` joined on id; `takeTenant` moves each row to its source row's tenant. */
  | {
      kind: 'updateFrom';
      domain: Domain;
      from: Domain;
      where: Predicate;
      takeTenant?: boolean;
      returning?: boolean;
    }
  /** DELETE ... USING `from` joined on id. */
  | { kind: 'deleteUsing'; domain: Domain; from: Domain; where: Predicate; returning?: boolean }
  /** INSERT ... ON CONFLICT (id) DO NOTHING: rows picking an existing id change nothing. */
  | { kind: 'insertIgnore'; domain: Domain; rows: SourceRow[]; returning?: boolean }
  /** MERGE from a VALUES list joined on id, with any combination of its WHEN clauses (at least one). */
  | { kind: 'merge'; domain: Domain; rows: SourceRow[]; matched: MergeMatched | null; insert: boolean }
  /**
   * An INSERT into the table of a foreign key (`table.column`, as the graph declares it), each row
   * referencing an existing parent row picked by position (mod count), or none when there is none.
   */
  | { kind: 'insertChild'; foreignKey: string; rows: { parent: number; tenant: TenantRef }[] }
  /** Renumbers the matching rows to fresh ids: the foreign keys referencing them follow (ON UPDATE CASCADE). */
  | { kind: 'rekey'; domain: Domain; where: Predicate }
  /** A write to the base table of `domain` synced by `sync`: inserts `tenants`, or updates / deletes by predicate. */
  | {
      kind: 'base';
      sync: BaseSync;
      domain: Domain;
      op:
        | { kind: 'insert'; tenants: TenantRef[] }
        | { kind: 'update'; where: Predicate; moveTo?: TenantRef }
        | { kind: 'delete'; where: Predicate };
    };

/**
 * A cached read (by name, from the graph's reads) as `tenant`, checked against a fresh build, or
 * with `tenantOnly` only for returning the tenant's own response. It writes no tv_ table, so it
 * must bump nothing.
 */
export interface Read {
  kind: 'read';
  read: string;
  tenant: TenantRef;
  tenantOnly?: boolean;
}

/** Anything a step can send as one SQL statement: a write or a cached read. */
export type Statement = Write | Read;

/** A savepoint inside a transaction, released or rolled back to. */
export interface Savepoint {
  kind: 'savepoint';
  writes: Statement[];
  end: 'release' | 'rollback';
}

/** One step of a workload, each sent to the server as one or more client messages. */
export type Step =
  /** One statement in its own message (back to back with the previous one: no pause). */
  | { kind: 'statement'; write: Statement }
  /** Several statements in one simple-query message. */
  | { kind: 'message'; writes: Statement[] }
  /** Several statements in one DO block. */
  | { kind: 'do'; writes: Statement[] }
  /** Several statements in a PL/pgSQL function, created and called in one message. */
  | { kind: 'function'; writes: Statement[] }
  /** A DO block whose FOR loop runs `times` single-row INSERTs (the seed's own "single row operations" test). */
  | { kind: 'loop'; domain: Domain; tenant: TenantRef; times: number }
  /**
   * Statements sent as prepared statements with their literals as parameters: `prepare` sends
   * PREPARE, EXECUTE and DEALLOCATE in one simple-query message; `bind` sends each as a parameterized
   * extended-protocol query (node-postgres, PGlite), one after the other with no pause.
   */
  | { kind: 'prepared'; writes: Write[]; via: 'prepare' | 'bind' }
  /** A bulk load: COPY ... FROM STDIN of rows for `tenants`, one statement in its own message. */
  | { kind: 'copy'; domain: Domain; tenants: TenantRef[] }
  /** BEGIN, one message per statement or savepoint, then COMMIT or ROLLBACK. */
  | { kind: 'transaction'; items: (Statement | Savepoint)[]; end: 'commit' | 'rollback' };

/** A whole workload, run from an empty database. */
export type Workload = Step[];

/** The tenant UUID of an index into {@link TENANTS}. */
export function tenantOf(r: TenantRef): string {
  const t = TENANTS[r];
  if (t === undefined) throw new Error(`tenant index ${r} out of range`);
  return t;
}

/** Whether a row matches a predicate. */
export function matches(where: Predicate, id: number, tenant: string): boolean {
  switch (where.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'tenant':
      return tenant === TENANTS[where.tenant];
    case 'idMod':
      return id % where.modulus === where.remainder;
  }
}
