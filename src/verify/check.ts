import { createHash } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import type { Database } from '../engine/database.js';
import type { Design } from '../engine/design/designs.js';
import { domainsFileOf, seedGraph } from '../engine/design/domain-file.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { InputError } from '../model/input-error.js';
import { BUMP_PROPERTIES, findProperty, unmetNeed } from '../model/properties.js';
import { type CheckReport, type PropertyResult, type Shard, shardIndices } from './check-report.js';
import { checkProperty, type PropertyContext } from './property-check.js';
import { openSimulators } from './run-pool.js';
import type { Simulator } from './simulator.js';
import type { Timings } from './timings.js';

export type { CheckReport, PropertyResult, Shard, ShardRuns } from './check-report.js';
export { shardIndices } from './check-report.js';

/** What to check; everything but the design has the CLI's defaults. */
export interface CheckOptions {
  design: Design;
  /** Domain graph (default: the seed's). */
  graph?: DomainGraph;
  /** Runs per property (default 100). */
  runs?: number;
  /** fast-check seed (default 42). */
  seed?: number;
  /** Only these properties (default: all the graph supports). */
  properties?: string[];
  /** fast-check replay path; only with exactly one property. */
  path?: string;
  /** Opens the database (default PGlite). */
  open?: () => Promise<Database>;
  /** Stop at the first property that fails (the rest are not run and not reported). */
  failFast?: boolean;
  /**
   * Shrink a failing workload to the smallest one that still fails (default true). False reports the
   * first failing workload as found: the same verdict, often in a tenth of the time.
   */
  shrink?: boolean;
  /** Called when a property starts and ends, for progress on stderr. */
  onProgress?: (event: { property: string; done: boolean; ok?: boolean }) => void;
  /** Called after each run of the current property with the runs so far (shrinking not included). */
  onRun?: (runs: number) => void;
  /**
   * Simulators side by side, each with its own database (default `auto`). The report is the same for
   * any number: only how long it takes changes.
   */
  workers?: number | 'auto';
  /** Run only this slice of each property's runs, for `turbo-sim merge` to add up (default: all). */
  shard?: Shard;
  /** Where the time goes, for `bench --verifier`. */
  timings?: Timings;
}

/** Runs in all below which a second database does not pay for its copy (about as much as 50 runs). */
const RUNS_PER_WORKER = 100;

/** `auto` workers: one per core, but no more than one per {@link RUNS_PER_WORKER} runs of the check. */
export function autoWorkers(totalRuns: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(totalRuns / RUNS_PER_WORKER)));
}

/** What one PGlite database on its worker thread holds, measured with a design installed (about 380 MB). */
const BYTES_PER_WORKER = 400 * 2 ** 20;

/**
 * An explicit worker count within what can help: no more databases than a property has runs here
 * (the rest would idle), than cores (each database is CPU-bound on its thread), or than half the
 * machine's memory holds (--workers 1000 was killed by the kernel at 24 GB). `capped` says which
 * bound applied, for a note; null when the request stands.
 */
export function workersWithin(
  requested: number,
  runsHere: number,
  machine = { cores: availableParallelism(), memory: totalmem() },
): { workers: number; capped: string | null } {
  const bounds: [number, string][] = [
    [Math.max(1, runsHere), `${runsHere} run(s) per property here`],
    [machine.cores, `${machine.cores} core(s)`],
    [
      Math.max(1, Math.floor(machine.memory / 2 / BYTES_PER_WORKER)),
      'half the memory at about 400 MB a database',
    ],
  ];
  const [limit, why] = bounds.reduce((a, b) => (b[0] < a[0] ? b : a));
  return requested > limit
    ? { workers: limit, capped: `--workers ${requested} capped at ${limit}: ${why}` }
    : { workers: requested, capped: null };
}

type Resolved = CheckOptions & {
  graph: DomainGraph;
  runs: number;
  seed: number;
  /** The --domains value that replays the graph (read from disk once per check). */
  domains: string | null | undefined;
};

/** Runs the one-bump-per-statement properties against a design, each database reused run after run. */
export async function checkDesign(options: CheckOptions): Promise<CheckReport> {
  const graph = options.graph ?? seedGraph();
  const o: Resolved = {
    ...options,
    graph,
    runs: options.runs ?? 100,
    seed: options.seed ?? 42,
    // A --schema graph is read again from its flags (ReplaySource.schema), not from a domain file.
    domains: graph.schema ? undefined : domainsFileOf(graph),
  };
  // A property the graph cannot give is skipped with the reason when the check runs every property,
  // and refused when it was asked for by name.
  const properties = o.properties?.length
    ? [...new Set(o.properties)].map(findProperty)
    : BUMP_PROPERTIES.filter((p) => unmetNeed(p, graph) === null);
  const skipped = o.properties?.length
    ? []
    : BUMP_PROPERTIES.flatMap((p) => {
        const reason = unmetNeed(p, graph);
        return reason ? [{ name: p.name, reason }] : [];
      });
  for (const p of properties) {
    const reason = unmetNeed(p, graph);
    if (reason) throw new InputError(`property ${p.name} cannot be checked on this graph: ${reason}`);
  }
  const started = performance.now();
  const runsHere = shardIndices(o.runs, o.shard).length;
  if (runsHere === 0 && o.shard)
    throw new InputError(
      `shard ${o.shard.index}/${o.shard.count} has no run: ${o.runs} run(s) per property reach shards 1 to ${o.runs} only`,
    );
  const workers =
    o.workers === undefined || o.workers === 'auto'
      ? autoWorkers(runsHere * properties.length)
      : workersWithin(o.workers, runsHere).workers;
  const sims = await openSimulators(o.path ? 1 : workers, o.design, o.graph, o.open);
  if (o.timings) o.timings.add('startup', performance.now() - started);
  for (const sim of sims) sim.timings = o.timings ?? null;
  const [sim] = sims as [Simulator];
  const context: PropertyContext = {
    design: o.design.name,
    graph: o.graph,
    runs: o.runs,
    seed: o.seed,
    shrink: o.shrink !== false,
    domains: o.domains,
    ...(o.path ? { path: o.path } : {}),
    ...(o.shard ? { shard: o.shard } : {}),
    ...(o.timings ? { timings: o.timings } : {}),
    ...(o.onRun ? { onRun: o.onRun } : {}),
  };
  const results: PropertyResult[] = [];
  try {
    for (const property of properties) {
      o.onProgress?.({ property: property.name, done: false });
      const r = await checkProperty(sims, property, context);
      results.push(r);
      o.onProgress?.({ property: property.name, done: true, ok: r.ok });
      if (o.failFast && !r.ok) break;
    }
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
  return {
    design: o.design.name,
    backend: sim.db.backend,
    ok: results.every((r) => r.ok),
    runs: o.runs,
    seed: o.seed,
    readPath: sim.readPath,
    properties: results,
    skipped,
    statementsChecked: results.reduce((n, r) => n + r.statementsChecked, 0),
    readsChecked: results.reduce((n, r) => n + r.readsChecked, 0),
    elapsedMs: Math.round(performance.now() - started),
    ...(o.shard
      ? {
          shard: o.shard,
          fingerprint: fingerprintOf(
            o,
            properties.map((p) => p.name),
          ),
        }
      : {}),
  };
}

/** What decides a check's verdict, hashed: shards with the same fingerprint are parts of one check. */
function fingerprintOf(o: Resolved, properties: string[]): string {
  const decisive = {
    design: o.design.files.map((f) => f.sql),
    graph: o.graph,
    runs: o.runs,
    seed: o.seed,
    shrink: o.shrink !== false,
    failFast: o.failFast === true,
    properties,
  };
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex').slice(0, 16);
}
