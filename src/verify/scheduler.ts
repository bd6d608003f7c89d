import { type Database, DatabaseFailure, seconds } from '../engine/database.js';
import type { CachedRead, DomainGraph } from '../model/domain-graph.js';
import type { ReferenceModel } from '../model/model.js';
import type { PlannedMessage } from '../model/plan.js';
import { isPausedRead } from '../model/schedule.js';
import type { Workload } from '../model/workload.js';
import type { InterleavingEvent } from './interleaving.js';

/**
 * The deterministic scheduler: sessions send one unit at a time, in an order, and after each unit
 * the scheduler waits until every session in flight has either ended its unit or is waiting, which
 * it learns from pg_blocking_pids polled on its own control connection (as PostgreSQL's isolation
 * tester does). A session waiting on the control connection is a read at its pause point; one
 * waiting on a session is a lock wait, which is scheduled around, never timed out. A cycle of
 * sessions waiting on each other is a deadlock the scheduler breaks itself, cancelling the session
 * that closed the cycle, so the victim does not depend on PostgreSQL's deadlock_timeout. What each
 * unit means (a message of the model, a paused read) and what is judged is the caller's (Runner).
 */

/** The advisory lock class of the pause points (sql/harness/30-pause-point.sql); each read has a key of its own. */
export const PAUSE_LOCK_CLASS = 29539;

/** A session's connection and its backend pid. */
export interface Session {
  db: Database;
  pid: number;
}

/** One unit of a session: a planned message, a cached read up to its pause point, or its resume. */
export type Unit =
  /** `committed`: on a step's last message, the statements the step commits when it ends well. */
  | { kind: 'message'; message: PlannedMessage; last: boolean; committed: number }
  | { kind: 'read'; read: CachedRead; tenant: number }
  | { kind: 'resume' };

/** How a unit ended: its rows, or its error. */
export type UnitResult = { rows: Record<string, unknown>[] } | { error: unknown };

/** A unit in flight. */
export interface Flight {
  unit: Unit;
  /** Index of the event that sent it. */
  event: number;
  result: UnitResult | null;
  since: number;
  waits: boolean;
  paused: boolean;
  /** The scheduler cancelled it to break a deadlock. */
  cancelled: boolean;
  /** The key of a read's pause lock (0 for a message). */
  pauseKey: number;
  /** Commits acknowledged before it was sent. */
  commitsAtSend: number;
  /** A read that paused: the event of its pause, and what the caller saw then. */
  pause?: { event: number; versionAtBuild: number; commitsAtPause: number };
}

/** A session as the scheduler runs it. */
export interface Live {
  index: number;
  conn: Session;
  workload: Workload;
  model: ReferenceModel;
  /** The workload step being run (-1 before the first). */
  step: number;
  /** Units of that step not sent yet. */
  units: Unit[];
  /** The model before the step, to go back to when its transaction is rolled back. */
  checkpoint: unknown;
  flight: Flight | null;
  /** The step's transaction was rolled back (deadlock, error): its other units are skipped. */
  aborted: boolean;
  /** When it last sent a unit, on the scheduler's counter. */
  sentAt: number;
}

/** The units of one workload step, planned on the session's model when the step starts. */
export function unitsOf(live: Live, graph: DomainGraph): Unit[] {
  const step = live.workload[live.step];
  if (!step) return [];
  if (isPausedRead(step) && step.kind === 'statement' && step.write.kind === 'read') {
    const { read: name, tenant } = step.write;
    const read = (graph.reads ?? []).find((r) => r.name === name);
    if (!read) throw new Error(`read ${name} is not in the graph`);
    return [{ kind: 'read', read, tenant }, { kind: 'resume' }];
  }
  live.checkpoint = live.model.checkpoint();
  const messages = live.model.step(step);
  const rolledBack = step.kind === 'transaction' && step.end === 'rollback';
  const statements = messages.flatMap((m) => m.statements).filter((x) => x.kind !== 'read').length;
  const committed = rolledBack ? 0 : statements;
  return messages.map((message, i) => ({
    kind: 'message',
    message,
    last: i === messages.length - 1,
    committed,
  }));
}

/** One line of SQL for an event. */
export const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cycle of sessions each waiting on the next, or null. */
function cycleOf(waitsOn: Map<number, number[]>): number[] | null {
  for (const start of waitsOn.keys()) {
    const path: number[] = [];
    let at: number | undefined = start;
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      at = waitsOn.get(at)?.[0];
    }
    if (at !== undefined) return path.slice(path.indexOf(at));
  }
  return null;
}

/** Settling: waiting until every unit in flight has ended or waits, breaking deadlocks and hangs. */
export class Settler {
  constructor(
    private readonly control: Session,
    private readonly live: Live[],
    private readonly events: InterleavingEvent[],
    private readonly timeoutMs: number,
  ) {}

  /** Sends a unit's SQL; the flight records its result when it comes. */
  fly(
    s: Live,
    unit: Unit,
    send: () => Promise<Record<string, unknown>[]>,
    f: Omit<Flight, 'result' | 'unit' | 'since' | 'waits' | 'paused' | 'cancelled'>,
  ): void {
    const flight: Flight = {
      ...f,
      unit,
      result: null,
      since: performance.now(),
      waits: false,
      paused: false,
      cancelled: false,
    };
    s.flight = flight;
    send().then(
      (rows) => {
        flight.result = { rows };
      },
      (error) => {
        flight.result = { error };
      },
    );
  }

  /**
   * Returns once every session in flight has a result (for `finish`) or waits on a lock or at a
   * pause point, with no cycle among them. Throws a DatabaseFailure naming the units in flight when
   * one runs, waiting on no one, past the statement timeout.
   */
  async settle(): Promise<Live[]> {
    for (;;) {
      // A unit usually ends within a round trip: let its answer in before asking the server.
      await new Promise((r) => setImmediate(r));
      if (this.ended().length > 0) return this.ended();
      const flying = this.live.filter((s) => s.flight && !s.flight.result);
      if (flying.length === 0) return [];
      const rows = await this.control.db.query<{ pid: number; by: number[] }>(
        'SELECT pid, pg_blocking_pids(pid) AS by FROM unnest($1::int[]) AS pid',
        [flying.map((s) => s.conn.pid)],
      );
      if (this.ended().length > 0) return this.ended();
      const now = performance.now();
      const waitsOn = new Map<number, number[]>();
      let running = false;
      for (const s of flying) {
        const f = s.flight as Flight;
        const by = rows.find((r) => r.pid === s.conn.pid)?.by ?? [];
        if (by.includes(this.control.pid)) {
          if (!f.paused) this.note(s, 'built; paused before storing', 'paused');
          f.paused = true;
          continue;
        }
        const on = this.live.filter((o) => by.includes(o.conn.pid)).map((o) => o.index);
        if (by.length > 0) {
          if (!f.waits) this.note(s, `waits for session ${on.join(', ') || 'another backend'}`, 'waits', on);
          f.waits = true;
          waitsOn.set(s.index, on);
          continue;
        }
        if (f.waits || f.paused) f.since = now;
        f.waits = false;
        f.paused = false;
        running = true;
        if (now - f.since > this.timeoutMs) await this.hang(flying, s);
      }
      if (!running) {
        const cycle = cycleOf(waitsOn);
        if (!cycle) return [];
        await this.breakDeadlock(cycle);
      } else await sleep(1);
    }
  }

  private note(s: Live, text: string, outcome: InterleavingEvent['outcome'], on?: number[]): void {
    this.events.push({ session: s.index, step: s.step, text, outcome, ...(on ? { on } : {}) });
  }

  private ended(): Live[] {
    return this.live.filter((s) => s.flight?.result);
  }

  // The session of the cycle that sent its unit last closed it: it is cancelled, its transaction
  // rolled back by the caller (as PostgreSQL's own detector would do to one of them).
  private async breakDeadlock(cycle: number[]): Promise<void> {
    const members = cycle.map((i) => this.live[i] as Live);
    const victim = members.reduce((a, b) => (b.sentAt > a.sentAt ? b : a));
    if (victim.flight) victim.flight.cancelled = true;
    await this.control.db.query('SELECT pg_cancel_backend($1)', [victim.conn.pid]);
    for (let i = 0; i < 10_000 && !victim.flight?.result; i++) await sleep(1);
  }

  /** Nothing can be scheduled and sessions wait: for one to end, or until the statement timeout says it hangs. */
  async waitForProgress(): Promise<Live[]> {
    const start = performance.now();
    for (;;) {
      const ended = await this.settle();
      if (ended.length > 0) return ended;
      const flying = this.live.filter((s) => s.flight && !s.flight.result);
      if (flying.length === 0) return [];
      if (performance.now() - start > this.timeoutMs) await this.hang(flying, null);
      await sleep(2);
    }
  }

  private async hang(flying: Live[], culprit: Live | null): Promise<never> {
    for (const s of flying) await this.control.db.query('SELECT pg_cancel_backend($1)', [s.conn.pid]);
    const what = flying
      .map((s) => {
        const u = s.flight?.unit;
        const text =
          u?.kind === 'message'
            ? oneLine(u.message.sql).slice(0, 80)
            : u?.kind === 'read'
              ? `read ${u.read.name}`
              : 'resume';
        return `session ${s.index} step ${s.step} "${text}"${s.flight?.waits ? ' (waiting on a lock)' : s.flight?.paused ? ' (paused)' : ''}`;
      })
      .join('; ');
    throw new DatabaseFailure(
      culprit
        ? `session ${culprit.index} ran for more than ${seconds(this.timeoutMs)} waiting on no other session (--statement-timeout); in flight: ${what}`
        : `no session could go on for ${seconds(this.timeoutMs)} (--statement-timeout) and none waits on another session's lock; in flight: ${what}`,
    );
  }
}
