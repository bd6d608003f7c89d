import { DEFAULT_LIMITS } from '../engine/database.js';
import { openPostgres } from '../engine/postgres/server.js';
import { type ConcurrencyWorkload, sessionWorkload } from '../model/concurrency-workloads.js';
import {
  allOrders,
  dropStep,
  formatPath,
  keptWorkloads,
  parsePath,
  type ReplayPath,
  randomOrder,
  unitCounts,
} from '../model/schedule.js';
import type { Workload } from '../model/workload.js';
import type { ConcurrencyOptions } from './concurrency.js';
import type { ConcurrencyViolation, InterleavingRun } from './interleaving.js';
import { type ConcurrencyDiagnosis, diagnose } from './interleaving-checks.js';
import { type RunContext, runInterleaving } from './interleaving-run.js';
import type { Session } from './scheduler.js';
import { Simulator } from './simulator.js';

/** Options of {@link searchInterleavings}: those of a free-running check, and how to explore. */
export interface SearchOptions extends ConcurrencyOptions {
  /** Replay one interleaving (`formatPath`), instead of exploring. */
  path?: string;
  /** Every interleaving of the seed's workloads (refused above {@link EXHAUSTIVE_LIMIT}). */
  exhaustive?: boolean;
  /** Random interleavings of the seed's workloads to run (from the seed on); 1 unless said. */
  schedules?: number;
  /** Shrink the first failing interleaving (default true). */
  shrink?: boolean;
}

/** The most interleavings --exhaustive runs. */
export const EXHAUSTIVE_LIMIT = 5000;
// Shrinking stops after this many runs, keeping the smallest failure found so far.
const SHRINK_RUNS = 300;

/** The smallest failing interleaving found, and how to run it again. */
export interface ConcurrencyCounterexample {
  /** Sessions with at least one step, and units sent. */
  sessions: number;
  units: number;
  workloads: Workload[];
  path: string;
  run: InterleavingRun;
  diagnosis: ConcurrencyDiagnosis;
}

/** The verdict of a scheduled concurrent run. */
export interface ScheduledReport {
  design: string;
  workload: ConcurrencyWorkload;
  sessions: number;
  steps: number;
  seed: number;
  /** Interleavings run (not counting shrinking). */
  interleavings: number;
  ok: boolean;
  /** Of the first failing interleaving as found (the counterexample has the shrunk one's). */
  violations: ConcurrencyViolation[];
  counterexample: ConcurrencyCounterexample | null;
  /** The command that runs the counterexample again, or the run itself when it held. */
  replay: string;
  committedStatements: number;
  deadlocks: number;
  serializationFailures: number;
  readsServed: number;
  quietChecks: number;
}

/** The replay command of a run, with the database URL left to the reader's environment. */
export function replayCommand(o: SearchOptions, path: string | null): string {
  const flags = [
    `--design ${o.design.name}`,
    `--workload ${o.workload}`,
    `--sessions ${o.sessions}`,
    `--steps ${o.steps}`,
    `--seed ${o.seed}`,
    ...(path ? [`--path '${path}'`] : o.exhaustive ? ['--exhaustive'] : []),
  ];
  return `turbo-sim concurrency ${flags.join(' ')} --database-url "$DATABASE_URL"`;
}

/**
 * Runs the seed's sessions under the deterministic scheduler on a fresh database of the server:
 * one interleaving (a path), random ones per seed, or all of them; the first that breaks a
 * property is shrunk to the fewest sessions and steps that still break it, and diagnosed.
 */
export async function searchInterleavings(o: SearchOptions): Promise<ScheduledReport> {
  const run = await openPostgres(o.url, o.server);
  const sim = await Simulator.create(o.design, o.graph, async () => run.db);
  const sessions: Session[] = [];
  try {
    const pid = async (db: Session['db']) =>
      Number((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid);
    const control: Session = { db: sim.db, pid: await pid(sim.db) };
    const timeoutMs = o.server?.limits?.statementTimeoutMs ?? DEFAULT_LIMITS.statementTimeoutMs;
    for (let i = 0; i < o.sessions; i++) {
      const db = await run.connect({ waits: true });
      sessions.push({ db, pid: await pid(db) });
      // The scheduler breaks deadlocks itself, at once and always cancelling the same session;
      // where the role may (a superuser), PostgreSQL's own detector is kept from racing it.
      await db.exec(`SET deadlock_timeout = ${timeoutMs}`).catch(() => {});
    }
    const ctx: RunContext = { graph: o.graph, control, sessions, timeoutMs };
    const seeded = sessions.map((_, i) => sessionWorkload(o.workload, o.graph, i, o.steps, o.seed));
    let fresh = true;
    const attempt = async (path: ReplayPath) => {
      if (!fresh) await sim.reset();
      fresh = false;
      return runInterleaving(ctx, keptWorkloads(seeded, path.keep), path.order);
    };
    const paths = pathsOf(o, seeded);
    o.onProgress?.(
      `${o.sessions} sessions x ${o.steps} steps (${o.workload}) on ${o.design.name}: ${paths.length} interleaving(s)`,
    );
    const totals = {
      committedStatements: 0,
      deadlocks: 0,
      serializationFailures: 0,
      readsServed: 0,
      quietChecks: 0,
    };
    let failing: { path: ReplayPath; run: InterleavingRun } | null = null;
    let explored = 0;
    for (const path of paths) {
      const r = await attempt(path);
      explored += 1;
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
      if (r.violations.length > 0) {
        failing = { path, run: r };
        break;
      }
    }
    let counterexample: ConcurrencyCounterexample | null = null;
    if (failing) {
      // Shrinking keeps the kind of violation, not the property: a stale response served by a read
      // (real-time) and one left in the cache (no-stale-set) are one defect seen at two moments.
      const kind = failing.run.violations[0]?.kind;
      const small =
        o.shrink === false || o.path
          ? failing
          : await shrink(
              seeded,
              failing,
              (p) => attempt(p),
              (r) => r.violations.some((v) => v.kind === kind),
              o,
            );
      const workloads = keptWorkloads(seeded, small.path.keep);
      counterexample = {
        sessions: workloads.filter((w) => w.length > 0).length,
        units: small.run.order.length,
        workloads,
        path: formatPath({ keep: small.path.keep, order: small.run.order }),
        run: small.run,
        diagnosis: diagnose(small.run),
      };
    }
    return {
      design: o.design.name,
      workload: o.workload,
      sessions: o.sessions,
      steps: o.steps,
      seed: o.seed,
      interleavings: explored,
      ok: failing === null,
      violations: failing?.run.violations ?? [],
      counterexample,
      replay: replayCommand(o, counterexample?.path ?? (o.path ? o.path : null)),
      ...totals,
    };
  } finally {
    for (const s of sessions) await s.db.close().catch(() => {});
    await sim.close();
  }
}

function pathsOf(o: SearchOptions, seeded: Workload[]): ReplayPath[] {
  if (o.path) return [parsePath(o.path, o.sessions)];
  const counts = unitCounts(o.graph, seeded);
  if (o.exhaustive) return allOrders(counts, EXHAUSTIVE_LIMIT).map((order) => ({ keep: null, order }));
  return Array.from({ length: o.schedules ?? 1 }, (_, i) => ({
    keep: null,
    order: randomOrder(counts, o.seed + i),
  }));
}

/** The steps of each session that a run started (a run stops at its first violation): the rest cannot matter. */
function startedSteps(keep: number[][], run: InterleavingRun): number[][] {
  const last = keep.map(() => -1);
  for (const e of run.events) last[e.session] = Math.max(last[e.session] ?? -1, e.step);
  return keep.map((k, s) => k.slice(0, (last[s] ?? -1) + 1));
}

/** `keep` and `order` without session `s`'s kept steps [from, to). */
function withoutSteps(
  path: ReplayPath & { keep: number[][] },
  counts: number[][],
  s: number,
  from: number,
  to: number,
) {
  let order = path.order;
  for (let j = to - 1; j >= from; j--) order = dropStep(order, counts, s, j);
  return { keep: path.keep.map((k, i) => (i === s ? k.filter((_, x) => x < from || x >= to) : k)), order };
}

/**
 * Greedy deletion: first the steps the failing run never started, then a whole session, then
 * halves, quarters, ... down to single steps of a session, whenever the interleaving that is left
 * (the same order without the dropped units) still breaks the property; until nothing can be
 * dropped or the budget of runs is spent.
 */
async function shrink(
  seeded: Workload[],
  failing: { path: ReplayPath; run: InterleavingRun },
  attempt: (p: ReplayPath) => Promise<InterleavingRun>,
  fails: (r: InterleavingRun) => boolean,
  o: SearchOptions,
): Promise<{ path: ReplayPath; run: InterleavingRun }> {
  const all = failing.path.keep ?? seeded.map((w) => w.map((_, i) => i));
  let best: { path: { keep: number[][]; order: number[] }; run: InterleavingRun } = {
    path: { keep: startedSteps(all, failing.run), order: failing.run.order },
    run: failing.run,
  };
  let runs = 0;
  for (let improved = true; improved && runs < SHRINK_RUNS; ) {
    improved = false;
    const { keep } = best.path;
    const counts = unitCounts(o.graph, keptWorkloads(seeded, keep));
    const candidates: { keep: number[][]; order: number[] }[] = [];
    keep.forEach((steps, s) => {
      if (steps.length > 0) candidates.push(withoutSteps(best.path, counts, s, 0, steps.length));
    });
    const longest = Math.max(...keep.map((k) => k.length));
    for (let size = Math.floor(longest / 2); size >= 1; size = Math.floor(size / 2))
      keep.forEach((steps, s) => {
        if (steps.length <= size) return;
        for (let from = steps.length - size; from >= 0; from -= size)
          candidates.push(withoutSteps(best.path, counts, s, from, from + size));
      });
    for (const c of candidates) {
      if (runs++ >= SHRINK_RUNS) break;
      const r = await attempt(c);
      if (fails(r)) {
        best = { path: { keep: startedSteps(c.keep, r), order: r.order }, run: r };
        improved = true;
        break;
      }
    }
  }
  o.onProgress?.(`shrunk in ${runs} run(s)`);
  return best;
}
