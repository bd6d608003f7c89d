// @ts-check
// The thread a PGlite database runs on (see pglite.ts). PGlite executes a statement synchronously
// inside its WASM module, so a design stuck in a loop would freeze whatever thread runs it; here it
// freezes only this worker, which the main thread can terminate. Plain JavaScript, so that the same
// file runs from src/ (vitest) and dist/ (the CLI).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { baselineOf, empty, recycle } from './recycle.js';

/** @type {{ dataDir: ArrayBuffer | null, dump: boolean, wasm: any, extensions?: string[], recyclable?: boolean }} */
const start = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @param {unknown} e */
function plain(e) {
  const err = /** @type {Record<string, unknown>} */ (e ?? {});
  /** @type {Record<string, unknown>} */
  const out = { message: e instanceof Error ? e.message : String(e) };
  for (const k of ['code', 'position', 'detail', 'where', 'table', 'constraint'])
    if (err[k] !== undefined) out[k] = err[k];
  return out;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Sleeps this thread until Date.now() reaches `due` (database.ts: clockMs): the pause before a
 * checked message, taken here so that the main thread, which drives several databases, does not
 * spin through it. Date.now() has no sub-millisecond phase, so the high-resolution clock says how
 * long to sleep, and short naps cover the difference between the two clocks.
 * @param {number} due
 */
function sleepUntil(due) {
  while (Date.now() < due)
    Atomics.wait(sleeper, 0, 0, Math.max(0.02, due - (performance.timeOrigin + performance.now())));
}

/** A dump of the database's data directory, uncompressed, to hand to another thread. @param {PGlite} db */
async function dataDirOf(db) {
  return (await db.dumpDataDir('none')).arrayBuffer();
}

/**
 * A message, then a read whatever the message did (Database.execThenRead). The read goes through the
 * simple protocol, which costs PGlite about half of the extended one.
 * @param {PGlite} db @param {string} sql @param {string} read @param {number} startAt
 */
async function execThenRead(db, sql, read, startAt) {
  const waitStart = performance.now();
  sleepUntil(startAt);
  const startedAt = performance.now();
  /** @type {Record<string, unknown> | undefined} */
  let error;
  try {
    await db.exec(sql);
  } catch (e) {
    error = plain(e);
  }
  // The pause before the next message runs from here, not from the end of the read.
  const times = {
    endedAt: Date.now(),
    waitedMs: startedAt - waitStart,
    execMs: performance.now() - startedAt,
  };
  try {
    const results = await db.exec(read);
    return { rows: results.at(-1)?.rows ?? [], error, ...times };
  } catch (e) {
    if (!error) throw e;
    return { rows: null, error, ...times };
  }
}

/**
 * The data directory as PGlite's loadDataDir reads it (`type` and `arrayBuffer()`), without a Blob:
 * node's Blob.arrayBuffer() reads 40 MB back in small chunks and joins them, about 0.3 s of CPU a
 * database. PGlite only reads the tar (it copies each file out of it).
 * @param {ArrayBuffer} dir
 */
const tarball = (dir) => /** @type {Blob} */ ({ type: 'application/x-tar', arrayBuffer: async () => dir });

// PGlite starts with PostgreSQL's default shared_buffers, 128 MB, which it zeroes at every start
// (half a second of CPU, most of it the kernel handing over fresh pages). A simulator's tables
// hold a few thousand rows, and a page that does not fit is only a memory copy away (PGlite's
// files are in memory too): 16 MB is plenty.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * The contrib extensions PGlite ships that a user's schema creates, by module name (uuid_ossp for
 * "uuid-ossp"); one PGlite does not ship is left out, and CREATE EXTENSION then names it.
 * @param {string[]} names
 */
async function contribExtensions(names) {
  /** @type {import('@electric-sql/pglite').Extensions} */
  const out = {};
  for (const name of names) {
    try {
      const m = /** @type {Record<string, import('@electric-sql/pglite').Extension>} */ (
        await import(`@electric-sql/pglite/contrib/${name}`)
      );
      const ext = m[name];
      if (ext) out[name] = ext;
    } catch {
      // not shipped with PGlite
    }
  }
  return out;
}

try {
  const extensions = await contribExtensions(start.extensions ?? []);
  const db = await PGlite.create({
    ...(start.dataDir ? { loadDataDir: tarball(start.dataDir) } : {}),
    ...(start.wasm ? { pgliteWasmModule: start.wasm } : {}),
    startParams: START_PARAMS,
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  });
  if (start.dump) {
    // Every later database starts from this directory: emptied once as recycle.js empties a used one,
    // so that a fresh database and an emptied one hold the same rows.
    await empty(db);
    const dir = await dataDirOf(db);
    port.postMessage({ kind: 'dump', dir }, [dir]);
  }
  const baseline = start.recyclable ? await baselineOf(db) : null;
  port.on(
    'message',
    async (/** @type {{ id: number, op: string, sql: string, params: unknown[], data?: string }} */ m) => {
      try {
        if (m.op === 'execRead') {
          port.postMessage({
            kind: 'reply',
            id: m.id,
            ...(await execThenRead(db, m.sql, m.data ?? '', Number(m.params[0] ?? 0))),
          });
          return;
        }
        if (m.op === 'snapshot') {
          // The data directory as it is now, for other databases to start from (pglite.ts).
          const dir = await dataDirOf(db);
          port.postMessage({ kind: 'reply', id: m.id, rows: [], dir }, [dir]);
          return;
        }
        if (m.op === 'recycle') {
          const ok = baseline !== null && (await recycle(db, baseline).catch(() => false));
          port.postMessage({ kind: 'reply', id: m.id, rows: [{ ok }] });
          return;
        }
        if (m.op === 'exec') await db.exec(m.sql);
        // COPY ... FROM '/dev/blob' reads the blob given with the query (PGlite has no COPY FROM STDIN).
        if (m.op === 'copy') await db.query(m.sql, [], { blob: new Blob([m.data ?? '']) });
        const rows = m.op === 'query' ? (await db.query(m.sql, m.params)).rows : [];
        if (m.op === 'close') await db.close();
        port.postMessage({ kind: 'reply', id: m.id, rows });
      } catch (e) {
        port.postMessage({ kind: 'reply', id: m.id, error: plain(e) });
      }
    },
  );
  port.postMessage({ kind: 'ready' });
} catch (e) {
  port.postMessage({ kind: 'failed', error: plain(e) });
}
