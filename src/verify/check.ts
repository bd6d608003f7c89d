import fc from 'fast-check';
import type { Database } from '../engine/database.js';
import type { Design } from '../engine/designs.js';
import { domainsFileOf, seedGraph } from '../engine/domain-file.js';
import type { ReadPath } from '../engine/install.js';
import { propertyWorkloads } from '../spec/arbitraries.js';
import type { DomainGraph } from '../spec/domain-graph.js';
import { InputError } from '../spec/input-error.js';
import { planWorkload } from '../spec/model.js';
import type { PlannedMessage } from '../spec/plan.js';
import {
  BUMP_PROPERTIES,
  findProperty,
  needsForeignKeys,
  needsReads,
  type PropertySpec,
  pauseOf,
} from '../spec/properties.js';
import type { Workload } from '../spec/workload.js';
import { type Counterexample, counterexampleOf } from './counterexample.js';
import { type Diagnosis, diagnose } from './diagnosis.js';
import { explainCounterexample } from './explain.js';
import { Simulator, strategyOf } from './simulator.js';
import type { Verdict } from './verdict.js';

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
  /** Called after each run of the current property with the runs so far (shrinking included). */
  onRun?: (runs: number) => void;
}

/** The verdict of one property. */
export interface PropertyResult {
  name: string;
  description: string;
  ok: boolean;
  /** Runs executed (stops at the first failure, before shrinking). */
  runs: number;
  /** Milliseconds from the start of the property to its first failing run (before shrinking), or null. */
  firstFailureMs: number | null;
  counterexample: Counterexample | null;
  /** Why the counterexample broke the promise, where a known pattern says (null when it holds). */
  diagnosis: Diagnosis | null;
  /** With --path: how many replays it took (a clock-dependent failure may need several). */
  replayTries?: number;
  elapsedMs: number;
}

/** What `turbo-sim check` found. */
export interface CheckReport {
  design: string;
  backend: string;
  ok: boolean;
  runs: number;
  seed: number;
  /** The read path cached reads went through: the base layer's, or the design's own. */
  readPath: ReadPath;
  properties: PropertyResult[];
  /** Properties not run, and why (a graph without cached reads skips the read properties). */
  skipped: { name: string; reason: string }[];
  statementsChecked: number;
  /** Of those, cached reads compared with a fresh build. */
  readsChecked: number;
  elapsedMs: number;
}

/** Replays of a clock-dependent counterexample before reporting that it did not reproduce. */
const CLOCK_REPLAY_TRIES = 20;

type Resolved = CheckOptions & {
  graph: DomainGraph;
  runs: number;
  seed: number;
  /** The --domains value that replays the graph (read from disk once per check). */
  domains: string | null | undefined;
};

/** Runs the one-bump-per-statement properties against a design on one reused database. */
export async function checkDesign(options: CheckOptions): Promise<CheckReport> {
  const graph = options.graph ?? seedGraph();
  const o: Resolved = {
    ...options,
    graph,
    runs: options.runs ?? 100,
    seed: options.seed ?? 42,
    domains: domainsFileOf(graph),
  };
  const hasReads = (o.graph.reads ?? []).length > 0;
  const hasKeys = (o.graph.foreignKeys ?? []).length > 0;
  const properties = o.properties?.length
    ? [...new Set(o.properties)].map(findProperty)
    : BUMP_PROPERTIES.filter((p) => (hasReads || !needsReads(p)) && (hasKeys || !needsForeignKeys(p)));
  const skipped = o.properties?.length
    ? []
    : BUMP_PROPERTIES.filter((p) => !properties.includes(p)).map((p) => ({
        name: p.name,
        reason:
          needsReads(p) && !hasReads
            ? 'the domain graph has no "reads" (cached reads need builders)'
            : 'the domain graph has no "foreignKeys" (the cascade needs a foreign key)',
      }));
  const unusable = properties.find((p) => needsReads(p) && !hasReads);
  if (unusable)
    throw new InputError(`property ${unusable.name} needs cached reads: the domain graph has no "reads"`);
  const keyless = properties.find((p) => needsForeignKeys(p) && !hasKeys);
  if (keyless)
    throw new InputError(
      `property ${keyless.name} needs foreign keys: the domain graph has no "foreignKeys"`,
    );
  const started = performance.now();
  const sim = await Simulator.create(o.design, o.graph, o.open);
  const counts = { statements: 0, reads: 0 };
  const results: PropertyResult[] = [];
  try {
    for (const property of properties) {
      o.onProgress?.({ property: property.name, done: false });
      const r = await checkProperty(sim, property, o, counts);
      results.push(r);
      o.onProgress?.({ property: property.name, done: true, ok: r.ok });
      if (o.failFast && !r.ok) break;
    }
  } finally {
    await sim.close();
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
    statementsChecked: counts.statements,
    readsChecked: counts.reads,
    elapsedMs: Math.round(performance.now() - started),
  };
}

interface Failure {
  workload: Workload;
  messages: PlannedMessage[];
  verdict: Verdict;
}

async function checkProperty(
  sim: Simulator,
  property: PropertySpec,
  o: Resolved,
  counts: { statements: number; reads: number },
): Promise<PropertyResult> {
  const started = performance.now();
  // fast-check reports the last failing value after shrinking; keep what that run observed, since
  // a clock-dependent failure need not repeat when run again.
  let lastFailure: Failure | null = null;
  let firstFailureMs: number | null = null;
  const strategy = strategyOf(property.timing, property.judge);
  let runs = 0;
  const prop = fc.asyncProperty(propertyWorkloads(property, o.graph), async (workload) => {
    const plan = planWorkload(o.graph, workload);
    let verdict: Verdict | undefined;
    for (let attempt = 0; attempt < property.attempts && (verdict?.ok ?? true); attempt++) {
      await sim.reset();
      verdict = await sim.runPlan(plan, strategy);
      const run = plan.messages.slice(0, verdict.messagesRun).flatMap((m) => m.statements);
      counts.statements += run.length;
      counts.reads += run.filter((st) => st.kind === 'read').length;
    }
    o.onRun?.(++runs);
    if (!verdict) throw new Error('a property needs at least one attempt');
    if (!verdict.ok) {
      lastFailure = { workload, messages: plan.messages, verdict };
      firstFailureMs ??= Math.round(performance.now() - started);
    }
    return verdict.ok;
  });
  const settings = {
    numRuns: o.runs,
    seed: o.seed,
    ...(o.path ? { path: o.path } : {}),
    endOnFailure: o.shrink === false,
  };
  let details = await fc.check(prop, settings);
  // A database that failed (timeout, lost connection) is no verdict on the design: exit 2.
  if (sim.failed) throw sim.failed;
  if (o.path && details.numRuns === 0)
    throw new InputError(`--path ${o.path} replays no run of ${property.name}`);
  // A replayed failure that depends on the clock may pass by chance: try again before calling it good.
  let tries = 1;
  while (o.path && !details.failed && property.timing.kind === 'back-to-back' && tries < CLOCK_REPLAY_TRIES) {
    tries += 1;
    details = await fc.check(prop, settings);
    if (sim.failed) throw sim.failed;
  }
  if (details.errorInstance && !details.failed) throw details.errorInstance;
  if (details.failed && details.errorInstance && !lastFailure) throw details.errorInstance;
  const failure = lastFailure as Failure | null;
  const counterexample =
    details.failed && failure
      ? counterexampleOf(
          { workload: failure.workload, messages: failure.messages, ...failure.verdict },
          {
            design: o.design.name,
            property: property.name,
            seed: o.seed,
            path: details.counterexamplePath ?? '',
            pauseMs: pauseOf(property),
            ...(o.domains === undefined ? {} : { domains: o.domains }),
            shrink: o.shrink !== false,
            clockDependent: property.timing.kind === 'back-to-back',
          },
          details.numShrinks,
        )
      : null;
  const diagnosis = counterexample ? await explainAndDiagnose(sim, property, counterexample) : null;
  return {
    name: property.name,
    description: property.description,
    ok: !details.failed,
    runs: details.numRuns,
    firstFailureMs,
    counterexample,
    diagnosis,
    ...(o.path ? { replayTries: tries } : {}),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Replays a counterexample with function statistics on (its account), then diagnoses it. */
async function explainAndDiagnose(
  sim: Simulator,
  property: PropertySpec,
  cx: Counterexample,
): Promise<Diagnosis | null> {
  cx.account = await explainCounterexample(sim, cx);
  return diagnose(cx, { property, graph: sim.graph, readPath: sim.readPath, account: cx.account });
}
