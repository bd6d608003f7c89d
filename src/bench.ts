import type { Database } from './database.js';
import { type Design, loadDesign, loadMutant } from './designs.js';
import { seedGraph } from './domain-graph.js';
import { Simulator } from './simulator.js';
import { TENANTS } from './workload.js';

/** A write the benchmark times. */
export type BenchOp = 'insert' | 'update' | 'delete';

/** What to measure. */
export interface BenchOptions {
  /** Built-in design names or `mutant:NAME`; the first is the baseline ratios are taken against. */
  designs: string[];
  sizes: number[];
  ops: BenchOp[];
  /** Tenants per statement: the rows of one statement are spread over this many tenants. */
  tenants: number[];
  /** Timed repetitions per cell (the median is reported). */
  reps: number;
  /** The tv_ table written; `price` has no cascade targets in the seed graph, like the seed's own benchmark table. */
  domain: string;
  /** Rows in the single-row loop vs batch comparison (0 skips it). */
  loopRows: number;
  open?: () => Promise<Database>;
  onProgress?: (message: string) => void;
}

/** One design, op, size and tenant count. */
export interface BenchCell {
  design: string;
  op: BenchOp;
  size: number;
  tenants: number;
  samplesMs: number[];
  medianMs: number;
  /** median / the baseline design's median for the same op, size and tenants. */
  ratio: number;
}

/** The seed's own comparison: N single-row INSERTs in a DO loop vs one N-row INSERT. */
export interface LoopVsBatch {
  design: string;
  rows: number;
  loopMs: number;
  batchMs: number;
}

/** Everything `turbo-sim bench` prints. */
export interface BenchReport {
  backend: string;
  baseline: string;
  reps: number;
  domain: string;
  cells: BenchCell[];
  loopVsBatch: LoopVsBatch[];
  elapsedMs: number;
}

export const DEFAULT_BENCH: Omit<BenchOptions, 'open' | 'onProgress'> = {
  designs: ['none', 'mutant:per-row-no-dedup', 'seed', 'seed-on-conflict', 'robust', 'row-ledger'],
  sizes: [1, 10, 100, 1000, 10000],
  ops: ['insert', 'update', 'delete'],
  tenants: [1, 10],
  reps: 5,
  domain: 'price',
  loopRows: 1000,
};

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The tenant UUIDs of a statement spread over `n` tenants, as a SQL array. */
function tenantArray(n: number): string {
  const ids = Array.from(
    { length: n },
    (_, i) => `'00000000-0000-4000-8000-${(0xbe00 + i).toString(16).padStart(12, '0')}'`,
  );
  return `ARRAY[${ids.join(', ')}]::uuid[]`;
}

function insertSql(table: string, size: number, tenants: number, from = 1): string {
  return `INSERT INTO ${table} (id, tenant_id, data) SELECT i, (${tenantArray(tenants)})[1 + i % ${tenants}], jsonb_build_object('n', i) FROM generate_series(${from}, ${from + size - 1}) AS i`;
}

function resolveDesign(name: string): Design {
  return name.startsWith('mutant:') ? loadMutant(name.slice('mutant:'.length)) : loadDesign(name);
}

async function timed(db: Database, sql: string): Promise<number> {
  const t = performance.now();
  await db.exec(sql);
  return performance.now() - t;
}

/**
 * Times one statement per cell on one reused database per design. Designs alternate within every
 * repetition, so a slow phase of a noisy machine hits all designs alike and ratios stay comparable.
 * Rows an UPDATE or DELETE needs are loaded untimed with triggers off.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const graph = seedGraph();
  const table = `"tv_${options.domain}"`;
  const sims: Simulator[] = [];
  try {
    for (const name of options.designs) {
      options.onProgress?.(`opening ${name}`);
      const sim = await Simulator.create(resolveDesign(name), graph, options.open);
      sims.push(sim);
    }
    const samples = new Map<string, number[]>();
    const key = (d: string, op: string, size: number, tenants: number) => `${d}|${op}|${size}|${tenants}`;
    const total = options.reps * options.sizes.length * options.ops.length * options.tenants.length;
    let done = 0;
    for (let rep = 0; rep < options.reps; rep++) {
      for (const size of options.sizes) {
        for (const op of options.ops) {
          for (const tenants of options.tenants) {
            done += 1;
            options.onProgress?.(
              `[${done}/${total}] rep ${rep + 1} ${op} ${size} rows, ${tenants} tenant(s)`,
            );
            for (const [i, sim] of sims.entries()) {
              await sim.reset();
              if (op !== 'insert') {
                await sim.db.exec(
                  `SET session_replication_role = replica; ${insertSql(table, size, tenants)}; RESET session_replication_role`,
                );
              }
              const sql =
                op === 'insert'
                  ? insertSql(table, size, tenants)
                  : op === 'update'
                    ? `UPDATE ${table} SET data = jsonb_build_object('u', id)`
                    : `DELETE FROM ${table}`;
              const ms = await timed(sim.db, sql);
              const k = key(options.designs[i] ?? '', op, size, tenants);
              samples.set(k, [...(samples.get(k) ?? []), ms]);
            }
          }
        }
      }
    }
    const baseline = options.designs[0] ?? 'none';
    const cells: BenchCell[] = [];
    for (const design of options.designs) {
      for (const op of options.ops) {
        for (const size of options.sizes) {
          for (const tenants of options.tenants) {
            const s = samples.get(key(design, op, size, tenants)) ?? [];
            const base = median(samples.get(key(baseline, op, size, tenants)) ?? [1]);
            cells.push({
              design,
              op,
              size,
              tenants,
              samplesMs: s,
              medianMs: median(s),
              ratio: median(s) / base,
            });
          }
        }
      }
    }
    const loopVsBatch: LoopVsBatch[] = [];
    if (options.loopRows > 0) {
      for (const [i, sim] of sims.entries()) {
        options.onProgress?.(`loop vs batch on ${options.designs[i]}`);
        const loops: number[] = [];
        const batches: number[] = [];
        for (let rep = 0; rep < options.reps; rep++) {
          await sim.reset();
          loops.push(
            await timed(
              sim.db,
              `DO $$ BEGIN FOR i IN 1..${options.loopRows} LOOP INSERT INTO ${table} (id, tenant_id, data) VALUES (i, (${tenantArray(1)})[1], jsonb_build_object('n', i)); END LOOP; END $$`,
            ),
          );
          await sim.reset();
          batches.push(await timed(sim.db, insertSql(table, options.loopRows, 1)));
        }
        loopVsBatch.push({
          design: options.designs[i] ?? '',
          rows: options.loopRows,
          loopMs: median(loops),
          batchMs: median(batches),
        });
      }
    }
    return {
      backend: sims[0]?.db.backend ?? 'pglite',
      baseline,
      reps: options.reps,
      domain: options.domain,
      cells,
      loopVsBatch,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    for (const s of sims) await s.close();
  }
}

/** The human-readable tables: ratio to the baseline per design and size, one table per op and tenant count. */
export function formatBench(r: BenchReport): string {
  const designs = [...new Set(r.cells.map((c) => c.design))];
  const sizes = [...new Set(r.cells.map((c) => c.size))];
  const out = [
    `bench on ${r.backend}: tv_${r.domain}, median of ${r.reps} runs, cost ratio to "${r.baseline}" (median ms in brackets)`,
  ];
  const w = Math.max(...designs.map((d) => d.length));
  for (const op of [...new Set(r.cells.map((c) => c.op))]) {
    for (const tenants of [...new Set(r.cells.map((c) => c.tenants))]) {
      out.push('', `${op.toUpperCase()}, ${tenants} tenant(s) per statement`);
      out.push(`  ${'design'.padEnd(w)}  ${sizes.map((s) => `${s} rows`.padStart(18)).join('')}`);
      for (const d of designs) {
        const row = sizes.map((s) => {
          const c = r.cells.find(
            (x) => x.design === d && x.op === op && x.size === s && x.tenants === tenants,
          );
          return c ? `${c.ratio.toFixed(2)}x (${c.medianMs.toFixed(1)})`.padStart(18) : ''.padStart(18);
        });
        out.push(`  ${d.padEnd(w)}  ${row.join('')}`);
      }
    }
  }
  if (r.loopVsBatch.length) {
    out.push(
      '',
      `the seed's own test: ${r.loopVsBatch[0]?.rows} single-row INSERTs in a DO loop vs one batch INSERT (ms)`,
    );
    for (const l of r.loopVsBatch) {
      out.push(
        `  ${l.design.padEnd(w)}  loop ${l.loopMs.toFixed(1).padStart(8)}  batch ${l.batchMs.toFixed(1).padStart(8)}  loop/batch ${(l.loopMs / l.batchMs).toFixed(1)}x`,
      );
    }
  }
  out.push('', `done in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}

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

const CACHE_READS = 300;

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
  const { checkDesign } = await import('./check.js');
  const { BUMP_PROPERTIES } = await import('./properties.js');
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

/** The human-readable verifier figures. */
export function formatVerifier(v: VerifierReport): string {
  const out = [
    `verifier on ${v.backend}`,
    `  fresh database with base layer and robust: ${v.startupMs} ms for the first, ${v.nextStartupMs} ms for the next; reset between runs: ${v.resetMs} ms (${Math.round(v.nextStartupMs / v.resetMs)}x cheaper)`,
    `  check --design robust: ${v.runsPerSecond} property runs/s, ${v.statementsPerSecond} checked statements/s (start-up included)`,
    `  one cached read (contract detail, 20 contracts, 20 items, 50 prices): hit ${v.cacheHitMs} ms, miss ${v.cacheMissMs} ms (median of ${CACHE_READS})`,
    '  seed, time to first counterexample (runs until it) / with shrinking:',
  ];
  for (const c of v.seedCounterexamples) {
    out.push(
      `    ${c.property.padEnd(24)} ${c.firstFailureMs === null ? `none in ${c.runsToFailure} runs (${c.totalMs} ms)` : `${c.firstFailureMs} ms (run ${c.runsToFailure}) / ${c.totalMs} ms`}`,
    );
  }
  return out.join('\n');
}
