import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import { InputError } from '../../model/input-error.js';
import {
  type Copies,
  type Database,
  DatabaseFailure,
  DEFAULT_LIMITS,
  type ExecThenRead,
  execThenReadInTurn,
  type Limits,
  timedOut,
} from '../database.js';
import { onAbandon } from '../teardown.js';
import { type ClusterState, clusterState, restoreCluster } from './cluster-state.js';
import { connectClient, withAdmin } from './connections.js';
import { copyRun } from './copies.js';
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
    protected client: pg.Client,
    private readonly limits: Limits,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.listen();
  }
  /** Without a listener, a connection dropping between two queries is an unhandled 'error' event. */
  protected listen(): void {
    this.client.on('error', (e) => {
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
 * A run's first session, which can copy the run's database: CREATE DATABASE ... TEMPLATE refuses
 * while anyone is connected to the template, so this session steps out while the copies are made
 * and comes back on a new connection (session settings do not survive; a check's reset sets its
 * own). The copies are dropped before the run's database (see {@link copyRun}).
 */
class FirstSession extends PgDatabase implements Copies {
  constructor(
    client: pg.Client,
    limits: Limits,
    onClose: () => Promise<void>,
    private readonly copy: (n: number) => Promise<Database[]>,
    private readonly reconnect: () => Promise<pg.Client>,
  ) {
    super(client, limits, onClose);
  }
  async copies(n: number): Promise<Database[]> {
    await this.client.end();
    try {
      return await this.copy(n);
    } finally {
      this.client = await this.reconnect();
      this.listen();
    }
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
  const copies: (() => Promise<void>)[] = [];
  let dropped: Promise<void> | null = null;
  const drop = () => {
    dropped ??= (async () => {
      unregister();
      // A signal during CREATE DATABASE (or the COMMENT that marks it) waits for it: dropped before
      // it exists, the database would be created after, unmarked, and no later run would drop it.
      await creating?.catch(() => {});
      await Promise.all(sessions.map((c) => c.end().catch(() => {})));
      // Copies first: the roles dropped below may own their objects too.
      await Promise.allSettled(copies.map((d) => d()));
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
  const copy = async (n: number) => {
    const made: Database[] = [];
    try {
      // One after the other: each CREATE DATABASE needs the template to itself.
      for (let i = 0; i < n; i++) {
        const c = await copyRun(config, url, limits, name);
        copies.push(c.drop);
        made.push(new PgDatabase(c.client, limits, c.drop));
      }
      return made;
    } catch (e) {
      await Promise.allSettled(made.map((d) => d.close()));
      throw e;
    }
  };
  return {
    name,
    db: new FirstSession(first, limits, drop, copy, () => open()),
    connect: async (o = {}) => new PgDatabase(await open(o.waits), limits),
  };
}
