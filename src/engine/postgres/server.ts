import { InputError } from '../../model/input-error.js';
import type { PostgresOptions, PostgresRun } from './adapter.js';

// pg and pg-copy-streams are optional peer dependencies: PGlite needs neither, so the pg adapter
// (postgres.ts) is loaded on first use of a server, and a missing package is a one-line error.

/** The server packages, for the message when one is missing. */
const SERVER_PACKAGES = ['pg', 'pg-copy-streams'];

/**
 * A fresh database on the server at `url` (see postgres.ts), loading the pg adapter first. Exit 2
 * with an install hint when pg is not installed.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresRun> {
  let adapter: typeof import('./adapter.js');
  try {
    adapter = await import('./adapter.js');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = SERVER_PACKAGES.find((p) => err.message?.includes(`'${p}'`));
    if (err.code === 'ERR_MODULE_NOT_FOUND' && missing)
      throw new InputError(
        `--database-url needs the optional package ${missing}, which is not installed: npm install ${SERVER_PACKAGES.join(' ')}`,
      );
    throw e;
  }
  return adapter.openPostgres(url, options);
}
