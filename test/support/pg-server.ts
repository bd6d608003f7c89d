import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A throwaway PostgreSQL server for tests: its URL, binaries and how to stop it. */
export interface PgServer {
  url: string;
  /** The folder of its Unix socket, for the socket form of the URL. */
  socketDir: string;
  /** Its data directory (pg_hba.conf lives there). */
  dataDir: string;
  bin: string;
  port: number;
  stop(): void;
}

/** The newest PostgreSQL server binaries on this machine (Debian layout), or null. */
export function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts PostgreSQL in a fresh temp directory on a free loopback port with trust auth. A server
 * refuses to run as root, so as root the binaries run as the `postgres` user, which owns the
 * directory.
 */
export async function startPgServer(): Promise<PgServer | null> {
  const bin = findPgBin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]]
      : [join(bin, cmd), args];
    execFileSync(full[0] as string, full[1] as string[], { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run('pg_ctl', [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c deadlock_timeout=100ms`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketDir: dir,
    dataDir: data,
    bin,
    port,
    stop() {
      const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
      if (asRoot)
        spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else spawnSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One throwaway server for the calling test file: started before its tests, stopped after them.
 * `current` stays null (and the tests skip, with a visible message) where no server binary exists.
 */
export function useThrowawayServer(): { current: PgServer | null } {
  const server: { current: PgServer | null } = { current: null };
  beforeAll(async () => {
    server.current = await startPgServer();
    if (!server.current) console.warn('skipped: no PostgreSQL server binaries under /usr/lib/postgresql');
  });
  afterAll(() => server.current?.stop());
  return server;
}
