import fc from 'fast-check';
import { workloadArbitraries } from './arbitraries.js';
import { type Database, openPostgres, sqlError } from './database.js';
import type { Design } from './designs.js';
import type { DomainGraph } from './domain-graph.js';
import { ReferenceModel, type Versions } from './model.js';
import { compareVersions, readVersions, Simulator, type Violation } from './simulator.js';
import type { Step, Workload, Write } from './workload.js';

/** What kind of concurrent load to run. */
export type ConcurrencyWorkload = 'random' | 'statements' | 'lock-order' | 'cte-order';

/** Every {@link ConcurrencyWorkload}, for option parsing. */
export const CONCURRENCY_WORKLOADS: readonly ConcurrencyWorkload[] = [
  'random',
  'statements',
  'lock-order',
  'cte-order',
];

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

function lockOrderWorkload(session: number, steps: number): Workload {
  const domain = session % 2 === 0 ? 'contract' : 'contract_item';
  return Array.from(
    { length: steps },
    (): Step => ({ kind: 'statement', write: { kind: 'insert', domain, tenants: [0] } }),
  );
}

function cteOrderWorkload(session: number, steps: number): Workload {
  const price: Write = { kind: 'insert', domain: 'price', tenants: [0] };
  const machine: Write = { kind: 'insert', domain: 'machine', tenants: [0] };
  const parts = session % 2 === 0 ? [price, machine] : [machine, price];
  return Array.from({ length: steps }, (): Step => ({ kind: 'statement', write: { kind: 'cte', parts } }));
}

function randomWorkload(graph: DomainGraph, steps: number, seed: number, grouped: boolean): Workload {
  const a = workloadArbitraries(graph);
  // No TRUNCATE (it would remove other sessions' rows) and no deliberately failing statements.
  const write = fc.oneof({ weight: 3, arbitrary: a.insert }, a.update, a.move, a.delete, a.upsert, a.cte);
  const step = grouped
    ? fc.oneof({ weight: 2, arbitrary: a.statement(write) }, a.transaction(write), a.message(write))
    : a.statement(write);
  const [w] = fc.sample(fc.array(step, { minLength: steps, maxLength: steps }), { numRuns: 1, seed });
  return w ?? [];
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
 * Runs N sessions at once against one design on a server and checks the versions they leave: every
 * (tenant, domain) must end at its start plus the number of committed statements that had to bump
 * it. Each session has its own reference model over its own id range; a step that hits a deadlock or
 * serialization failure is rolled back in the model too and retried.
 */
export async function checkConcurrency(options: ConcurrencyOptions): Promise<ConcurrencyReport> {
  const started = performance.now();
  const run = await openPostgres(options.url);
  const sim = await Simulator.create(options.design, options.graph, async () => run.db);
  const sessions: Database[] = [];
  try {
    for (let i = 0; i < options.sessions; i++) sessions.push(await run.connect());
    const start: Versions = await readVersions(sim.db);
    const span = 1_000_000;
    const models = sessions.map(
      (_, i) => new ReferenceModel(options.graph, { from: (i + 1) * span, to: (i + 2) * span }),
    );
    const workloads = sessions.map((_, i) =>
      options.workload === 'lock-order'
        ? lockOrderWorkload(i, options.steps)
        : options.workload === 'cte-order'
          ? cteOrderWorkload(i, options.steps)
          : randomWorkload(options.graph, options.steps, options.seed + i, options.workload === 'random'),
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
    const observed = await readVersions(sim.db);
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
      ok: violations.length === 0 && reports.every((r) => r.error === null || r.gaveUp),
      elapsedMs: Math.round(performance.now() - started),
      statementsPerSecond: Math.round(committed / seconds),
    };
  } finally {
    for (const s of sessions) await s.close().catch(() => {});
    await sim.close();
  }
}

/** The human-readable form of a concurrency report. */
export function formatConcurrency(r: ConcurrencyReport): string {
  const out = [`concurrency check of ${r.design}: ${r.sessions.length} sessions, ${r.workload} workload`];
  for (const s of r.sessions) {
    out.push(
      `  session ${s.session}: ${s.committedStatements} statements committed in ${s.steps} steps, ${s.deadlocks} deadlocks, ${s.serializationFailures} serialization failures, ${s.retries} retries${s.error ? `; stopped: ${s.error}` : ''}`,
    );
  }
  out.push(
    `  bumps expected ${r.expectedBumps}, observed ${r.observedBumps}; ${r.violations.filter((v) => v.kind === 'MISSED').length} pairs MISSED, ${r.violations.filter((v) => v.kind === 'EXTRA').length} EXTRA`,
  );
  for (const v of r.violations.slice(0, 10)) {
    out.push(
      `    ${v.kind} ${v.tenant?.slice(-1)}/${v.domain}: expected ${v.expected}, observed ${v.observed}`,
    );
  }
  out.push(
    `${r.ok ? 'holds' : 'FAILS'}: ${r.committedStatements} committed statements, ${r.deadlocks} deadlocks, ${r.serializationFailures} serialization failures, ${r.statementsPerSecond} statements/s${r.sessionsGaveUp ? `; ${r.sessionsGaveUp} session(s) gave up on a step that deadlocked ${RETRIES} times` : ''}`,
  );
  return out.join('\n');
}
