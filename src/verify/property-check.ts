import fc from 'fast-check';
import { propertyWorkloads } from '../model/arbitraries.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { InputError } from '../model/input-error.js';
import { type PropertySpec, pauseOf } from '../model/properties.js';
import type { Workload } from '../model/workload.js';
import {
  countBefore,
  type PropertyResult,
  type Shard,
  type ShardRuns,
  shardIndices,
} from './check-report.js';
import { type Counterexample, counterexampleOf } from './counterexample.js';
import { type Diagnosis, diagnose } from './diagnosis.js';
import { splitReplays } from './experiment.js';
import { accountReproduces, explainCounterexample } from './explain.js';
import { type RunOutcome, runIndices, runWorkload } from './run-pool.js';
import type { Simulator } from './simulator.js';
import type { Timings } from './timings.js';

/** What checking one property needs besides the simulators. */
export interface PropertyContext {
  design: string;
  graph: DomainGraph;
  runs: number;
  seed: number;
  shrink: boolean;
  /** fast-check replay path (--path): replay it on one simulator instead of running the runs. */
  path?: string;
  /** The --domains value that replays the graph, as counterexamples print it. */
  domains: string | null | undefined;
  shard?: Shard;
  timings?: Timings | null;
  /** Called after each run with the runs done so far. */
  onRun?: (runs: number) => void;
}

/** Replays of a clock-dependent counterexample before reporting that it did not reproduce. */
const CLOCK_REPLAY_TRIES = 20;

/** A failing run: its workload and outcome. */
interface Failure {
  workload: Workload;
  outcome: RunOutcome;
}

/** What a replay of one fast-check path found. */
interface Replay {
  details: fc.RunDetails<[Workload]>;
  failure: Failure | null;
  statements: number;
  reads: number;
  tries: number;
}

/**
 * Replays fast-check's `path` on one simulator, shrinking what fails unless told not to. fast-check
 * reports the last failing value after shrinking; its run's outcome is kept, since a clock-dependent
 * failure need not repeat when run again.
 */
async function replayPath(
  sim: Simulator,
  property: PropertySpec,
  c: PropertyContext,
  path: string,
  tries: number,
): Promise<Replay> {
  const replay: Omit<Replay, 'details'> = { failure: null, statements: 0, reads: 0, tries: 0 };
  const prop = fc.asyncProperty(propertyWorkloads(property, c.graph), async (workload) => {
    const outcome = await runWorkload(sim, property, c.graph, workload, c.timings);
    replay.statements += outcome.statements;
    replay.reads += outcome.reads;
    if (!outcome.verdict.ok) replay.failure = { workload, outcome };
    return outcome.verdict.ok;
  });
  const settings = { numRuns: c.runs, seed: c.seed, path, endOnFailure: !c.shrink };
  let details: fc.RunDetails<[Workload]>;
  do {
    replay.tries += 1;
    details = await fc.check(prop, settings);
    // A database that failed (timeout, lost connection) is no verdict on the design: exit 2.
    if (sim.failed) throw sim.failed;
  } while (!details.failed && replay.tries < tries);
  if (details.errorInstance && !details.failed) throw details.errorInstance;
  if (details.failed && details.errorInstance && !replay.failure) throw details.errorInstance;
  return { details, ...replay };
}

/**
 * Checks one property: its runs (this shard's, with a shard) spread over the simulators, then the
 * first failing one shrunk on one simulator, explained and diagnosed.
 */
export async function checkProperty(
  sims: Simulator[],
  property: PropertySpec,
  c: PropertyContext,
): Promise<PropertyResult> {
  const started = performance.now();
  const [first] = sims;
  if (!first) throw new Error('checkProperty needs a simulator');
  const clockDependent = property.timing.kind === 'back-to-back';
  if (c.path) {
    const replay = await replayPath(first, property, c, c.path, clockDependent ? CLOCK_REPLAY_TRIES : 1);
    if (replay.details.numRuns === 0)
      throw new InputError(`--path ${c.path} replays no run of ${property.name}`);
    return result(
      property,
      c,
      started,
      {
        runs: replay.details.numRuns,
        firstFailureMs: null,
        failure: replay.failure && replay.details.failed ? replay.failure : null,
        path: replay.details.counterexamplePath ?? c.path,
        shrinks: replay.details.numShrinks,
        counts: { statements: replay.statements, reads: replay.reads },
        replayTries: replay.tries,
      },
      first,
    );
  }
  const workloads = new RunWorkloads(property, c);
  const indices = shardIndices(c.runs, c.shard);
  let runsDone = 0;
  let failedAt = 0;
  const found = await runIndices(sims, indices, async (sim, index) => {
    const outcome = await runWorkload(sim, property, c.graph, workloads.at(index), c.timings);
    c.onRun?.(++runsDone);
    if (!outcome.verdict.ok) failedAt ||= performance.now();
    return outcome;
  });
  const ran: ShardRuns['ran'] = found.ran;
  const f = found.firstFailure;
  const counts = countBefore(ran, f);
  const shardRuns: ShardRuns = { ran, firstFailure: f, shrinking: null };
  const runs = f === null ? indices.length : indices.indexOf(f) + 1;
  if (f === null)
    return result(
      property,
      c,
      started,
      { runs, firstFailureMs: null, failure: null, counts, shardRuns },
      first,
    );
  const outcome = found.failure as RunOutcome;
  let failure: Failure = { workload: workloads.at(f), outcome };
  let path = String(f);
  let shrinks = 0;
  let shrinking = { statements: outcome.statements, reads: outcome.reads };
  if (c.shrink) {
    const start = performance.now();
    const replay = await replayPath(first, property, c, path, 1);
    c.timings?.add('shrinking', performance.now() - start);
    // A clock-dependent failure may not repeat: then the run as found is the counterexample.
    if (replay.details.failed && replay.failure) {
      failure = replay.failure;
      path = replay.details.counterexamplePath ?? path;
      shrinks = replay.details.numShrinks;
      shrinking = { statements: replay.statements, reads: replay.reads };
    } else
      shrinking = {
        statements: shrinking.statements + replay.statements,
        reads: shrinking.reads + replay.reads,
      };
  }
  shardRuns.shrinking = shrinking;
  counts.statements += shrinking.statements;
  counts.reads += shrinking.reads;
  const firstFailureMs = Math.round(failedAt - started);
  return result(
    property,
    c,
    started,
    { runs, firstFailureMs, failure, path, shrinks, counts, shardRuns },
    first,
  );
}

/** Workloads drawn at a time: all of a usual check's, a bounded slice of a very long one's. */
const CHUNK_RUNS = 5000;

/**
 * The workload of each run index: fast-check's own value for that index, as `fc.check` would run it
 * (`path` N starts fast-check's stream at run N, skipping the runs before it without building them).
 * Drawn a chunk at a time, since runs are asked for in ascending order: 100,000 workloads at once
 * held 150 MB for the whole check.
 */
class RunWorkloads {
  private start = 0;
  private chunk: Workload[] = [];
  constructor(
    private readonly property: PropertySpec,
    private readonly c: PropertyContext,
  ) {}

  at(index: number): Workload {
    if (index < this.start || index >= this.start + this.chunk.length) {
      this.start = index - (index % CHUNK_RUNS);
      const draw = () =>
        fc.sample(propertyWorkloads(this.property, this.c.graph), {
          seed: this.c.seed,
          numRuns: Math.min(CHUNK_RUNS, this.c.runs - this.start),
          ...(this.start > 0 ? { path: String(this.start) } : {}),
        });
      this.chunk = this.c.timings ? this.c.timings.timeSync('generation', draw) : draw();
    }
    return this.chunk[index - this.start] as Workload;
  }
}

/** A property's result from what its runs found; a failure is explained on `sim` and diagnosed. */
async function result(
  property: PropertySpec,
  c: PropertyContext,
  started: number,
  found: {
    runs: number;
    firstFailureMs: number | null;
    failure: Failure | null;
    path?: string;
    shrinks?: number;
    counts: { statements: number; reads: number };
    replayTries?: number;
    shardRuns?: ShardRuns;
  },
  sim: Simulator,
): Promise<PropertyResult> {
  const { failure } = found;
  const counterexample = failure
    ? counterexampleOf(
        { workload: failure.workload, messages: failure.outcome.plan.messages, ...failure.outcome.verdict },
        {
          design: c.design,
          property: property.name,
          seed: c.seed,
          path: found.path ?? '',
          pauseMs: pauseOf(property),
          ...(c.domains === undefined ? {} : { domains: c.domains }),
          ...(c.graph.schema
            ? {
                schema: {
                  flags: c.graph.schema.flags,
                  versions: c.graph.schema.versions,
                  setup: c.graph.schema.setup,
                },
              }
            : {}),
          shrink: c.shrink,
          clockDependent: property.timing.kind === 'back-to-back',
        },
        found.shrinks ?? 0,
      )
    : null;
  const diagnosis = counterexample ? await explainAndDiagnose(sim, property, counterexample) : null;
  return {
    name: property.name,
    description: property.description,
    ok: failure === null,
    runs: found.runs,
    firstFailureMs: found.firstFailureMs,
    counterexample,
    diagnosis,
    ...(found.replayTries === undefined ? {} : { replayTries: found.replayTries }),
    statementsChecked: found.counts.statements,
    readsChecked: found.counts.reads,
    elapsedMs: Math.round(performance.now() - started),
    ...(c.shard && found.shardRuns ? { shardRuns: found.shardRuns } : {}),
  };
}

/**
 * Replays a counterexample with function statistics on (its account) and split up (its replays),
 * then diagnoses it from what they showed.
 */
export async function explainAndDiagnose(
  sim: Simulator,
  property: PropertySpec,
  cx: Counterexample,
): Promise<Diagnosis | null> {
  cx.account = await explainCounterexample(sim, cx);
  const shown = accountReproduces(cx, cx.account);
  if (shown !== null) cx.accountReproduced = shown;
  const replays = await splitReplays(sim, cx, property);
  if (replays.length > 0) cx.replays = replays.map(({ split, reproduced }) => ({ split, reproduced }));
  return diagnose(cx, { property, graph: sim.graph, readPath: sim.readPath, account: cx.account, replays });
}
