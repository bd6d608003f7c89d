import type { Database } from '../engine/database.js';
import type { Design } from '../engine/design/designs.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { planWorkload } from '../model/model.js';
import type { Plan } from '../model/plan.js';
import type { PropertySpec } from '../model/properties.js';
import type { Workload } from '../model/workload.js';
import { strategyOf } from './run-strategy.js';
import { Simulator } from './simulator.js';
import type { Timings } from './timings.js';
import type { Verdict } from './verdict.js';

/**
 * Property runs side by side. Each simulator has its own database (on PGlite, on a worker thread of
 * its own), so N of them keep N cores busy while the main thread only generates and judges. A run's
 * workload depends only on (seed, property, run index), and a run's verdict only on its workload,
 * so which simulator runs which index changes nothing in the report.
 */

/**
 * Opens up to `n` simulators: one installs the design, the others start from a copy of its database
 * (never installed again: a design's cluster-wide statements, CREATE ROLE, would run twice on a
 * server). A database that cannot copy itself gets one simulator. If one fails to open, the others
 * are closed again.
 */
export async function openSimulators(
  n: number,
  design: Design,
  graph: DomainGraph,
  open?: () => Promise<Database>,
): Promise<Simulator[]> {
  const first = await Simulator.create(design, graph, open);
  if (n === 1 || !first.canCopy) return [first];
  try {
    return [first, ...(await first.copies(n - 1))];
  } catch (e) {
    await first.close();
    throw e;
  }
}

/** What one run did: its verdict, its plan, and the statements and cached reads it checked. */
export interface RunOutcome {
  verdict: Verdict;
  plan: Plan;
  statements: number;
  reads: number;
}

/**
 * Runs one workload as the property says: from an empty database, up to `attempts` times while it
 * holds (a clock-dependent property gets several chances to show its failure).
 */
export async function runWorkload(
  sim: Simulator,
  property: PropertySpec,
  graph: DomainGraph,
  workload: Workload,
  timings?: Timings | null,
): Promise<RunOutcome> {
  const plan = timings
    ? timings.timeSync('plan', () => planWorkload(graph, workload))
    : planWorkload(graph, workload);
  const strategy = strategyOf(property.timing, property.judge);
  let verdict: Verdict | undefined;
  let statements = 0;
  let reads = 0;
  for (let attempt = 0; attempt < property.attempts && (verdict?.ok ?? true); attempt++) {
    await sim.reset();
    verdict = await sim.runPlan(plan, strategy);
    const run = plan.messages.slice(0, verdict.messagesRun).flatMap((m) => m.statements);
    statements += run.length;
    reads += run.filter((st) => st.kind === 'read').length;
  }
  if (!verdict) throw new Error('a property needs at least one attempt');
  return { verdict, plan, statements, reads };
}

/** What {@link runIndices} found. */
export interface IndexRuns {
  /** The smallest index whose run failed, or null. Every index before it in the list ran. */
  firstFailure: number | null;
  /** The outcome of that run, whole (the one run shrinking starts from); null when none failed. */
  failure: RunOutcome | null;
  /**
   * Each index that ran, up to the first failure (later ones that happened to run are left out),
   * with its statements and reads: all a passing run leaves behind, so that memory stays bounded
   * however many runs a property has (every outcome kept whole took 1.8 GB at 100,000 runs).
   */
  ran: [index: number, statements: number, reads: number][];
}

/**
 * Runs `run` for each of `indices` (ascending), handing the next index to whichever simulator is
 * free. Once a run fails, no later index is started; the ones before it still finish, so the first
 * failure is the same whatever the number of simulators.
 */
export async function runIndices(
  sims: Simulator[],
  indices: number[],
  run: (sim: Simulator, index: number) => Promise<RunOutcome>,
): Promise<IndexRuns> {
  let next = 0;
  let limit = indices.length;
  let stopped = false;
  let failure: RunOutcome | null = null;
  const counts: ([statements: number, reads: number] | undefined)[] = [];
  const work = async (sim: Simulator) => {
    while (!stopped && next < limit) {
      const position = next++;
      const index = indices[position] as number;
      let outcome: RunOutcome;
      try {
        outcome = await run(sim, index);
      } catch (e) {
        stopped = true; // the others stop at their next run; the error is what this check reports
        throw e;
      }
      counts[position] = [outcome.statements, outcome.reads];
      if (!outcome.verdict.ok && position < limit) {
        limit = position;
        failure = outcome;
      }
    }
  };
  const settled = await Promise.allSettled(sims.map(work));
  const rejected = settled.find((s) => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  const ran: IndexRuns['ran'] = [];
  for (let position = 0; position < Math.min(limit + 1, indices.length); position++) {
    const c = counts[position];
    if (c) ran.push([indices[position] as number, c[0], c[1]]);
  }
  return { firstFailure: limit < indices.length ? (indices[limit] as number) : null, failure, ran };
}
