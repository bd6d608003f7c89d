import pg from 'pg';
import type { Limits } from '../database.js';
import { onAbandon } from '../teardown.js';
import { connectClient, withAdmin } from './connections.js';
import { runMark } from './run-marks.js';

// `check --workers N` on a server: N databases side by side, the run's own and N-1 copies of it made
// just after the design was installed. A copy is CREATE DATABASE ... TEMPLATE, a file copy on the
// server: the design's SQL does not run again (its CREATE ROLE would fail the second time), and it
// costs a fraction of an install.

/** A copy of a run's database: its session, and how to drop it (once, whoever asks first). */
export interface CopiedRun {
  name: string;
  client: pg.Client;
  drop: () => Promise<void>;
}

/**
 * Copies database `template` (nobody may be connected to it) into a fresh turbo_sim_ database,
 * marked as this process's like every run's database, dropped when its session closes, when the run
 * it copies is dropped, or when the process is stopped.
 */
export async function copyRun(
  config: pg.ClientConfig,
  url: string,
  limits: Limits,
  template: string,
): Promise<CopiedRun> {
  const name = `${template}_${Math.random().toString(36).slice(2, 6)}`;
  await withAdmin(config, url, limits, async (admin) => {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.query(`COMMENT ON DATABASE ${name} IS ${pg.escapeLiteral(runMark())}`);
  });
  let client: pg.Client | null = null;
  let dropped: Promise<void> | null = null;
  const drop = () => {
    dropped ??= (async () => {
      unregister();
      await client?.end().catch(() => {});
      await withAdmin(config, url, limits, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    })();
    return dropped;
  };
  const unregister = onAbandon(drop);
  try {
    client = await connectClient({ ...config, database: name }, limits);
  } catch (e) {
    await drop();
    throw e;
  }
  return { name, client, drop };
}
