import { Worker } from 'node:worker_threads';
import {
  type Copies,
  clockMs,
  type Database,
  DatabaseFailure,
  DEFAULT_LIMITS,
  type ExecThenRead,
  type Limits,
  timedOut,
} from '../database.js';
import { onAbandon, openAll } from '../teardown.js';
import { cacheDataDir, readCachedDataDir, withoutTemplate0 } from './data-dir-cache.js';
import { keepIdle, noteStarted, roomForIdle, takeIdle } from './idle-workers.js';
import { pgliteModule, type WasmModule } from './wasm-module.js';

// Each PGlite database lives on a worker thread of its own (worker.js). PGlite runs a
// statement synchronously inside WASM, so a design stuck in `LOOP END LOOP` would freeze the thread
// that runs it; off the main thread, a watchdog here can terminate the worker when a call outlives
// the statement timeout, and a signal can stop everything. A round trip costs about 0.05 ms.

const WORKER = new URL('./worker.js', import.meta.url);

type Row = Record<string, unknown>;

/** Longest a dump of the data directory (a copy for another worker) may take, on the busiest machine. */
const SNAPSHOT_LIMIT_MS = 120_000;
type Reply = Extract<FromWorker, { kind: 'reply' }>;

/** An error the worker sent as plain fields, with code, position and detail as PGlite gave them. */
const workerError = (e: Row & { message: string }) => Object.assign(new Error(e.message), e);
type FromWorker =
  | { kind: 'dump'; dir: ArrayBuffer }
  | { kind: 'ready' }
  | { kind: 'failed'; error: Row & { message: string } }
  | {
      kind: 'reply';
      id: number;
      rows: Row[] | null;
      error?: Row & { message: string };
      endedAt?: number;
      waitedMs?: number;
      execMs?: number;
      dir?: ArrayBuffer;
    };

class PGliteDatabase implements Database, Copies {
  readonly backend = 'pglite';
  private next = 0;
  private readonly pending = new Map<number, { resolve: (m: Reply) => void; reject: (e: Error) => void }>();
  private failure: DatabaseFailure | null = null;
  private readonly unregister: () => void;

  // This database's listeners on its worker, taken off when the worker is kept for another opening.
  private readonly onMessage = (m: FromWorker) => {
    if (m.kind !== 'reply') return;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.error && m.rows === undefined) p?.reject(workerError(m.error));
    else p?.resolve(m);
  };
  private readonly onError = (e: Error) => this.fail(new DatabaseFailure(`PGlite stopped: ${e.message}`));
  private readonly onExit = () => this.fail(new DatabaseFailure('PGlite stopped'));

  constructor(
    private readonly worker: Worker,
    private readonly limitMs: number,
    /** The contrib extensions loaded with it, which its copies need too. */
    private readonly extensions: string[],
    /** Whether it started from the empty data directory, so that emptied it may serve another opening. */
    private readonly recyclable = false,
  ) {
    worker.on('message', this.onMessage).on('error', this.onError).on('exit', this.onExit);
    this.unregister = onAbandon(() => this.terminate());
  }

  /** From now on every call fails with `f`, the pending ones included. */
  private fail(f: DatabaseFailure): void {
    this.failure ??= f;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  private async terminate(): Promise<void> {
    this.fail(new DatabaseFailure('PGlite closed'));
    await this.worker.terminate();
  }

  private call(
    op: 'exec' | 'query' | 'copy' | 'close' | 'execRead' | 'snapshot' | 'recycle',
    sql = '',
    params: unknown[] = [],
    data?: string,
  ): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.next;
    // A dump of the data directory runs no design code: the statement timeout is not its limit.
    const limitMs = op === 'snapshot' ? Math.max(this.limitMs, SNAPSHOT_LIMIT_MS) : this.limitMs;
    return new Promise<Reply>((resolve, reject) => {
      const watchdog = setTimeout(() => {
        this.fail(timedOut(limitMs, op === 'snapshot' ? 'a copy of the data directory' : undefined));
        void this.worker.terminate();
      }, limitMs);
      const settle =
        <T>(f: (x: T) => void) =>
        (x: T) => {
          clearTimeout(watchdog);
          f(x);
        };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.worker.postMessage({ id, op, sql, params, data });
    });
  }

  async exec(sql: string): Promise<void> {
    await this.call('exec', sql);
  }
  async query<R extends Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    return ((await this.call('query', sql, params)).rows ?? []) as R[];
  }
  async execThenRead<R extends Row>(sql: string, read: string, startAt = 0): Promise<ExecThenRead<R>> {
    const m = await this.call('execRead', sql, [startAt], read);
    return {
      error: m.error ? workerError(m.error) : null,
      rows: m.rows as R[] | null,
      endedAt: m.endedAt ?? clockMs(),
      waitedMs: m.waitedMs ?? 0,
      execMs: m.execMs ?? 0,
    };
  }
  async copies(n: number): Promise<Database[]> {
    const m = await this.call('snapshot');
    const dir = m.dir;
    if (!dir) throw new DatabaseFailure('PGlite gave no data directory');
    const wasm = await pgliteModule();
    return openAll(
      Array.from({ length: n }, () =>
        startWorker(
          { dataDir: dir, dump: false, wasm, extensions: this.extensions },
          { statementTimeoutMs: this.limitMs },
        ),
      ),
    );
  }
  /** Empties the database for another opening (recycle.js): whether it is now as a fresh one. */
  private async emptied(): Promise<boolean> {
    return this.call('recycle').then(
      (m) => m.rows?.[0]?.ok === true,
      () => false,
    );
  }
  async copyFrom(sql: string, data: string): Promise<void> {
    // PGlite has no COPY FROM STDIN: the worker hands `data` over as the blob `/dev/blob` reads.
    await this.call('copy', sql.replace(/FROM STDIN$/, "FROM '/dev/blob'"), [], data);
  }
  async close(): Promise<void> {
    this.unregister();
    if (this.recyclable && !this.failure && roomForIdle() && (await this.emptied())) {
      // The worker now serves another opening: nothing may reach it through this one any more.
      this.worker.off('message', this.onMessage).off('error', this.onError).off('exit', this.onExit);
      this.fail(new DatabaseFailure('PGlite closed'));
      await keepIdle(this.worker);
      return;
    }
    try {
      if (!this.failure) await this.call('close');
    } finally {
      await this.terminate();
    }
  }
}

// PGlite.create() runs initdb, about 1.5 s; loading a copy of an initialized data directory takes
// about 0.35 s. So the first PGlite database of a process is created, a dump of its still-empty data
// directory is kept in memory (about 40 MB), and every later one is loaded from it.
let emptyDataDir: Promise<ArrayBuffer | null> | null = null;
/** The empty data directory an earlier process kept on disk, when this process has none yet. */
async function fromDiskCache(): Promise<void> {
  if (emptyDataDir) return;
  const cached = await readCachedDataDir();
  if (cached) emptyDataDir ??= Promise.resolve(withoutTemplate0(cached));
}

/**
 * A fresh, empty in-memory PGlite database on a worker thread (about 0.35 s; 2-4 s for the first in
 * a process). A call running longer than `limits.statementTimeoutMs` ends the worker and fails
 * with a {@link DatabaseFailure}, as does every later call. `extensions`: contrib modules a user's
 * schema creates (uuid_ossp, pgcrypto...), loaded where PGlite ships them.
 */
export async function openPGlite(
  limits: Partial<Limits> = {},
  extensions: string[] = [],
): Promise<Database & Copies> {
  // A database with contrib modules loaded is not kept: the next opening may want others.
  const recyclable = extensions.length === 0;
  const kept = recyclable ? takeIdle() : null;
  if (kept)
    return new PGliteDatabase(kept, limits.statementTimeoutMs ?? DEFAULT_LIMITS.statementTimeoutMs, [], true);
  noteStarted();
  const wasm = await pgliteModule();
  let keepDump: ((dir: ArrayBuffer | null) => void) | null = null;
  await fromDiskCache();
  const known = emptyDataDir;
  if (!known)
    emptyDataDir = new Promise((resolve) => {
      keepDump = (dump) => {
        const dir = dump && withoutTemplate0(dump);
        if (dir) void cacheDataDir(dir);
        resolve(dir);
      };
    });
  const dataDir = known ? await known : null;
  try {
    return await startWorker(
      { dataDir, dump: keepDump !== null, wasm, extensions, recyclable },
      limits,
      keepDump ?? undefined,
    );
  } catch (e) {
    if (keepDump) {
      (keepDump as (dir: null) => void)(null);
      emptyDataDir = null;
    }
    throw e;
  }
}

/**
 * The tar of an empty data directory (template0 left out), as every database here starts from: for
 * the playground's page, whose databases then skip initdb too.
 */
export async function emptyDataDirTar(): Promise<ArrayBuffer> {
  await fromDiskCache();
  if (!emptyDataDir) await (await openPGlite()).close();
  const dir = await emptyDataDir;
  if (!dir) throw new DatabaseFailure('PGlite gave no data directory');
  return dir;
}

/** Starts the worker thread of one database and waits until PGlite in it is ready. */
async function startWorker(
  workerData: {
    dataDir: ArrayBuffer | null;
    dump: boolean;
    wasm: WasmModule | null;
    extensions: string[];
    recyclable?: boolean;
  },
  limits: Partial<Limits>,
  onDump?: (dir: ArrayBuffer) => void,
): Promise<PGliteDatabase> {
  const worker = new Worker(WORKER, { workerData });
  const listeners: { message?: (m: FromWorker) => void; error?: (e: Error) => void; exit?: () => void } = {};
  try {
    await new Promise<void>((resolve, reject) => {
      listeners.message = (m) => {
        if (m.kind === 'dump') onDump?.(m.dir);
        else if (m.kind === 'ready') resolve();
        else if (m.kind === 'failed') reject(new Error(`PGlite did not start: ${m.error.message}`));
      };
      listeners.error = reject;
      listeners.exit = () => reject(new Error('PGlite did not start'));
      worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
    });
  } catch (e) {
    await worker.terminate();
    throw e;
  } finally {
    // Only the start-up's own listeners: node keeps some of its own on a worker.
    for (const [event, f] of Object.entries(listeners)) worker.off(event, f);
  }
  return new PGliteDatabase(
    worker,
    limits.statementTimeoutMs ?? DEFAULT_LIMITS.statementTimeoutMs,
    workerData.extensions,
    workerData.recyclable,
  );
}
