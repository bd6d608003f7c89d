import { loadDesign } from '../engine/design/designs.js';
import { seedGraph } from '../engine/design/domain-file.js';
import type { PostgresOptions } from '../engine/postgres/adapter.js';
import type { ConcurrencyWorkload } from '../model/concurrency-workloads.js';
import { checkConcurrency } from '../verify/concurrency.js';

/** What the concurrency table measures. */
export interface ConcurrencyBenchOptions {
  /** A PostgreSQL server; each run creates and drops its own database there. */
  url: string;
  /** Designs side by side; the first two are the pair whose ratio the table gives (robust / deferred). */
  designs: string[];
  workloads: ConcurrencyWorkload[];
  sessions: number;
  steps: number;
  seed: number;
  server?: PostgresOptions;
  onProgress?: (message: string) => void;
}

/** One design on one workload: the figures of `turbo-sim concurrency` that say how it scales. */
export interface ConcurrencyBenchCell {
  design: string;
  workload: ConcurrencyWorkload;
  committedStatements: number;
  statementsPerSecond: number;
  deadlocks: number;
  sessionsGaveUp: number;
  /** Every committed statement's bumps and no other, and no session ended by another error. */
  ok: boolean;
  elapsedMs: number;
}

/** The concurrency table of `turbo-sim bench`. */
export interface ConcurrencyBenchReport {
  /** The server's version and deadlock_timeout, which the deadlocking designs' pace depends on. */
  server: { version: string; deadlockTimeout: string };
  sessions: number;
  steps: number;
  seed: number;
  designs: string[];
  cells: ConcurrencyBenchCell[];
  elapsedMs: number;
}

/** The designs and workloads `npm run bench` compares: issue 26's robust, the deferred experiment, and the hot-row robust they replaced. */
export const DEFAULT_CONCURRENCY_BENCH = {
  designs: ['robust', 'deferred', 'robust-hot-row'],
  workloads: ['random', 'statements', 'lock-order', 'cte-order'] as ConcurrencyWorkload[],
  sessions: 8,
  steps: 100,
  seed: 1,
};

/** The server's version and deadlock_timeout, read through a run's own database. */
async function serverFacts(url: string, server?: PostgresOptions): Promise<ConcurrencyBenchReport['server']> {
  const { openPostgres } = await import('../engine/postgres/server.js');
  const run = await openPostgres(url, server);
  try {
    const [row] = await run.db.query<{ version: string; timeout: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('deadlock_timeout') AS timeout",
    );
    // "15.18 (Debian 15.18-0+deb12u1)": the number is what a reader compares.
    return { version: row?.version.split(' ')[0] ?? '?', deadlockTimeout: row?.timeout ?? '?' };
  } finally {
    await run.db.close();
  }
}

/**
 * Every design on every workload, `sessions` sessions of `steps` steps running free on the server
 * (checkConcurrency; the same seed's workloads for every design). Designs take turns within each
 * workload, so a slow spell of a shared machine falls on all of them alike: ratios of one run are
 * what the table is for.
 */
export async function runConcurrencyBench(options: ConcurrencyBenchOptions): Promise<ConcurrencyBenchReport> {
  const started = performance.now();
  const graph = seedGraph();
  const server = await serverFacts(options.url, options.server);
  const cells: ConcurrencyBenchCell[] = [];
  for (const workload of options.workloads) {
    for (const design of options.designs) {
      options.onProgress?.(
        `concurrency: ${design}, ${workload}, ${options.sessions} sessions x ${options.steps} steps`,
      );
      const r = await checkConcurrency({
        design: loadDesign(design),
        graph,
        url: options.url,
        sessions: options.sessions,
        steps: options.steps,
        seed: options.seed,
        workload,
        ...(options.server ? { server: options.server } : {}),
      });
      cells.push({
        design,
        workload,
        committedStatements: r.committedStatements,
        statementsPerSecond: r.statementsPerSecond,
        deadlocks: r.deadlocks,
        sessionsGaveUp: r.sessionsGaveUp,
        ok: r.ok,
        elapsedMs: r.elapsedMs,
      });
    }
  }
  return {
    server,
    sessions: options.sessions,
    steps: options.steps,
    seed: options.seed,
    designs: options.designs,
    cells,
    elapsedMs: Math.round(performance.now() - started),
  };
}
