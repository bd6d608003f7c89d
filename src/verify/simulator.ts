import { type Database, DatabaseFailure, hasCopies, type SqlError, sqlError } from '../engine/database.js';
import type { Design } from '../engine/design/designs.js';
import { type InstallLayers, installDesign, type ReadPath } from '../engine/design/install.js';
import { refusedRow } from '../engine/design/refused-row.js';
import { statementHead } from '../engine/design/sql-split.js';
import { openPGlite } from '../engine/pglite/adapter.js';
import {
  checkedVersionsSql,
  designStateTables,
  emptyTables,
  readVersions,
  type TriggerSwitch,
  triggerSwitchOf,
  type VersionRow,
  versionsOf,
} from '../engine/state.js';
import { openAll } from '../engine/teardown.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { InputError } from '../model/input-error.js';
import type { Plan, PlannedMessage } from '../model/plan.js';
import type { Judge } from '../model/properties.js';
import type { Versions } from '../model/versions.js';
import { Pacer } from './pacing.js';
import type { MessageObservation, RunStrategy } from './run-strategy.js';
import type { Timings } from './timings.js';
import { compareVersions, judgeError, judgeMessage, type Verdict, type Violation } from './verdict.js';

/** One database with the base layer and a design installed, reused across many plans. */
export class Simulator {
  // Shared by every plan run here: a design's tracker outlives reset(), so the first message of a
  // run must not share a millisecond with the last one of the run before.
  private readonly pacer = new Pacer();
  private resets = 0;
  /** Whether a message since the last reset wrote the harness's base tables (else reset skips them). */
  private baseWritten = true;
  private failure: DatabaseFailure | null = null;
  /** Whether nothing was sent since the last reset: the versions are known to be none. */
  private fresh = false;
  /** Where this simulator's time goes, when someone asks (`bench --verifier`). */
  timings: Timings | null = null;

  private constructor(
    readonly db: Database,
    readonly graph: DomainGraph,
    readonly design: Design,
    /** The read path cached reads went through: the base layer's, or the design's own. */
    readonly readPath: ReadPath,
    private readonly triggersOff: TriggerSwitch,
    /** The design's own tables a reset empties too (state.ts, designStateTables). */
    private readonly designTables: string[],
  ) {
    this.versionsRead = checkedVersionsSql(graph);
  }
  /** The query that reads the versions after each message (state.ts, checkedVersionsSql). */
  private readonly versionsRead: string;

  /**
   * Opens a database (PGlite unless `open` says otherwise), installs base layer, graph and design
   * (`layers`: the base layer and harness as given, instead of read from the package's files).
   */
  static async create(
    design: Design,
    graph: DomainGraph,
    open: () => Promise<Database> = openPGlite,
    layers?: InstallLayers,
  ): Promise<Simulator> {
    const db = await open();
    try {
      const { readPath } = await installDesign(db, graph, design, layers);
      const off = await triggerSwitchOf(db);
      return new Simulator(db, graph, design, readPath, off, await designStateTables(db, graph));
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  /** Whether the backend can start copies of this simulator's database (PGlite can). */
  get canCopy(): boolean {
    return hasCopies(this.db);
  }

  /**
   * `n` more simulators with the same design, graph and read path, on copies of this one's database
   * as it is now (just installed); only where {@link canCopy}.
   */
  async copies(n: number): Promise<Simulator[]> {
    if (!hasCopies(this.db)) throw new Error(`a ${this.db.backend} database cannot be copied`);
    const dbs = await this.db.copies(n);
    return openAll(
      dbs.map(async (db) => {
        try {
          const off = await triggerSwitchOf(db);
          return new Simulator(db, this.graph, this.design, this.readPath, off, this.designTables);
        } catch (e) {
          await db.close();
          throw e;
        }
      }),
    );
  }

  /**
   * Why this simulator's database cannot be used any more (a statement ran past the timeout, the
   * connection was lost), or null. Once set, every reset and run throws it at once, so that fast-check
   * shrinking a failure of the database does not wait for the timeout again on every candidate.
   */
  get failed(): DatabaseFailure | null {
    return this.failure;
  }

  /** Back to an empty database between plans (every 256th reset truncates; see emptyTables). */
  async reset(): Promise<void> {
    if (this.failure) throw this.failure;
    this.resets += 1;
    const start = performance.now();
    const truncate = this.resets % 256 === 0;
    await emptyTables(this.db, this.graph, truncate, this.triggersOff, this.baseWritten, this.designTables);
    this.timings?.add('resets', performance.now() - start);
    this.baseWritten = false;
    this.fresh = true;
  }

  /** Waits until `pauseMs` after the end of the last message this simulator sent. */
  async pace(pauseMs: number): Promise<void> {
    const start = performance.now();
    await this.pacer.before(pauseMs);
    this.timings?.add('pauses', performance.now() - start);
  }

  /**
   * Sends one message (or its parameterized queries) `pauseMs` after the end of the last one, timing
   * its end for the pacer; an error is returned, not thrown. With `read`, the versions are read
   * after it in the same round trip where the backend can (null when the message left its
   * transaction aborted).
   */
  private async send(
    message: PlannedMessage,
    { read = false, pauseMs = 0 }: { read?: boolean; pauseMs?: number } = {},
  ): Promise<{ error: SqlError | null; versions?: Versions | null }> {
    if (message.statements.some((s) => s.kind === 'base')) this.baseWritten = true;
    this.fresh = false;
    const plain = read && !message.binds && !message.copy;
    if (!plain) await this.pace(pauseMs);
    let endedAt: number | undefined;
    const start = performance.now();
    let parts: { database: number; versions: number } | null = null;
    try {
      if (message.binds) for (const b of message.binds) await this.db.query(b.sql, b.params);
      else if (message.copy) await this.db.copyFrom(message.copy.sql, message.copy.data);
      else if (plain) {
        const r = await this.db.execThenRead<VersionRow>(
          message.sql,
          this.versionsRead,
          this.pacer.due(pauseMs),
        );
        this.timings?.add('pauses', r.waitedMs);
        parts = { database: r.execMs, versions: performance.now() - start - r.waitedMs - r.execMs };
        endedAt = r.endedAt;
        return {
          error: r.error ? this.answer(message, r.error) : null,
          versions: r.rows && versionsOf(r.rows),
        };
      } else await this.db.exec(message.sql);
      return { error: null };
    } catch (e) {
      // Not the design's answer to the statement: no verdict, the run stops (exit 2).
      if (e instanceof DatabaseFailure)
        this.failure ??= new DatabaseFailure(
          `design ${this.design.name}: ${e.message} (in statement: ${statementHead(message.sql)})`,
        );
      if (this.failure) throw this.failure;
      if (e instanceof InputError) throw e; // a refused row (answer), not the design's answer
      return { error: this.answer(message, e) };
    } finally {
      this.pacer.ended(endedAt);
      // The round trips count with the read: what the database itself took is measured where it ran.
      this.timings?.add('database', parts?.database ?? performance.now() - start);
      this.timings?.add('versions', parts?.versions ?? 0);
    }
  }

  /** The design's answer to a message: its error, unless it is a row the user's schema refused (exit 2). */
  private answer(message: PlannedMessage, e: unknown): SqlError {
    const error = sqlError(e);
    const refused = message.expectError ? null : refusedRow(this.graph, error);
    if (refused) throw refused;
    return error;
  }

  /**
   * Sends one message and judges it against the model's expectation: the error it must or must not
   * raise, and the versions it must leave.
   */
  async runMessage(
    index: number,
    message: PlannedMessage,
    known?: Versions,
    judge: Judge = 'exact',
    pauseMs = 0,
  ): Promise<{ observation: MessageObservation; violations: Violation[] }> {
    // `known`: the versions the previous message left, already read, saving a round trip per message.
    const before = known ?? (this.fresh ? new Map() : await readVersions(this.db, this.graph));
    const sent = await this.send(message, { read: true, pauseMs });
    const error = sent.error;
    let after: Versions;
    try {
      after =
        sent.versions === undefined ? await readVersions(this.db, this.graph) : (sent.versions ?? before);
    } catch (e) {
      // A failed statement inside a transaction leaves it aborted until ROLLBACK; the versions
      // cannot be read and are not needed to report the failure.
      if (!error) throw e;
      after = before;
    }
    const observation = { index, message, error, before, after };
    const violations = judgeMessage(message, observation, judge, { message: index, statement: message.sql });
    return { observation, violations };
  }

  /** Sends each message of a plan as `strategy` says and stops at the first broken expectation. */
  async runPlan(plan: Plan, strategy: RunStrategy): Promise<Verdict> {
    if (this.failure) throw this.failure;
    try {
      return strategy.kind === 'paused'
        ? await this.runPaused(plan, strategy)
        : await this.runBackToBack(plan);
    } catch (e) {
      if (e instanceof DatabaseFailure) this.failure ??= e;
      throw e;
    }
  }

  private async runPaused(plan: Plan, s: Extract<RunStrategy, { kind: 'paused' }>): Promise<Verdict> {
    let known: Versions | undefined;
    for (const [index, message] of plan.messages.entries()) {
      // The previous message's statement_timestamp() is at most its end, and this one's at least its
      // start, so they differ by at least pauseMs.
      const { observation, violations } = await this.runMessage(
        index,
        message,
        known,
        s.judge ?? 'exact',
        s.pauseMs,
      );
      known = observation.after;
      await s.onMessage?.(observation);
      if (violations.length > 0) return { ok: false, violations, messagesRun: index + 1 };
    }
    return { ok: true, violations: [], messagesRun: plan.messages.length };
  }

  private async runBackToBack(plan: Plan): Promise<Verdict> {
    for (const [index, message] of plan.messages.entries()) {
      const { error } = await this.send(message);
      const violations = judgeError(message, error, { message: index, statement: message.sql });
      if (violations.length > 0) return { ok: false, violations, messagesRun: index + 1 };
    }
    const last = plan.messages.length - 1;
    const final = plan.messages[last];
    if (!final) return { ok: true, violations: [], messagesRun: 0 };
    const violations = compareVersions(final.versions, await readVersions(this.db, this.graph), {
      message: last,
      statement: '(versions read once, after the last message)',
    });
    return { ok: violations.length === 0, violations, messagesRun: plan.messages.length };
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.db.close();
  }
}
