import { hostname } from 'node:os';
import type pg from 'pg';

// Every database turbo-sim creates is marked with a comment naming the process that made it. A run
// killed with SIGKILL, or whose server went away, cannot drop its database; the next run on the same
// server finds the ones whose process on this machine is gone, and drops them.

const MARK = /^turbo-sim run: pid (\d+) on (.+), started (\S+)$/;

/** The comment that marks a run's database as this process's. */
export function runMark(): string {
  return `turbo-sim run: pid ${process.pid} on ${hostname()}, started ${new Date().toISOString()}`;
}

/** Whether process `pid` of this machine is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops the turbo-sim databases a dead process of this machine left behind, and returns one line
 * for each: what was dropped, and what could not be (still in use, or not ours to drop).
 */
export async function dropLeftBehind(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string; mark: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname LIKE 'turbo\\_sim\\_%'`,
  );
  const notes: string[] = [];
  for (const { datname, mark } of rows) {
    const m = MARK.exec(mark ?? '');
    if (!m || m[2] !== hostname() || alive(Number(m[1]))) continue;
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      notes.push(
        `dropped ${datname}, left behind by turbo-sim process ${m[1]} (started ${m[3]}), which is gone`,
      );
    } catch (e) {
      notes.push(
        `${datname} was left behind by turbo-sim process ${m[1]}, and could not be dropped: ${(e as Error).message}`,
      );
    }
  }
  return notes;
}
