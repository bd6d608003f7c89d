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
  /** Frees the instance or connection; node cannot exit while one is open. */
  close(): Promise<void>;
}

/** A PostgreSQL error with the fields turbo-sim reports. */
export interface SqlError {
  message: string;
  code?: string;
  position?: number;
  /** The DETAIL field: the harness puts its findings there as JSON. */
  detail?: string;
}

/** Reads message, SQLSTATE and position from an error thrown by PGlite or pg. */
export function sqlError(e: unknown): SqlError {
  const err = e as { message?: string; code?: string; position?: string | number; detail?: string };
  const position = err.position === undefined ? undefined : Number(err.position);
  return {
    message: err.message ?? String(e),
    ...(err.code ? { code: err.code } : {}),
    ...(position !== undefined && Number.isFinite(position) ? { position } : {}),
    ...(typeof err.detail === 'string' ? { detail: err.detail } : {}),
  };
}
