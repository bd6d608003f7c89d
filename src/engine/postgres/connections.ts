import pg from 'pg';
import { InputError } from '../../model/input-error.js';
import { type Limits, seconds } from '../database.js';
import { redact } from './database-url.js';

// The connections of a server run: the sessions' clients, bounded by the limits, and the admin
// connection that creates and drops the run's databases.

/**
 * A connected client, bounded by the limits: the server cancels a statement after the statement
 * timeout (so a backend never spins on after turbo-sim is gone), and the client gives up on a server
 * that stops answering. A client that fails to connect is closed at once, or its socket would keep
 * the process alive until the server's authentication timeout.
 */
export async function connectClient(
  config: pg.ClientConfig,
  limits: Limits,
  waits = false,
): Promise<pg.Client> {
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
export async function withAdmin<T>(
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
