import type { Worker } from 'node:worker_threads';
import { onAbandon } from '../teardown.js';

// PGlite databases that were closed, emptied and found as fresh as a new one (recycle.js), kept for
// the next opening of this process: opening one costs a round trip instead of about 0.85 s of CPU.
// A test suite opens about 80 databases in two processes, one after another, and a CLI run opening
// several designs' databases in turn gains the same. At most two are kept (vitest's two workers
// each run one file at a time, and a file holds two at once at most); an idle worker holds no
// reference that keeps the process alive, and is closed when the process runs out of work or is
// stopped by a signal.

const MAX_IDLE = 2;

interface Idle {
  worker: Worker;
  forget: () => void;
}

const idle: Idle[] = [];
let started = 0;
let reused = 0;

/** Closes an idle worker's database, then ends the thread. */
async function closeIdle(worker: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    worker.once('message', done).once('exit', done);
    worker.postMessage({ id: 0, op: 'close', sql: '', params: [] });
  });
  await worker.terminate();
}

/** Closes the kept databases when the process has nothing else left to do, like any other. */
function closeAllIdle(): void {
  for (const { worker, forget } of idle.splice(0)) {
    forget();
    void closeIdle(worker);
  }
}
let closingAtExit = false;

/** Whether another database would be kept: if not, emptying one is wasted work. */
export function roomForIdle(): boolean {
  return idle.length < MAX_IDLE;
}

/**
 * Keeps an emptied database's worker for a later opening, or ends it when enough are kept (two
 * closing at once may both have seen room).
 */
export async function keepIdle(worker: Worker): Promise<void> {
  if (idle.length >= MAX_IDLE) return closeIdle(worker);
  // Registered here, not when the module loads: the playground's page bundles this file too.
  if (!closingAtExit) process.on('beforeExit', closeAllIdle);
  closingAtExit = true;
  worker.unref();
  const entry: Idle = { worker, forget: () => {} };
  const drop = () => {
    const at = idle.indexOf(entry);
    if (at >= 0) idle.splice(at, 1);
  };
  const unregister = onAbandon(async () => {
    drop();
    await worker.terminate();
  });
  // A thread that dies while idle is simply not handed out.
  worker.once('exit', drop);
  entry.forget = () => {
    unregister();
    worker.off('exit', drop);
  };
  idle.push(entry);
}

/** An idle worker with an emptied database, taken out of the pool, or null. */
export function takeIdle(): Worker | null {
  const entry = idle.pop();
  if (!entry) return null;
  reused++;
  entry.forget();
  entry.worker.ref();
  return entry.worker;
}

/** Counts a database started rather than reused. */
export function noteStarted(): void {
  started++;
}

/** How many PGlite openings of this process started a database and how many reused one. */
export function pgliteOpenings(): { started: number; reused: number } {
  return { started, reused };
}
