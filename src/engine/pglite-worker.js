// @ts-check
// The thread a PGlite database runs on (see pglite.ts). PGlite executes a statement synchronously
// inside its WASM module, so a design stuck in a loop would freeze whatever thread runs it; here it
// freezes only this worker, which the main thread can terminate. Plain JavaScript, so that the same
// file runs from src/ (vitest) and dist/ (the CLI).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @type {{ dataDir: ArrayBuffer | null, dump: boolean, wasm: any }} */
const start = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @param {unknown} e */
function plain(e) {
  const err = /** @type {Record<string, unknown>} */ (e ?? {});
  /** @type {Record<string, unknown>} */
  const out = { message: e instanceof Error ? e.message : String(e) };
  for (const k of ['code', 'position', 'detail', 'where']) if (err[k] !== undefined) out[k] = err[k];
  return out;
}

try {
  const db = await PGlite.create({
    ...(start.dataDir ? { loadDataDir: new Blob([start.dataDir]) } : {}),
    ...(start.wasm ? { pgliteWasmModule: start.wasm } : {}),
  });
  if (start.dump) {
    const dir = await (await db.dumpDataDir('none')).arrayBuffer();
    port.postMessage({ kind: 'dump', dir }, [dir]);
  }
  port.on(
    'message',
    async (/** @type {{ id: number, op: string, sql: string, params: unknown[], data?: string }} */ m) => {
      try {
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
