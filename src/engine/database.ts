import { InputError } from '../model/input-error.js';

/**
 * The one seam between turbo-sim and PostgreSQL. Everything above it (designs, simulator, checks,
 * CLI) is the same whether the session is an in-process PGlite or a server reached with `pg`.
 */
export interface Database {
  /** `pglite` or `postgres`, for reports. */
  readonly backend: string;
  /** Sends one simple-query message; it may hold several statements, which then share one implicit transaction. */
  exec(sql: string): Promise<void>;
  /** Runs one statement with the extended protocol and returns its rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<R[]>;
  /**
   * Runs `COPY ... FROM STDIN` with `data` (text format) as its input: PGlite reads it from a blob
   * (`/dev/blob`), a server from the driver's COPY stream.
   */
  copyFrom(sql: string, data: string): Promise<void>;
  /**
   * Sends `sql` as {@link exec} does, then runs `read` whether or not `sql` failed: one round trip
   * on PGlite, where a checked message and the version read after it are most of a run's time. An
   * SQL error of `sql` comes back as `error`; `rows` is null when `read` failed too (an error inside
   * a transaction leaves it aborted). A {@link DatabaseFailure} is thrown, as everywhere.
   *
   * `startAt` (on {@link clockMs}) holds `sql` back until then: the pause between two checked
   * messages. PGlite sleeps on its own thread, so that the thread driving
   * several databases is not kept busy waiting out their pauses.
   */
  execThenRead<R extends Record<string, unknown>>(
    sql: string,
    read: string,
    startAt?: number,
  ): Promise<ExecThenRead<R>>;
  /** Frees the instance or connection; node cannot exit while one is open. */
  close(): Promise<void>;
}

/** What {@link Database.execThenRead} saw. */
export interface ExecThenRead<R> {
  error: unknown | null;
  rows: R[] | null;
  /** When `sql` ended, on {@link clockMs}. */
  endedAt: number;
  /** Milliseconds spent waiting for `startAt`, and running `sql`. */
  waitedMs: number;
  execMs: number;
}

/**
 * The clock pauses between messages are counted on: Date.now(), the millisecond clock PGlite's
 * statement_timestamp() reads. A message sent once clockMs() >= (the previous one's end on this
 * clock) + 1 gets a statement_timestamp() in a later millisecond: waiting for the next tick, not
 * for a whole millisecond, is enough.
 */
export function clockMs(): number {
  return Date.now();
}

/** Waits until {@link clockMs} reaches `due`, yielding with setImmediate (setTimeout would round up to 1 ms). */
export async function waitUntil(due: number): Promise<void> {
  while (clockMs() < due) await new Promise((r) => setImmediate(r));
}

/** {@link Database.execThenRead} as two calls, for a backend where a round trip is cheap. */
export async function execThenReadInTurn<R extends Record<string, unknown>>(
  db: Database,
  sql: string,
  read: string,
  startAt = 0,
): Promise<ExecThenRead<R>> {
  const waitStart = performance.now();
  await waitUntil(startAt);
  const startedAt = performance.now();
  let error: unknown | null = null;
  try {
    await db.exec(sql);
  } catch (e) {
    if (e instanceof DatabaseFailure) throw e;
    error = e;
  }
  const times = {
    endedAt: clockMs(),
    waitedMs: startedAt - waitStart,
    execMs: performance.now() - startedAt,
  };
  try {
    return { error, rows: await db.query<R>(read), ...times };
  } catch (e) {
    if (e instanceof DatabaseFailure || error === null) throw e;
    return { error, rows: null, ...times };
  }
}

/** A PostgreSQL error with the fields turbo-sim reports. */
export interface SqlError {
  message: string;
  code?: string;
  position?: number;
  /** The DETAIL field: the harness puts its findings there as JSON. */
  detail?: string;
  /** The table and constraint an integrity error names (a row a user's schema refused). */
  table?: string;
  constraint?: string;
}

/** Reads message, SQLSTATE and position from an error thrown by PGlite or pg. */
export function sqlError(e: unknown): SqlError {
  const err = e as {
    message?: string;
    code?: string;
    position?: string | number;
    detail?: string;
    table?: string;
    constraint?: string;
  };
  const position = err.position === undefined ? undefined : Number(err.position);
  return {
    message: err.message ?? String(e),
    ...(err.code ? { code: err.code } : {}),
    ...(position !== undefined && Number.isFinite(position) ? { position } : {}),
    ...(typeof err.detail === 'string' ? { detail: err.detail } : {}),
    ...(typeof err.table === 'string' ? { table: err.table } : {}),
    ...(typeof err.constraint === 'string' ? { constraint: err.constraint } : {}),
  };
}

/** How long turbo-sim waits for the database; every call is bounded, so nothing hangs. */
export interface Limits {
  /** Longest one call (a statement, or one message of several) may run before turbo-sim gives up. */
  statementTimeoutMs: number;
  /** Longest a server may take to accept a connection and answer its start-up. */
  connectTimeoutMs: number;
}

/** The CLI's defaults: generous next to the milliseconds a workload statement takes. */
export const DEFAULT_LIMITS: Limits = { statementTimeoutMs: 10_000, connectTimeoutMs: 10_000 };

/** A limit in seconds, as the flags take it, for messages. */
export const seconds = (ms: number) => `${ms / 1000} s`;

/**
 * The database cannot be used any more: a call ran past the statement timeout or the connection was
 * lost. Never a verdict on the design's bumps: the run stops with exit 2 and this one line.
 */
export class DatabaseFailure extends InputError {
  override name = 'DatabaseFailure';
}

/** The failure of a call that ran past `limitMs`. */
export function timedOut(limitMs: number, where?: string): DatabaseFailure {
  return new DatabaseFailure(
    `no answer within the statement timeout of ${seconds(limitMs)} (--statement-timeout)${where ? `, in ${where}` : ''}`,
  );
}

/**
 * A database that can start copies of itself as it is now, with the same limits, instead of
 * installing the design again in each (PGlite: from a dump of its data directory, about 0.35 s
 * each and all at once; a server: CREATE DATABASE ... TEMPLATE, which also leaves the design's
 * cluster-wide statements, CREATE ROLE, run once).
 */
export interface Copies {
  copies(n: number): Promise<Database[]>;
}

/** Whether `db` can start copies of itself. */
export const hasCopies = (db: Database): db is Database & Copies =>
  typeof (db as Partial<Copies>).copies === 'function';
