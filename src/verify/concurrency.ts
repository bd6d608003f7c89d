import { type Database, DatabaseFailure, sqlError } from '../engine/database.js';
import type { Design } from '../engine/design/designs.js';
import type { PostgresOptions } from '../engine/postgres/adapter.js';
import { openPostgres } from '../engine/postgres/server.js';
import { readVersions } from '../engine/state.js';
import { type ConcurrencyWorkload, sessionWorkload } from '../model/concurrency-workloads.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { ReferenceModel } from '../model/model.js';
import type { Versions } from '../model/versions.js';
import type { Workload } from '../model/workload.js';
import { Simulator } from './simulator.js';
import { compareVersions, type Violation } from './verdict.js';

/** Options of {@link checkConcurrency}. */
export interface ConcurrencyOptions {
  design: Design;
  graph: DomainGraph;
  /** A PostgreSQL server (PGlite has one connection); the run happens in a database turbo-sim creates. */
  url: string;
  sessions: number;
  /** Workload steps per session. */
  steps: number;
  seed: number;
  /**
   * `random`: each session runs random statements and transactions on its own rows (all sessions
   * share tenants, hence version rows). `statements`: the same writes, each a statement of its own
   * (no transaction spans two statements). `lock-order`: even sessions insert into tv_contract, odd ones
   * into tv_contract_item, one row per statement, all for one tenant: both cascades bump the same
   * version rows, in whatever order the design takes their locks. `cte-order`: every statement writes
   * tv_price and tv_machine for one tenant in one writable CTE, even sessions price first, odd ones
   * machine first: a design that bumps table by table locks the two version rows in opposite orders.
   */
  workload: ConcurrencyWorkload;
  /** Limits and notes of the server connections. */
  server?: PostgresOptions;
  onProgress?: (message: string) => void;
}

/** One session's account. */
export interface SessionReport {
  session: number;
  steps: number;
  committedStatements: number;
  /** Steps run again after a deadlock or serialization failure. */
  retries: number;
  deadlocks: number;
  serializationFailures: number;
  /** Another error ended the session early, or it gave up retrying one step. */
  error: string | null;
  /** It stopped because one step kept deadlocking: a liveness figure, not a wrong version. */
  gaveUp: boolean;
}

/** The verdict of a concurrent run. */
export interface ConcurrencyReport {
  design: string;
  workload: ConcurrencyWorkload;
  sessions: SessionReport[];
  committedStatements: number;
  deadlocks: number;
  serializationFailures: number;
  /** Sum of all expected bumps (committed statements x pairs they had to bump). */
  expectedBumps: number;
  observedBumps: number;
  /** For every (tenant, domain): final version vs start + committed statements that had to bump it. */
  violations: Violation[];
  /** Sessions that stopped early because one step deadlocked on every retry. */
  sessionsGaveUp: number;
  /** Retries of one step before its session gives up. */
  retryLimit: number;
  /** No violation and no session ended by an error other than giving up on deadlocks. */
  ok: boolean;
  elapsedMs: number;
  statementsPerSecond: number;
}

const DEADLOCK = '40P01';
const SERIALIZATION = '40001';
const RETRIES = 50;

// Sessions that deadlock retry at once would meet again in the same order; a random wait that grows
// with each attempt lets one of them through. (Timing makes a concurrent run non-deterministic
// anyway, so Math.random costs no reproducibility the workloads had.)
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(250, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function runSession(
  db: Database,
  model: ReferenceModel,
  workload: Workload,
  session: number,
): Promise<SessionReport> {
  const r: SessionReport = {
    session,
    steps: workload.length,
    committedStatements: 0,
    retries: 0,
    deadlocks: 0,
    serializationFailures: 0,
    error: null,
    gaveUp: false,
  };
  for (const step of workload) {
    for (let attempt = 0; ; attempt++) {
      const cp = model.checkpoint();
      const messages = model.step(step);
      try {
        for (const m of messages) await db.exec(m.sql);
        r.committedStatements += messages.flatMap((m) => m.statements).length;
        break;
      } catch (e) {
        if (e instanceof DatabaseFailure) throw e; // a timeout or a lost session: no verdict, exit 2
        const { code, message } = sqlError(e);
        await db.exec('ROLLBACK').catch(() => {});
        model.restore(cp);
        if (code === DEADLOCK) r.deadlocks += 1;
        else if (code === SERIALIZATION) r.serializationFailures += 1;
        else {
          r.error = message;
          return r;
        }
        if (attempt >= RETRIES) {
          r.error = `gave up after ${RETRIES} retries: ${message}`;
          r.gaveUp = true;
          return r;
        }
        r.retries += 1;
        await backoff(attempt);
      }
    }
  }
  return r;
}

/**
 * Free-running: for lock-order and cte-order, whose deadlocks happen inside one statement (the
 * other workloads, with cached reads whose checks assume no commit in between, run under the
 * scheduler: concurrency-search.ts).
 *
 * Runs N sessions at once against one design on a server and checks the versions they leave: every
 * (tenant, domain) must end at its start plus the number of committed statements that had to bump
 * it. Each session has its own reference model over its own id range; a step that hits a deadlock or
 * serialization failure is rolled back in the model too and retried.
 */
export async function checkConcurrency(options: ConcurrencyOptions): Promise<ConcurrencyReport> {
  const started = performance.now();
  const run = await openPostgres(options.url, options.server);
  const sim = await Simulator.create(options.design, options.graph, async () => run.db);
  const sessions: Database[] = [];
  try {
    for (let i = 0; i < options.sessions; i++) sessions.push(await run.connect());
    const start: Versions = await readVersions(sim.db, options.graph);
    const span = 1_000_000;
    const models = sessions.map(
      (_, i) => new ReferenceModel(options.graph, { from: (i + 1) * span, to: (i + 2) * span }),
    );
    // Sessions running free cannot judge a cached read: the answer served and the fresh build it is
    // compared with are taken at two moments while other sessions write, so a commit between them
    // reads as STALE. Reads are judged by the scheduler (concurrency-search.ts), at quiet points.
    const writesOnly = { ...options.graph, reads: [] };
    const workloads = sessions.map((_, i) =>
      sessionWorkload(options.workload, writesOnly, i, options.steps, options.seed),
    );
    options.onProgress?.(
      `${options.sessions} sessions x ${options.steps} steps (${options.workload}) on ${options.design.name}`,
    );
    const t = performance.now();
    const reports = await Promise.all(
      sessions.map((db, i) => runSession(db, models[i] as ReferenceModel, workloads[i] ?? [], i)),
    );
    const seconds = (performance.now() - t) / 1000;
    const expected: Versions = new Map(start);
    for (const m of models) for (const [k, v] of m.versions()) expected.set(k, (expected.get(k) ?? 0) + v);
    const observed = await readVersions(sim.db, options.graph);
    const violations = compareVersions(expected, observed, {
      message: -1,
      statement: '(all sessions, at the end)',
    });
    const sum = (v: Versions) =>
      [...v.values()].reduce((n, x) => n + x, 0) - [...start.values()].reduce((n, x) => n + x, 0);
    const committed = reports.reduce((n, r) => n + r.committedStatements, 0);
    return {
      design: options.design.name,
      workload: options.workload,
      sessions: reports,
      committedStatements: committed,
      deadlocks: reports.reduce((n, r) => n + r.deadlocks, 0),
      serializationFailures: reports.reduce((n, r) => n + r.serializationFailures, 0),
      expectedBumps: sum(expected),
      observedBumps: sum(observed),
      violations,
      sessionsGaveUp: reports.filter((r) => r.gaveUp).length,
      retryLimit: RETRIES,
      ok: violations.length === 0 && reports.every((r) => r.error === null || r.gaveUp),
      elapsedMs: Math.round(performance.now() - started),
      statementsPerSecond: Math.round(committed / seconds),
    };
  } finally {
    for (const s of sessions) await s.close().catch(() => {});
    await sim.close();
  }
}
