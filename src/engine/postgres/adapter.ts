import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import { InputError } from '../../model/input-error.js';
import {
  type Database,
  DatabaseFailure,
  DEFAULT_LIMITS,
  type ExecThenRead,
  execThenReadInTurn,
  type Limits,
  seconds,
  timedOut,
} from '../database.js';
import { onAbandon } from '../teardown.js';
import { type ClusterState, clusterState, restoreCluster } from './cluster-state.js';
import { parseDatabaseUrl, redact } from './database-url.js';
import { dropLeftBehind, runMark } from './run-marks.js';

/** A fresh database on a PostgreSQL server, created for this run and dropped when closed. */
export interface PostgresRun {
  /** The first session, on the fresh database. */
  db: Database;
  /**
   * Opens another session on the same fresh database (for concurrent sessions). `waits`: no
   * statement timeout, for a session whose caller watches it and knows when it waits on another
   * session's lock (the concurrency scheduler); the caller then bounds it.
   */
  connect(options?: { waits?: boolean }): Promise<Database>;
  /** The fresh database's name. */
  name: string;
}

/** How {@link openPostgres} connects, and who hears what it cleaned up. */
export interface PostgresOptions {
  limits?: Partial<Limits>;
  /** Told about roles a design created (they outlive a database, so turbo-sim drops them). */
  onNote?: (message: string) => void;
}

// Errors after which a session is gone: admin shutdown or termination, crash, and the connection
// exception class.
const LOST = /^(57P0[123]|08)/;

/** Below this share of --statement-timeout, a statement timeout is one the design set for itself. */
const OWN_TIMEOUT_SHARE = 0.9;

class PgDatabase implements Database {
  readonly backend = 'postgres';
  private lost: Error | null = null;
  constructor(
    private readonly client: pg.Client,
    private readonly limits: Limits,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    // Without a listener, a connection dropping between two queries is an unhandled 'error' event.
    client.on('error', (e) => {
      this.lost ??= e;
    });
  }
  /**
   * A timeout or a lost connection as a DatabaseFailure; any other error as it came. A statement
   * timeout that fired well before turbo-sim's own is the design's (it set statement_timeout
   * itself): the statement failed, which is the design's answer to judge, not a hang.
   */
  private failure(e: unknown, elapsedMs: number): unknown {
    const err = e as { code?: string; message?: string; where?: string };
    const ours = elapsedMs >= OWN_TIMEOUT_SHARE * this.limits.statementTimeoutMs;
    if (err.code === '57014' && /statement timeout/.test(err.message ?? '') && ours)
      return timedOut(this.limits.statementTimeoutMs, err.where?.split('\n')[0]);
    if (/Query read timeout/.test(err.message ?? '')) return timedOut(this.limits.statementTimeoutMs);
    if (this.lost || LOST.test(err.code ?? '') || /Connection terminated|ECONNRESET/.test(err.message ?? ''))
      return new DatabaseFailure(`lost the connection to the server: ${err.message ?? String(e)}`);
    return e;
  }
  private async run<T>(f: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await f();
    } catch (e) {
      throw this.failure(e, performance.now() - start);
    }
  }
  async exec(sql: string): Promise<void> {
    await this.run(() => this.client.query(sql));
  }
  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.run(() => this.client.query<R>(sql, params))).rows;
  }
  execThenRead<R extends Record<string, unknown>>(
    sql: string,
    read: string,
    startAt?: number,
  ): Promise<ExecThenRead<R>> {
    return execThenReadInTurn<R>(this, sql, read, startAt);
  }
  async copyFrom(sql: string, data: string): Promise<void> {
    await this.run(() => pipeline(Readable.from([data]), this.client.query(copyStream(sql))));
  }
  async close(): Promise<void> {
    await this.client.end().catch(() => {});
    await this.onClose();
  }
}

/**
 * A connected client, bounded by the limits: the server cancels a statement after the statement
 * timeout (so a backend never spins on after turbo-sim is gone), and the client gives up on a server
 * that stops answering. A client that fails to connect is closed at once, or its socket would keep
 * the process alive until the server's authentication timeout.
 */
async function connectClient(config: pg.ClientConfig, limits: Limits, waits = false): Promise<pg.Client> {
  const c = new pg.Client({
    ...config,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    ...(waits
      ? { statement_timeout: 0 }
      : {
          statement_timeout: limits.statementTimeoutMs,
          query_timeout: limits.statementTimeoutMs + limits.connectTimeoutMs,
        }),
  });
  c.on('error', () => {}); // reported through the failing call
  c.on('notice', () => {}); // "there is no transaction in progress" is not turbo-sim's output
  try {
    await c.connect();
  } catch (e) {
    await c.end().catch(() => {});
    throw e;
  }
  return c;
}

/** The least time limit of the admin connection's statements. */
const ADMIN_TIMEOUT_MS = 60_000;

/** Runs `f` on a fresh admin connection to the database of `url`, closed on every path. */
async function withAdmin<T>(
  config: pg.ClientConfig,
  url: string,
  limits: Limits,
  f: (c: pg.Client) => Promise<T>,
): Promise<T> {
  let admin: pg.Client;
  try {
    // CREATE and DROP DATABASE run no design code: --statement-timeout is not their limit (a 0.5 s
    // one failed CREATE DATABASE on a busy machine), but they stay bounded.
    admin = await connectClient(config, {
      ...limits,
      statementTimeoutMs: Math.max(limits.statementTimeoutMs, ADMIN_TIMEOUT_MS),
    });
  } catch (e) {
    const m = (e as Error).message;
    const why = /timeout expired|Connection terminated due to connection timeout/.test(m)
      ? `no answer within ${seconds(limits.connectTimeoutMs)} (--connect-timeout)`
      : /password must be a string/.test(m)
        ? 'the server asks for a password and the URL gives none'
        : m;
    throw new InputError(`cannot connect to ${redact(url)}: ${why}`);
  }
  try {
    return await f(admin);
  } finally {
    await admin.end().catch(() => {});
  }
}

const roles = async (c: pg.Client) =>
  new Set((await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).rows.map((r) => r.rolname));

/**
 * Isolates a run on a server that may be someone's real database: parses `url` first, connects only
 * to CREATE DATABASE turbo_sim_<random>, does all its work in that new database (so the turbo schema
 * and the tv_ tables cannot meet existing objects), and drops it through a fresh admin connection
 * when the first session closes, when the connection is lost, or when the process is stopped
 * (teardown.ts). Roles a design created are global, so they are reported and dropped too. Without
 * the CREATEDB privilege it refuses (InputError) rather than write into an existing database.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresRun> {
  const config = parseDatabaseUrl(url);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const name = `turbo_sim_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  let cluster: ClusterState | undefined;
  let rolesBefore: Set<string> | undefined;
  // Set once CREATE DATABASE is sent: from then on the database may exist, and a signal must drop it.
  let creating: Promise<void> | undefined;
  const sessions: pg.Client[] = [];
  let dropped: Promise<void> | null = null;
  const drop = () => {
    dropped ??= (async () => {
      unregister();
      // A signal during CREATE DATABASE (or the COMMENT that marks it) waits for it: dropped before
      // it exists, the database would be created after, unmarked, and no later run would drop it.
      await creating?.catch(() => {});
      await Promise.all(sessions.map((c) => c.end().catch(() => {})));
      try {
        await withAdmin(config, url, limits, async (admin) => {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          // Roles are compared with the ones there before: unknown, none is dropped.
          if (!rolesBefore) return;
          if (cluster)
            for (const note of await restoreCluster(admin, cluster, name, rolesBefore))
              options.onNote?.(note);
          const before = rolesBefore;
          const created = [...(await roles(admin))].filter((r) => !before.has(r));
          if (created.length === 0) return;
          const kept: string[] = [];
          for (const r of created)
            await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(r)}`).catch(() => kept.push(r));
          options.onNote?.(
            `the design created role(s) ${created.join(', ')}; turbo-sim dropped ${kept.length ? `all but ${kept.join(', ')}` : 'them'}`,
          );
        });
      } catch (e) {
        // The server went away (or refused): say which database stays behind, and how it goes.
        throw new InputError(
          `${(e as Error).message}; database ${name} is left on the server: the next turbo-sim run there drops it, or DROP DATABASE ${name}`,
        );
      }
    })();
    return dropped;
  };
  // Registered before the database exists, so that a signal at any point after CREATE DATABASE drops it.
  const unregister = onAbandon(drop);
  try {
    await withAdmin(config, url, limits, async (admin) => {
      for (const note of await dropLeftBehind(admin)) options.onNote?.(note);
      rolesBefore = await roles(admin);
      cluster = await clusterState(admin);
      // Abandoned already (a signal while connecting): create nothing.
      if (dropped) throw new DatabaseFailure('stopped before the database was created');
      creating = (async () => {
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } catch (e) {
          throw new InputError(
            `turbo-sim works only in a database it creates, and CREATE DATABASE failed on ${redact(url)} (${(e as Error).message}); grant CREATEDB to this role or point --database-url at a scratch server`,
          );
        }
        await admin.query(`COMMENT ON DATABASE ${name} IS ${pg.escapeLiteral(runMark())}`);
      })();
      await creating;
    });
  } catch (e) {
    // Nothing was created before CREATE DATABASE was sent; after, it may exist.
    if (creating) await drop().catch(() => {});
    else unregister();
    throw e;
  }
  const open = async (waits = false) => {
    const c = await connectClient({ ...config, database: name }, limits, waits);
    sessions.push(c);
    return c;
  };
  let first: pg.Client;
  try {
    first = await open();
  } catch (e) {
    await drop();
    throw new InputError(`cannot connect to the new database ${name}: ${(e as Error).message}`);
  }
  return {
    name,
    db: new PgDatabase(first, limits, drop),
    connect: async (o = {}) => new PgDatabase(await open(o.waits), limits),
  };
}
