import { availableParallelism } from 'node:os';
import type { Database } from '../engine/database.js';
import { loadDesign } from '../engine/design/designs.js';
import { seedGraph } from '../engine/design/domain-file.js';
import { BUMP_PROPERTIES } from '../model/properties.js';
import { TENANTS } from '../model/workload.js';
import { checkDesign } from '../verify/check.js';
import { Simulator } from '../verify/simulator.js';
import { type TimingPart, Timings } from '../verify/timings.js';
import { median } from './cost.js';

/** How fast the verifier itself is. */
export interface VerifierReport {
  backend: string;
  /** Opening the process's first database and installing base layer and design. */
  startupMs: number;
  /** The same for a later database (on PGlite, loaded from the first one's empty data directory). */
  nextStartupMs: number;
  /** One Simulator.reset(), the alternative to a fresh database per run. */
  resetMs: number;
  /** `check --design robust` with its default 100 runs, once per number of workers. */
  checks: VerifierCheck[];
  /** Median time of one cached read (contract detail of 20 contracts, 20 items, 50 prices) that hits. */
  cacheHitMs: number;
  /** The same read right after its cache row is gone: the builder runs and the row is written. */
  cacheMissMs: number;
  /** For each property of the seed design: time to its first failing run, and to the end of shrinking. */
  seedCounterexamples: {
    property: string;
    firstFailureMs: number | null;
    runsToFailure: number;
    totalMs: number;
  }[];
}

/** One timed `check --design robust`. */
export interface VerifierCheck {
  workers: number;
  runs: number;
  statements: number;
  elapsedMs: number;
  /** From the start of the check to the end of its first run: opening the databases, mostly. */
  firstRunMs: number;
  runsPerSecond: number;
  statementsPerSecond: number;
  /**
   * The engine's share of the wall time, 0..1: the time the database spent running the checked
   * messages (the `database` part: on PGlite measured on its thread, on a server the round trip) over
   * the wall time of every database together (elapsed x workers). The rest is the harness: reading
   * versions back, resets, pauses, start-up, generating and judging.
   */
  engineShare: number;
  /**
   * CPU time of this process during the check (user + system, every thread: on PGlite the databases
   * too; on a server only turbo-sim's side). With `cores`, the pace no machine of that many cores
   * passes: statements / (cpuMs / cores).
   */
  cpuMs: number;
  cores: number;
  /** Milliseconds per part, summed over the databases (see Timings). */
  breakdown: Record<TimingPart, number>;
}

/** Times `check --design robust` (100 runs a property, seed 42) with `workers` databases side by side. */
async function timeCheck(workers: number, open?: () => Promise<Database>): Promise<VerifierCheck> {
  const timings = new Timings();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let firstRunMs = 0;
  const report = await checkDesign({
    design: loadDesign('robust'),
    workers,
    timings,
    onRun: () => {
      firstRunMs ||= performance.now() - start;
    },
    ...(open ? { open } : {}),
  });
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const runs = report.properties.reduce((n, p) => n + p.runs, 0);
  return {
    workers,
    runs,
    statements: report.statementsChecked,
    elapsedMs: Math.round(elapsedMs),
    firstRunMs: Math.round(firstRunMs),
    runsPerSecond: Math.round(runs / (elapsedMs / 1000)),
    statementsPerSecond: Math.round(report.statementsChecked / (elapsedMs / 1000)),
    engineShare: Number((timings.ms.database / (elapsedMs * workers)).toFixed(3)),
    cpuMs: Math.round((used.user + used.system) / 1000),
    cores: availableParallelism(),
    breakdown: Object.fromEntries(Object.entries(timings.ms).map(([k, v]) => [k, Math.round(v)])) as Record<
      TimingPart,
      number
    >,
  };
}

/** Reads timed per latency figure. */
export const CACHE_READS = 300;

/** Median latency of one fn_get_cached_response read that hits, and of one that misses. */
async function cacheLatency(db: Database): Promise<{ hit: number; miss: number }> {
  const tenant = TENANTS[0];
  await db.exec(`
    INSERT INTO tv_contract (id, tenant_id, data) SELECT i, '${tenant}', jsonb_build_object('n', i) FROM generate_series(1, 20) i;
    INSERT INTO tv_contract_item (id, tenant_id, data) SELECT i, '${tenant}', jsonb_build_object('n', i) FROM generate_series(1, 20) i;
    INSERT INTO tv_price (id, tenant_id, data) SELECT i, '${tenant}', jsonb_build_object('n', i) FROM generate_series(1, 50) i;
    SELECT set_config('app.tenant_id', '${tenant}', false);`);
  const read =
    "SELECT turbo.fn_get_cached_response('contract_detail', 'all', 'price', 'turbo.fn_build_contract_detail', '{}')";
  const hits: number[] = [];
  const misses: number[] = [];
  for (let i = 0; i < CACHE_READS; i++) {
    await db.exec('DELETE FROM turbo.tb_graphql_cache');
    let t = performance.now();
    await db.query(read);
    misses.push(performance.now() - t);
    t = performance.now();
    await db.query(read);
    hits.push(performance.now() - t);
  }
  return { hit: Number(median(hits).toFixed(2)), miss: Number(median(misses).toFixed(2)) };
}

/**
 * Measures start-up vs reset, `check --design robust` with each number of `workers` (its
 * throughput, start-up included, and where the time went), and time to counterexample on `seed`.
 */
export async function runVerifierBench(
  workers: number[],
  open?: () => Promise<Database>,
  onProgress?: (message: string) => void,
): Promise<VerifierReport> {
  const graph = seedGraph();
  onProgress?.('start-up and reset');
  let t = performance.now();
  const sim = await Simulator.create(loadDesign('robust'), graph, open);
  const startupMs = performance.now() - t;
  t = performance.now();
  await (await Simulator.create(loadDesign('robust'), graph, open)).close();
  const nextStartupMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 100; i++) await sim.reset();
  const resetMs = (performance.now() - t) / 100;
  const backend = sim.db.backend;
  const { hit, miss } = await cacheLatency(sim.db);
  await sim.close();
  const checks: VerifierCheck[] = [];
  for (const w of workers) {
    onProgress?.(`check --design robust --workers ${w}`);
    checks.push(await timeCheck(w, open));
  }
  const seedCounterexamples: VerifierReport['seedCounterexamples'] = [];
  for (const p of BUMP_PROPERTIES) {
    onProgress?.(`seed: ${p.name}`);
    const r = await checkDesign({
      design: loadDesign('seed'),
      graph,
      runs: 100,
      seed: 42,
      properties: [p.name],
      ...(open ? { open } : {}),
    });
    const pr = r.properties[0];
    seedCounterexamples.push({
      property: p.name,
      firstFailureMs: pr?.firstFailureMs ?? null,
      runsToFailure: pr?.runs ?? 0,
      totalMs: pr?.elapsedMs ?? 0,
    });
  }
  return {
    backend,
    startupMs: Math.round(startupMs),
    nextStartupMs: Math.round(nextStartupMs),
    resetMs: Number(resetMs.toFixed(2)),
    checks,
    cacheHitMs: hit,
    cacheMissMs: miss,
    seedCounterexamples,
  };
}
