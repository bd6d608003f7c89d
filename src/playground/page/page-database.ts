import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { type Database, type ExecThenRead, execThenReadInTurn } from '../../engine/database.js';

/**
 * The `Database` seam over a PGlite running in the page itself. PGlite finds its WASM and data files
 * beside the bundle (the site serves them from node_modules), so nothing is fetched from elsewhere.
 * It runs on the page's thread: a design stuck in a loop freezes the tab, which the learner closes;
 * in the CLI a worker thread and a watchdog guard against that (engine/pglite).
 */
class PageDatabase implements Database {
  readonly backend = 'pglite';
  constructor(private readonly pg: PGlite) {}

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }
  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pg.query<R>(sql, params)).rows;
  }
  async copyFrom(sql: string, data: string): Promise<void> {
    await this.pg.query(sql.replace(/FROM STDIN$/, "FROM '/dev/blob'"), [], { blob: new Blob([data]) });
  }
  execThenRead<R extends Record<string, unknown>>(
    sql: string,
    read: string,
    startAt = 0,
  ): Promise<ExecThenRead<R>> {
    return execThenReadInTurn<R>(this, sql, read, startAt);
  }
  async close(): Promise<void> {
    await this.pg.close();
  }
}

const beside = (name: string) => new URL(name, import.meta.url);

// Fetched and compiled once for every database of the page (one per design picked). The data
// directory is the CLI's empty one (engine/pglite/adapter.ts), served beside the bundle: no initdb.
let shared: Promise<Partial<PGliteOptions>> | null = null;

async function fetched(name: string): Promise<Response> {
  const r = await fetch(beside(name));
  if (!r.ok) throw new Error(`${name}: ${r.status} ${r.statusText}`);
  return r;
}

/** A fresh in-memory PGlite database in the page. */
export async function openPageDatabase(): Promise<Database> {
  shared ??= (async () => ({
    pgliteWasmModule: await WebAssembly.compileStreaming(fetched('pglite.wasm')),
    fsBundle: await (await fetched('pglite.data')).blob(),
    loadDataDir: await (await fetched('pgdata.tar')).blob(),
  }))();
  try {
    return new PageDatabase(await PGlite.create(await shared));
  } catch (e) {
    shared = null;
    throw e;
  }
}
