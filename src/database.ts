import { PGlite } from '@electric-sql/pglite';

/**
 * The one seam between turbo-sim and PostgreSQL. Everything above it (designs, model, properties,
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
  /** Frees the instance or connection; node cannot exit while one is open. */
  close(): Promise<void>;
}

/** A PostgreSQL error with the fields turbo-sim reports. */
export interface SqlError {
  message: string;
  code?: string;
  position?: number;
}

/** Reads message, SQLSTATE and position from an error thrown by PGlite or pg. */
export function sqlError(e: unknown): SqlError {
  const err = e as { message?: string; code?: string; position?: string | number };
  const position = err.position === undefined ? undefined : Number(err.position);
  return {
    message: err.message ?? String(e),
    ...(err.code ? { code: err.code } : {}),
    ...(position !== undefined && Number.isFinite(position) ? { position } : {}),
  };
}

class PGliteDatabase implements Database {
  readonly backend = 'pglite';
  constructor(private readonly db: PGlite) {}
  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }
  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }
  async close(): Promise<void> {
    await this.db.close();
  }
}

// PGlite.create() runs initdb, about 1.5 s; loading a copy of an initialized data directory takes
// about 0.35 s. So the first PGlite database of a process is created, a dump of its still-empty data
// directory is kept in memory (about 40 MB, 0.14 s to take), and every later one is loaded from it.
let emptyDataDir: Promise<Blob> | null = null;

/** A fresh, empty in-memory PGlite database (about 0.35 s; 2-4 s for the first in a process). */
export async function openPGlite(): Promise<Database> {
  const dump = emptyDataDir;
  if (dump) return new PGliteDatabase(await PGlite.create({ loadDataDir: await dump }));
  const db = await PGlite.create();
  const taken = db.dumpDataDir('none');
  emptyDataDir = taken;
  try {
    await taken;
  } catch {
    emptyDataDir = null;
  }
  return new PGliteDatabase(db);
}

/** A fresh database on a PostgreSQL server, created for this run and dropped when closed. */
export interface PostgresRun {
  /** The first session, on the fresh database. */
  db: Database;
  /** Opens another session on the same fresh database (for concurrent sessions). */
  connect(): Promise<Database>;
  /** The fresh database's name. */
  name: string;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

class PgDatabase implements Database {
  readonly backend = 'postgres';
  constructor(
    private readonly client: import('pg').Client,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(sql, params)).rows;
  }
  async close(): Promise<void> {
    await this.client.end();
    await this.onClose();
  }
}

/**
 * Isolates a run on a server that may be someone's real database: connects with `url` only to
 * CREATE DATABASE turbo_sim_<random>, does all its work in that new database (so the turbo schema and
 * the tv_ tables cannot meet existing objects), and drops it when the first session closes. Without
 * the CREATEDB privilege it refuses (InputError) rather than write into an existing database.
 */
export async function openPostgres(url: string): Promise<PostgresRun> {
  const pg = (await import('pg')).default;
  const { InputError } = await import('./errors.js');
  let admin: import('pg').Client;
  try {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  } catch (e) {
    throw new InputError(`cannot connect to ${redact(url)}: ${(e as Error).message}`);
  }
  const name = `turbo_sim_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    await admin.end();
    throw new InputError(
      `turbo-sim works only in a database it creates, and CREATE DATABASE failed on ${redact(url)} (${(e as Error).message}); grant CREATEDB to this role or point --database-url at a scratch server`,
    );
  }
  const sessions: import('pg').Client[] = [];
  const open = async () => {
    const c = new pg.Client({ connectionString: withDatabase(url, name) });
    await c.connect();
    // Server notices (e.g. "there is no transaction in progress") are not turbo-sim's output.
    c.on('notice', () => {});
    sessions.push(c);
    return c;
  };
  const drop = async () => {
    for (const c of sessions) await c.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  let first: import('pg').Client;
  try {
    first = await open();
  } catch (e) {
    await drop();
    throw e;
  }
  return {
    name,
    db: new PgDatabase(first, drop),
    connect: async () => new PgDatabase(await open()),
  };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
