import { DatabaseFailure, sqlError } from '../engine/database.js';
import { readVersions } from '../engine/state.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { ReferenceModel } from '../model/model.js';
import { sessionScope } from '../model/schedule.js';
import type { Versions } from '../model/versions.js';
import { tenantOf, type Workload } from '../model/workload.js';
import type { ConcurrencyViolation, InterleavingEvent, InterleavingRun } from './interleaving.js';
import {
  failureOf,
  guardVersion,
  readViolations,
  staleSetViolations,
  storedVersion,
  versionViolations,
} from './interleaving-checks.js';
import { type Live, oneLine, PAUSE_LOCK_CLASS, type Session, Settler, unitsOf } from './scheduler.js';

/** Where a run happens: the sessions, the scheduler's control connection and its bounds. */
export interface RunContext {
  graph: DomainGraph;
  control: Session;
  sessions: Session[];
  /** How long a unit may run waiting on no other session before the run is a hang (exit 2). */
  timeoutMs: number;
}

/**
 * Runs `workloads` (one per session) in `order` from an empty database, judging every property at
 * every quiet point and every read as it ends; stops at the first violation.
 */
export async function runInterleaving(
  ctx: RunContext,
  workloads: Workload[],
  order: number[],
): Promise<InterleavingRun> {
  return new Runner(ctx, workloads).run(order);
}

class Runner {
  private readonly live: Live[];
  private readonly events: InterleavingEvent[] = [];
  private readonly settler: Settler;
  private readonly out: InterleavingRun;
  private pauseKeys = 0;
  private readonly commitLog: { session: number; event: number }[] = [];
  private start: Versions = new Map();
  private seq = 0;
  private dirty = false;

  constructor(
    private readonly ctx: RunContext,
    workloads: Workload[],
  ) {
    this.live = ctx.sessions.map((conn, index) => ({
      index,
      conn,
      workload: workloads[index] ?? [],
      model: new ReferenceModel(ctx.graph, sessionScope(index)),
      step: -1,
      units: [],
      checkpoint: null,
      flight: null,
      aborted: false,
      sentAt: 0,
    }));
    this.settler = new Settler(ctx.control, this.live, this.events, ctx.timeoutMs);
    this.out = {
      order: [],
      events: this.events,
      violations: [],
      stores: [],
      committedStatements: 0,
      deadlocks: 0,
      serializationFailures: 0,
      readsServed: 0,
      quietChecks: 0,
    };
  }

  async run(order: number[]): Promise<InterleavingRun> {
    this.start = await readVersions(this.ctx.control.db);
    const queue = [...order];
    while (this.out.violations.length === 0) {
      const i = queue.findIndex((s) => this.ready(this.live[s] as Live));
      // A session the order has no entry left for (a shrunk order ends where its run stopped) goes
      // on in session order; only when no session can go on does the scheduler wait.
      const next =
        i >= 0 ? (queue.splice(i, 1)[0] as number) : (this.live.find((s) => this.ready(s))?.index ?? -1);
      if (next < 0 && this.live.some((s) => s.flight)) {
        for (const s of await this.settler.waitForProgress()) await this.finish(s);
        await this.stabilize();
        continue;
      }
      if (next < 0) break;
      await this.send(this.live[next] as Live);
      await this.stabilize();
    }
    if (this.out.violations.length === 0 && this.dirty) await this.quietChecks();
    await this.drain();
    return this.out;
  }

  // A run stopped at a violation may leave reads paused and sessions waiting or in a transaction:
  // released, cancelled and rolled back, so the next run starts from idle sessions.
  private async drain(): Promise<void> {
    const control = this.ctx.control.db;
    await control.query('SELECT pg_advisory_unlock_all()');
    for (const s of this.live)
      if (s.flight && !s.flight.result) await control.query('SELECT pg_cancel_backend($1)', [s.conn.pid]);
    for (const s of this.live) {
      for (let i = 0; i < 10_000 && s.flight && !s.flight.result; i++)
        await new Promise((r) => setTimeout(r, 1));
      s.flight = null;
      await s.conn.db.exec('ROLLBACK').catch(() => {});
    }
  }

  private hasWork(s: Live): boolean {
    return s.units.length > 0 || s.step < s.workload.length - 1;
  }

  private ready(s: Live): boolean {
    if (!this.hasWork(s)) return false;
    if (!s.flight) return true;
    return s.units[0]?.kind === 'resume' && s.flight.paused;
  }

  private event(s: Live, e: Omit<InterleavingEvent, 'session' | 'step'>): number {
    this.events.push({ session: s.index, step: s.step, ...e });
    return this.events.length - 1;
  }

  private async send(s: Live): Promise<void> {
    if (s.units.length === 0) {
      s.step += 1;
      s.aborted = false;
      s.units = unitsOf(s, this.ctx.graph);
    }
    const unit = s.units.shift();
    if (!unit) return;
    s.sentAt = ++this.seq;
    this.out.order.push(s.index);
    const commitsAtSend = this.commitLog.length;
    if (s.aborted) {
      this.event(s, { text: 'not sent: its transaction was rolled back', outcome: 'skipped' });
      return;
    }
    if (unit.kind === 'resume') {
      if (!s.flight?.paused) {
        this.event(s, { text: 'resume: the read built nothing, nothing to store', outcome: 'sent' });
        return;
      }
      this.event(s, { text: 'resume: stores', outcome: 'sent' });
      s.flight.paused = false;
      s.flight.since = performance.now();
      await this.ctx.control.db.query('SELECT pg_advisory_unlock($1, $2)', [
        PAUSE_LOCK_CLASS,
        s.flight.pauseKey,
      ]);
      return;
    }
    if (unit.kind === 'read') {
      // A key of its own per read: a lock a cancelled read may have left behind never stops another.
      const pauseKey = ++this.pauseKeys;
      await this.ctx.control.db.query('SELECT pg_advisory_lock($1, $2)', [PAUSE_LOCK_CLASS, pauseKey]);
      const tenant = tenantOf(unit.tenant);
      const sql = `SELECT turbo_sim.fn_paused_read(${pauseKey}, '${tenant}', '${unit.read.name}', ARRAY[${unit.read.domains.map((d) => `'${d}'`).join(', ')}], '${unit.read.builder}')`;
      const event = this.event(s, {
        text: `read ${unit.read.name} as ${tenant.slice(-1)}`,
        outcome: 'sent',
        sql,
      });
      this.settler.fly(s, unit, () => s.conn.db.query(`${sql}::text AS served`), {
        event,
        commitsAtSend,
        pauseKey,
      });
      return;
    }
    const sql = unit.message.sql;
    const event = this.event(s, { text: oneLine(sql), outcome: 'sent', sql });
    const exec = async () => {
      await s.conn.db.exec(sql);
      return [];
    };
    this.settler.fly(s, unit, exec, { event, commitsAtSend, pauseKey: 0 });
  }

  /** Lets every unit in flight end or wait, then notes what paused reads built at. */
  private async stabilize(): Promise<void> {
    for (;;) {
      const ended = await this.settler.settle();
      if (ended.length === 0) break;
      for (const s of ended) await this.finish(s);
    }
    for (const s of this.live) {
      const f = s.flight;
      if (!f?.paused || f.pause || f.unit.kind !== 'read') continue;
      const tenant = tenantOf(f.unit.tenant);
      let event = this.events.length - 1;
      while (
        event > 0 &&
        (this.events[event]?.session !== s.index || this.events[event]?.outcome !== 'paused')
      )
        event--;
      f.pause = {
        event,
        versionAtBuild: await guardVersion(this.ctx.control.db, f.unit.read, tenant),
        commitsAtPause: this.commitLog.length,
      };
    }
    const quiet = this.live.every((s) => !s.flight && (s.units.length === 0 || s.aborted));
    if (quiet && this.dirty && this.out.violations.length === 0) await this.quietChecks();
  }

  private async quietChecks(): Promise<void> {
    this.dirty = false;
    this.out.quietChecks += 1;
    const at = { message: this.events.length - 1, statement: '(quiet point)' };
    const expected: Versions = new Map(this.start);
    for (const s of this.live)
      for (const [k, v] of s.model.versions()) expected.set(k, (expected.get(k) ?? 0) + v);
    const db = this.ctx.control.db;
    this.out.violations.push(...(await versionViolations(db, expected, at)));
    if (this.out.violations.length > 0) return;
    this.out.violations.push(...(await staleSetViolations(db, this.ctx.graph.reads ?? [], at)));
  }

  private violation(v: Omit<ConcurrencyViolation, 'message' | 'statement'>, event: number): void {
    this.out.violations.push({ ...v, message: event, statement: this.events[event]?.sql ?? '' });
  }

  private async finish(s: Live): Promise<void> {
    const f = s.flight;
    if (!f?.result) return;
    s.flight = null;
    this.dirty = true;
    // A read that served from the cache (or failed) never paused: its pause lock goes now.
    if (f.unit.kind === 'read' && !f.pause)
      await this.ctx.control.db.query('SELECT pg_advisory_unlock($1, $2)', [PAUSE_LOCK_CLASS, f.pauseKey]);
    const waited = this.events.slice(f.event + 1).some((e) => e.session === s.index);
    const result = f.result;
    if ('error' in result) return this.failed(s, f.unit, result.error, f.cancelled, f.commitsAtSend, f.event);
    if (waited)
      this.event(s, { text: f.unit.kind === 'read' ? 'stored; read ended' : 'ended', outcome: 'done' });
    if (f.unit.kind === 'message') {
      if (f.unit.last && f.unit.committed > 0) {
        this.out.committedStatements += f.unit.committed;
        this.commitLog.push({ session: s.index, event: this.events.length - 1 });
      }
      return;
    }
    if (f.unit.kind !== 'read') return;
    const { read } = f.unit;
    const tenant = tenantOf(f.unit.tenant);
    const served = String(result.rows[0]?.served ?? 'null');
    this.out.readsServed += 1;
    const quiet = this.commitLog.length === f.commitsAtSend;
    for (const v of await readViolations(this.ctx.control.db, read, tenant, served, quiet))
      this.violation({ ...v, session: s.index }, f.event);
    if (f.pause)
      this.out.stores.push({
        session: s.index,
        event: f.pause.event,
        read: read.name,
        tenant,
        versionAtBuild: f.pause.versionAtBuild,
        storedVersion: await storedVersion(this.ctx.control.db, read, tenant),
        commitsBetween: this.commitLog.slice(f.pause.commitsAtPause).filter((c) => c.session !== s.index),
      });
  }

  private async failed(
    s: Live,
    unit: Live['units'][number],
    error: unknown,
    cancelled: boolean,
    commitsAtSend: number,
    event: number,
  ): Promise<void> {
    if (error instanceof DatabaseFailure) throw error;
    const e = sqlError(error);
    await s.conn.db.exec('ROLLBACK').catch(() => {});
    if (unit.kind === 'message') s.model.restore(s.checkpoint);
    s.aborted = true;
    const quiet = this.commitLog.length === commitsAtSend;
    const expectError = unit.kind === 'message' && unit.message.expectError;
    const failure = failureOf(e, cancelled, expectError, quiet);
    if (failure.outcome === 'deadlock') this.out.deadlocks += 1;
    if (failure.outcome === 'serialization') this.out.serializationFailures += 1;
    const text = failure.outcome === 'error' ? `error: ${e.message}` : `${failure.outcome}: rolled back`;
    this.event(s, { text, outcome: failure.outcome === 'error' ? 'error' : 'deadlock' });
    if (failure.violation) this.violation({ ...failure.violation, session: s.index }, event);
  }
}
