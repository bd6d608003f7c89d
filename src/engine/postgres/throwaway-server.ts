import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onAbandon } from '../teardown.js';

// A PostgreSQL server of its own, in a temp directory, for the tests and for `bench`'s concurrency
// table: measurements and tests must not depend on, or disturb, a server someone else configured.

/** A throwaway PostgreSQL server: its URL, binaries and how to stop it. */
export interface PgServer {
  url: string;
  /** The folder of its Unix socket, for the socket form of the URL. */
  socketDir: string;
  /** Its data directory (pg_hba.conf lives there). */
  dataDir: string;
  bin: string;
  port: number;
  /** The server's major version (the folder its binaries came from). */
  version: string;
  /** Stops it at once and removes its directory. */
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

/** Runs a server binary; as root, as the `postgres` user, since a server refuses to run as root. */
function runner(bin: string): (cmd: string, args: string[]) => [string, string[]] {
  const asRoot = process.getuid?.() === 0;
  return (cmd, args) =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
}

/** As root, hands `dir` to the `postgres` user, who runs the server and owns its files. */
function giveToPostgres(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
}

/** initdb of every throwaway server: trust auth, user postgres, no fsync (nothing here must survive a crash). */
function initdb(bin: string, data: string): void {
  execFileSync(...runner(bin)('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']), {
    stdio: 'pipe',
  });
}

/**
 * Runs initdb once into `dir`/data and returns that data directory, for {@link startPgServer} to copy
 * instead of running initdb itself (about 1.2 s of CPU against 0.2 s for the copy); null where no
 * server binaries exist. The caller removes `dir`.
 */
export function makePgTemplate(dir: string): string | null {
  const bin = findPgBin();
  if (!bin) return null;
  giveToPostgres(dir);
  const data = join(dir, 'data');
  initdb(bin, data);
  return data;
}

/**
 * Starts PostgreSQL in a fresh temp directory on a free loopback port with trust auth, fsync off and
 * `settings` (name -> value, e.g. deadlock_timeout), or returns null where no server binaries exist.
 * Its data directory is a copy of `template` (from {@link makePgTemplate}) when given, else initdb's.
 * A SIGINT while it runs stops it too (teardown.ts), unless `stopOnAbandon` is false: a test file
 * that abandons its own databases on purpose keeps its server for the next test.
 */
export async function startPgServer(
  settings: Record<string, string> = {},
  stopOnAbandon = true,
  template?: string,
): Promise<PgServer | null> {
  const bin = findPgBin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-pg-'));
  const as = runner(bin);
  const data = join(dir, 'data');
  const stop = () => {
    const [cmd, args] = as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    if (existsSync(join(data, 'postmaster.pid'))) spawnSync(cmd, args, { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = stopOnAbandon ? onAbandon(async () => stop()) : () => false;
  try {
    giveToPostgres(dir);
    const port = await freePort();
    // -a keeps the owner (postgres, as root) and the modes a server insists on.
    if (template) execFileSync('cp', ['-a', template, data], { stdio: 'pipe' });
    else initdb(bin, data);
    const flags = Object.entries({ listen_addresses: '127.0.0.1', fsync: 'off', ...settings })
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' ');
    execFileSync(
      ...as('pg_ctl', [
        '-D',
        data,
        '-w',
        '-l',
        join(dir, 'log'),
        '-o',
        `-p ${port} -k ${dir} ${flags}`,
        'start',
      ]),
      { stdio: 'pipe' },
    );
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      socketDir: dir,
      dataDir: data,
      bin,
      port,
      version: bin.split('/').at(-2) ?? '',
      stop() {
        unregister();
        stop();
      },
    };
  } catch (e) {
    unregister();
    stop();
    throw e;
  }
}
