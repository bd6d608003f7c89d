import fc from 'fast-check';
import { type CounterexampleSource, counterexampleScript, replayCommand } from './counterexample.js';
import type { Database } from './database.js';
import type { Design } from './designs.js';
import type { DomainGraph } from './domain-graph.js';
import { InputError } from './errors.js';
import { type Plan, planWorkload } from './model.js';
import { BUMP_PROPERTIES, type BumpProperty, findProperty } from './properties.js';
import { Simulator, type Verdict, type Violation } from './simulator.js';
import type { Workload } from './workload.js';

/** What to check. */
export interface CheckOptions {
  design: Design;
  graph: DomainGraph;
  /** Runs per property. */
  runs: number;
  seed: number;
  /** Only these properties (default: all). */
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
  /** Extra flags for the printed replay command. */
  extraFlags?: string;
  /** Called when a property starts and ends, for progress on stderr. */
  onProgress?: (event: { property: string; done: boolean; ok?: boolean }) => void;
}

/** The smallest failing workload of one property, with everything needed to read and replay it. */
export interface Counterexample {
  workload: Workload;
  violations: Violation[];
  /** The workload as a standalone SQL script. */
  script: string;
  replay: string;
  /** Statements in the script (what "at most 3 statements" counts). */
  statements: number;
  shrinks: number;
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
  elapsedMs: number;
}

/** The report `turbo-sim check` prints. */
export interface CheckReport {
  design: string;
  backend: string;
  ok: boolean;
  runs: number;
  seed: number;
  properties: PropertyResult[];
  /** Violations of the first failing property's counterexample. */
  violations: Violation[];
  /** SQL of the first failing property's counterexample, or null. */
  counterexample: string | null;
  statementsChecked: number;
  /** Of those, cached reads compared with a fresh build. */
  readsChecked: number;
  elapsedMs: number;
}

/** Runs the one-bump-per-statement properties against a design on one reused database. */
export async function checkDesign(options: CheckOptions): Promise<CheckReport> {
  const hasReads = (options.graph.reads ?? []).length > 0;
  const properties = options.properties?.length
    ? options.properties.map(findProperty)
    : BUMP_PROPERTIES.filter((p) => hasReads || !p.needsReads);
  const unusable = properties.find((p) => p.needsReads && !hasReads);
  if (unusable)
    throw new InputError(`property ${unusable.name} needs cached reads: the domain graph has no "reads"`);
  const started = performance.now();
  const sim = await Simulator.create(options.design, options.graph, options.open);
  let statementsChecked = 0;
  let readsChecked = 0;
  const results: PropertyResult[] = [];
  try {
    for (const property of properties) {
      options.onProgress?.({ property: property.name, done: false });
      const r = await checkProperty(sim, property, options, (n) => {
        statementsChecked += n.statements;
        readsChecked += n.reads;
      });
      results.push(r);
      options.onProgress?.({ property: property.name, done: true, ok: r.ok });
      if (options.failFast && !r.ok) break;
    }
  } finally {
    await sim.close();
  }
  const firstFailure = results.find((r) => !r.ok)?.counterexample ?? null;
  return {
    design: options.design.name,
    backend: sim.db.backend,
    ok: results.every((r) => r.ok),
    runs: options.runs,
    seed: options.seed,
    properties: results,
    violations: firstFailure?.violations ?? [],
    counterexample: firstFailure?.script ?? null,
    statementsChecked,
    readsChecked,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function checkProperty(
  sim: Simulator,
  property: BumpProperty,
  options: CheckOptions,
  countStatements: (n: { statements: number; reads: number }) => void,
): Promise<PropertyResult> {
  const started = performance.now();
  // fast-check reports the last failing value after shrinking; keep what that run observed, since
  // a clock-dependent failure need not repeat when run again.
  let lastFailure: { workload: Workload; plan: Plan; verdict: Verdict } | null = null;
  let firstFailureMs: number | null = null;
  const prop = fc.asyncProperty(property.workloads(options.graph), async (workload) => {
    const plan = planWorkload(options.graph, workload);
    // A clock-dependent failure may not repeat; trying a workload again before calling it good keeps
    // shrinking from discarding candidates that fail only some of the time.
    let verdict: Verdict | undefined;
    for (let attempt = 0; attempt < (property.attempts ?? 1) && (verdict?.ok ?? true); attempt++) {
      await sim.reset();
      verdict = await sim.runPlan(plan, {
        pauseMs: property.pauseMs,
        observe: property.observe,
        judge: property.judge ?? 'exact',
      });
      const run = plan.messages.slice(0, verdict.messagesRun).flatMap((m) => m.statements);
      countStatements({
        statements: run.length,
        reads: run.filter((st) => st.sql.includes('fn_checked_read')).length,
      });
    }
    if (!verdict) throw new Error('a property needs at least one attempt');
    if (!verdict.ok) {
      lastFailure = { workload, plan, verdict };
      firstFailureMs ??= Math.round(performance.now() - started);
    }
    return verdict.ok;
  });
  const details = await fc.check(prop, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
    endOnFailure: options.shrink === false,
  });
  if (details.errorInstance && !details.failed) throw details.errorInstance;
  if (details.failed && details.errorInstance && !lastFailure) throw details.errorInstance;
  let counterexample: Counterexample | null = null;
  const failure = lastFailure as { workload: Workload; plan: Plan; verdict: Verdict } | null;
  if (details.failed && failure) {
    const src: CounterexampleSource = {
      design: options.design.name,
      property: property.name,
      seed: options.seed,
      path: details.counterexamplePath ?? '',
      pauseMs: property.pauseMs,
      ...(options.extraFlags ? { extraFlags: options.extraFlags } : {}),
    };
    const upTo = failure.verdict.messagesRun;
    counterexample = {
      workload: failure.workload,
      violations: failure.verdict.violations,
      script: counterexampleScript(failure.plan, failure.verdict.violations, src),
      replay: replayCommand(src),
      statements: failure.plan.messages.slice(0, upTo).reduce((n, m) => n + m.statements.length, 0),
      shrinks: details.numShrinks,
    };
  }
  return {
    name: property.name,
    description: property.description,
    ok: !details.failed,
    runs: details.numRuns,
    firstFailureMs,
    counterexample,
    elapsedMs: Math.round(performance.now() - started),
  };
}
