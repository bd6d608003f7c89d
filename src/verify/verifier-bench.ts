import type { Database } from '../engine/database.js';
import { loadDesign } from '../engine/designs.js';
import { seedGraph } from '../engine/domain-file.js';
import { BUMP_PROPERTIES } from '../spec/properties.js';
import { TENANTS } from '../spec/workload.js';
import { checkDesign } from './check.js';
import { median } from './cost-bench.js';
import { Simulator } from './simulator.js';

/** How fast the verifier itself is. */
export interface VerifierReport {
  backend: string;
  /** Opening the process's first database and installing base layer and design. */
  startupMs: number;
  /** The same for a later database (on PGlite, loaded from the first one's empty data directory). */
  nextStartupMs: number;
  /** One Simulator.reset(), the alternative to a fresh database per run. */
  resetMs: number;
  runsPerSecond: number;
  statementsPerSecond: number;
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

/** Measures start-up vs reset, checking throughput on `robust`, and time to counterexample on `seed`. */
export async function runVerifierBench(
  runs: number,
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
  onProgress?.(`check --design robust --runs ${runs}`);
  t = performance.now();
  const robust = await checkDesign({
    design: loadDesign('robust'),
    graph,
    runs,
    seed: 42,
    ...(open ? { open } : {}),
  });
  const seconds = (performance.now() - t) / 1000;
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
  const totalRuns = robust.properties.reduce((n, p) => n + p.runs, 0);
  return {
    backend,
    startupMs: Math.round(startupMs),
    nextStartupMs: Math.round(nextStartupMs),
    resetMs: Number(resetMs.toFixed(2)),
    runsPerSecond: Math.round(totalRuns / seconds),
    statementsPerSecond: Math.round(robust.statementsChecked / seconds),
    cacheHitMs: hit,
    cacheMissMs: miss,
    seedCounterexamples,
  };
}
