import type { Violation } from './verdict.js';

/**
 * What one interleaving of concurrent sessions did and broke, as data: the scheduler
 * (scheduler.ts) fills it, the search (concurrency-search.ts) shrinks it, report/ prints it.
 */

/** The properties a concurrent run judges, each on its own. */
export type ConcurrencyProperty =
  /** Every version equals its start plus the committed statements that had to bump it (at every quiet point). */
  | 'versions-exact'
  /** When no session is inside a step, every response the read path would serve equals a fresh build. */
  | 'no-stale-set'
  /** A cached read during which no other session committed returns what a fresh build returns. */
  | 'real-time'
  /** A cached read inside a transaction reflects the transaction's own writes. */
  | 'own-writes'
  /** A cached read returns its own tenant's response. */
  | 'tenant-isolation'
  /** A statement that should succeed failed (with an error other than a deadlock). */
  | 'errors';

/** One broken property: a violation with the property and the session it was seen in. */
export interface ConcurrencyViolation extends Violation {
  property: ConcurrencyProperty;
  /** The session whose unit broke it (absent for a quiet-point check). */
  session?: number;
  /** The cached read concerned. */
  read?: string;
}

/** One line of an interleaving's account, in the order things happened. */
export interface InterleavingEvent {
  session: number;
  /** The session's workload step the unit belongs to. */
  step: number;
  /** What the session sent or what happened to it, one line. */
  text: string;
  /**
   * sent: a unit went out and ended at once; paused: a read stopped between build and store;
   * waits: blocked on another session's lock; done: a unit that had waited or paused ended;
   * deadlock: this session's transaction was the victim and rolled back; error: it failed;
   * skipped: a unit of a transaction already rolled back.
   */
  outcome: 'sent' | 'paused' | 'waits' | 'done' | 'deadlock' | 'error' | 'skipped';
  /** Sessions it waits on (waits), by number. */
  on?: number[];
  /** The unit's full SQL, when it sent one. */
  sql?: string;
}

/** A cached read that built and stored, with the versions around it: the evidence of a diagnosis. */
export interface StoredRead {
  session: number;
  /** Index of its paused event in the events. */
  event: number;
  read: string;
  tenant: string;
  /** Sum of the guarding domains' versions when it built (read as state.ts reads versions). */
  versionAtBuild: number;
  /** The version its cache row carries once it stored (null: the row was gone or another's). */
  storedVersion: number | null;
  /** Sessions whose COMMIT was acknowledged between its build and its store. */
  commitsBetween: { session: number; event: number }[];
}

/** One interleaving run. */
export interface InterleavingRun {
  /** The session of every unit, in the order the scheduler sent them. */
  order: number[];
  events: InterleavingEvent[];
  violations: ConcurrencyViolation[];
  stores: StoredRead[];
  committedStatements: number;
  deadlocks: number;
  serializationFailures: number;
  readsServed: number;
  quietChecks: number;
}
