import type { Database } from './database.js';

/**
 * What a lesson shows besides versions: which PL/pgSQL functions ran, what a tracker holds, and what
 * a cached read served. Read from the database's own views and the read path's log.
 */

/** Calls so far of one PL/pgSQL or SQL function, `schema.name`. */
export interface FunctionCalls {
  calls: number;
  /** It returns `trigger`: PostgreSQL fired it, nobody called it by name. */
  trigger: boolean;
}

/**
 * Calls per function in every schema but the harness's and temporary ones, or null where statistics
 * cannot be read (track_functions not allowed).
 */
export async function functionCalls(db: Database): Promise<Map<string, FunctionCalls> | null> {
  try {
    // Function statistics reach the view only when flushed; forcing a flush in its own message makes
    // the counts exact at each read.
    await db.exec('SELECT pg_stat_force_next_flush()');
    // Calls of a transaction still open are not flushed until it ends: pg_stat_xact_user_functions
    // has them, so a message inside BEGIN ... COMMIT shows what it fired too.
    const rows = await db.query<{ name: string; calls: string; trigger: boolean }>(
      `SELECT s.schemaname || '.' || s.funcname AS name, sum(s.calls)::text AS calls,
              bool_or(p.prorettype = 'trigger'::regtype) AS trigger
       FROM (SELECT funcid, schemaname, funcname, calls FROM pg_stat_user_functions
             UNION ALL
             SELECT funcid, schemaname, funcname, calls FROM pg_stat_xact_user_functions) s
       JOIN pg_proc p ON p.oid = s.funcid
       WHERE s.schemaname <> 'turbo_sim' AND s.schemaname NOT LIKE 'pg_temp%'
       GROUP BY 1`,
    );
    return new Map(rows.map((r) => [r.name, { calls: Number(r.calls), trigger: r.trigger }]));
  } catch {
    return null;
  }
}

/** The functions that ran between two {@link functionCalls} readings, most calls first. */
export function callsBetween(
  before: Map<string, FunctionCalls> | null,
  after: Map<string, FunctionCalls> | null,
): { name: string; calls: number; trigger: boolean }[] | null {
  if (!before || !after) return null;
  return [...after]
    .map(([name, c]) => ({ name, calls: c.calls - (before.get(name)?.calls ?? 0), trigger: c.trigger }))
    .filter((c) => c.calls > 0)
    .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
}

/** Turns on the function statistics {@link functionCalls} reads; false where the role may not. */
export async function trackFunctions(db: Database): Promise<boolean> {
  try {
    await db.exec("SET track_functions = 'all'; SET stats_fetch_consistency = 'none'");
    return true;
  } catch {
    return false;
  }
}

/** Rows in the seed's statement tracker, or null for a design without one. */
export async function trackerRows(db: Database): Promise<number | null> {
  const [exists] = await db.query<{ t: string | null }>(
    "SELECT to_regclass('turbo.tb_statement_version_tracker')::text AS t",
  );
  if (!exists?.t) return null;
  const [r] = await db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM turbo.tb_statement_version_tracker',
  );
  return Number(r?.n ?? 0);
}

/** What one cached read served and how. */
export interface ReadObservation {
  /** From turbo.tb_cache_read_log: 'hit' or 'miss', null if the read logged nothing. */
  outcome: string | null;
  cacheVersion: number | null;
  currentVersion: number | null;
  response: unknown;
  /** The builder's fresh response differs from what was served (the harness's fn_is_stale). */
  stale: boolean;
  error: string | null;
}

/** One cached read as `tenant` (any SQL expression returning json), then whether it was stale. */
export async function observeRead(
  db: Database,
  tenant: string,
  sql: string,
  builder: string,
  params: Record<string, unknown>,
): Promise<ReadObservation> {
  try {
    await db.query("SELECT set_config('app.tenant_id', $1, false)", [tenant]);
    const [logBefore] = await db.query<{ id: string | null }>(
      'SELECT max(id)::text AS id FROM turbo.tb_cache_read_log',
    );
    const [row] = await db.query<{ response: unknown }>(`SELECT (${sql})::jsonb AS response`);
    const [log] = await db.query<{
      id: string;
      outcome: string;
      cache_version: string | null;
      current_version: string;
    }>(
      // Ordered by the bigint column: ordering by the text output would put id 9 after id 10.
      'SELECT l.id::text AS id, outcome, cache_version::text, current_version::text FROM turbo.tb_cache_read_log l ORDER BY l.id DESC LIMIT 1',
    );
    const logged = log && log.id !== logBefore?.id ? log : undefined;
    const [check] = await db.query<{ stale: boolean }>(
      'SELECT turbo_sim.fn_is_stale($1::jsonb, $2, $3::jsonb) AS stale',
      [JSON.stringify(row?.response ?? null), builder, JSON.stringify(params)],
    );
    return {
      outcome: logged?.outcome ?? null,
      cacheVersion: logged?.cache_version == null ? null : Number(logged.cache_version),
      currentVersion: logged ? Number(logged.current_version) : null,
      response: row?.response ?? null,
      stale: Boolean(check?.stale),
      error: null,
    };
  } catch (e) {
    const none = { outcome: null, cacheVersion: null, currentVersion: null, response: null, stale: false };
    return { ...none, error: (e as Error).message };
  }
}
