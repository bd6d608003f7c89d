import { availableParallelism } from 'node:os';
import type { Database } from '../engine/database.js';
import type { Design } from '../engine/design/designs.js';
import { domainsFileOf, seedGraph } from '../engine/design/domain-file.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { InputError } from '../model/input-error.js';
import {
  BUMP_PROPERTIES,
  findProperty,
  needsBaseTables,
  needsForeignKeys,
  needsReads,
} from '../model/properties.js';
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
  const hasReads = (o.graph.reads ?? []).length > 0;
  const hasKeys = (o.graph.foreignKeys ?? []).length > 0;
  // A user's schema (--schema) has no base tables of the harness's shape.
  const hasBase = !o.graph.tables;
  const properties = o.properties?.length
    ? [...new Set(o.properties)].map(findProperty)
    : BUMP_PROPERTIES.filter(
        (p) =>
          (hasReads || !needsReads(p)) &&
          (hasKeys || !needsForeignKeys(p)) &&
          (hasBase || !needsBaseTables(p)),
      );
  const skipped = o.properties?.length
    ? []
    : BUMP_PROPERTIES.filter((p) => !properties.includes(p)).map((p) => ({
        name: p.name,
        reason:
          needsReads(p) && !hasReads
            ? 'the domain graph has no "reads" (cached reads need builders)'
            : needsBaseTables(p) && !hasBase
              ? "a --schema has no base tables of the harness's shape (tb_row_, tb_stmt_, tb_fn_)"
              : 'the domain graph has no "foreignKeys" (the cascade needs a foreign key)',
      }));
  const baseless = properties.find((p) => needsBaseTables(p) && !hasBase);
  if (baseless)
    throw new InputError(
      `property ${baseless.name} needs turbo-sim's base tables, which a --schema does not have`,
    );
  const unusable = properties.find((p) => needsReads(p) && !hasReads);
  if (unusable)
    throw new InputError(`property ${unusable.name} needs cached reads: the domain graph has no "reads"`);
  const keyless = properties.find((p) => needsForeignKeys(p) && !hasKeys);
  if (keyless)
    throw new InputError(
      `property ${keyless.name} needs foreign keys: the domain graph has no "foreignKeys"`,
    );
  const started = performance.now();
  const workers =
    o.workers === undefined || o.workers === 'auto'
      ? autoWorkers(shardIndices(o.runs, o.shard).length * properties.length)
      : o.workers;
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
    ...(o.shard ? { shard: o.shard } : {}),
  };
}
