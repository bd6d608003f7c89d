import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyStream } from 'pg-copy-streams';
import { InputError } from '../spec/input-error.js';
import type { Database } from './database.js';

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
    private readonly client: pg.Client,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(sql, params)).rows;
  }
  async copyFrom(sql: string, data: string): Promise<void> {
    await pipeline(Readable.from([data]), this.client.query(copyStream(sql)));
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
  let admin: pg.Client;
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
  const sessions: pg.Client[] = [];
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
  let first: pg.Client;
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
