import type { Domain } from './domain-graph.js';
import type { PairKey, Versions } from './versions.js';
import type { Statement } from './workload.js';

/** One SQL statement of a plan and the bumps the specification requires of it. */
export interface PlannedStatement {
  /** What kind of statement it is, so nothing downstream has to search its SQL. */
  kind: Statement['kind'];
  /** The workload statement it was planned from (a loop's INSERT: one single-row insert). */
  write: Statement;
  sql: string;
  /** The (tenant, domain) pairs whose rows it writes, before the cascade adds its targets; sorted. */
  touched: PairKey[];
  /** Every (tenant, domain) this statement must bump exactly once, sorted; empty if it touches no row. */
  bumps: PairKey[];
  /** True when the statement is built to fail (and so must leave no bump). */
  fails: boolean;
}

/** A statement sent with the extended protocol: its text with `$n` placeholders, and their values. */
export interface BoundQuery {
  sql: string;
  params: string[];
}

/** A COPY ... FROM STDIN statement and its input, in COPY's text format. */
export interface CopyInput {
  sql: string;
  data: string;
}

/** One client message: the unit the harness sends and after which it reads the versions. */
export interface PlannedMessage {
  sql: string;
  /** Its top-level statements (several for a multi-statement message or a function step). */
  parts: string[];
  /** Sent inside an explicit transaction (BEGIN ... COMMIT or ROLLBACK, those two included). */
  inTransaction?: boolean;
  statements: PlannedStatement[];
  /** The server must answer this message with an error (a failing statement inside it). */
  expectError: boolean;
  /** Expected versions once the message is done. */
  versions: Versions;
  /**
   * Sent instead of `sql` (which then shows them for people): parameterized queries, one after the
   * other with no pause, each its own implicit transaction.
   */
  binds?: BoundQuery[];
  /** Sent instead of `sql` (which then shows it as psql would read it): COPY ... FROM STDIN and its input. */
  copy?: CopyInput;
  /** For ROLLBACK and ROLLBACK TO SAVEPOINT: the bumps it takes back. */
  undoes?: PairKey[];
}

/** A workload resolved into messages and expectations. */
export interface Plan {
  messages: PlannedMessage[];
  /** Rows of every tv_ table once the whole workload has run, domain -> id -> tenant. */
  rows: Map<Domain, Map<number, string>>;
}
