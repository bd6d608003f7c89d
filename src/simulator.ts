import { type Database, openPGlite, type SqlError, sqlError } from './database.js';
import { baseFiles, type Design, harnessFiles, type SqlFile } from './designs.js';
import type { DomainGraph } from './domain-graph.js';
import { InputError } from './errors.js';
import { type Plan, type PlannedMessage, pairKey, splitPair, type Versions } from './model.js';
import { splitSql } from './sql-split.js';

/** How a design broke the promise at one message. */
export type ViolationKind = 'MISSED' | 'EXTRA' | 'STALE' | 'LEAK' | 'ERROR';

/**
 * One broken expectation. MISSED: fewer bumps than the statement required (a cache can serve stale
 * data). EXTRA: more bumps than required (wasted invalidation). STALE: a cached read returned
 * something other than a fresh build. LEAK: a cached read or a bump reached another tenant. ERROR:
 * the design made a statement fail that should succeed, or succeed that should fail.
 */
export interface Violation {
  kind: ViolationKind;
  /** 0-based index of the client message in the plan. */
  message: number;
  /** The SQL of that message. */
  statement: string;
  tenant?: string;
  domain?: string;
  expected?: number;
  observed?: number;
  detail?: string;
}

/** What the design did to one message, for scenario output. */
export interface MessageObservation {
  index: number;
  message: PlannedMessage;
  error: SqlError | null;
  before: Versions;
  after: Versions;
}

/** The outcome of running one plan. */
export interface Verdict {
  ok: boolean;
  /** Violations at the first message that broke an expectation (later messages are not judged). */
  violations: Violation[];
  /** Messages sent, including the failing one. */
  messagesRun: number;
}

/** Runs SQL files one statement at a time so a failure names file, line and statement. */
export async function runSqlFiles(db: Database, files: SqlFile[]): Promise<void> {
  for (const f of files) {
    for (const st of splitSql(f.sql)) {
      try {
        await db.exec(st.sql);
      } catch (e) {
        const first = st.sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? st.sql;
        throw new InputError(
          `${f.path}:${st.line}: ${sqlError(e).message} (in statement: ${first.trim().slice(0, 100)})`,
        );
      }
    }
  }
}

/** Versions as stored in turbo.tb_domain_version (rows at version 0 count as absent). */
export async function readVersions(db: Database): Promise<Versions> {
  const rows = await db.query<{ tenant: string; domain: string; version: string }>(
    'SELECT tenant_id::text AS tenant, domain, version::text AS version FROM turbo.tb_domain_version',
  );
  const out: Versions = new Map();
  for (const r of rows) if (Number(r.version) !== 0) out.set(pairKey(r.tenant, r.domain), Number(r.version));
  return out;
}

/** Rows of the graph's tv_ tables, domain -> id -> tenant: to check the model's idea of the data itself. */
export async function readRows(db: Database, graph: DomainGraph): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  for (const d of graph.domains) {
    const rows = await db.query<{ id: string; tenant: string }>(
      `SELECT id::text AS id, tenant_id::text AS tenant FROM "tv_${d}"`,
    );
    out.set(d, new Map(rows.map((r) => [Number(r.id), r.tenant])));
  }
  return out;
}

/**
 * `exact`: every version equals the model's. `isolation`: only tenants the message's statements
 * touched may see a version change, however many bumps they get. `reads`: versions are not judged,
 * only what cached reads return (STALE, LEAK) and whether statements fail as they must.
 */
export type Judge = 'exact' | 'isolation' | 'reads';

/** Versions that changed for a tenant none of the message's statements touched: LEAK. */
export function isolationViolations(
  message: PlannedMessage,
  before: Versions,
  after: Versions,
  at: { message: number; statement: string },
): Violation[] {
  // A ROLLBACK touches no row but takes back the bumps of the statements it undoes.
  const keys = [...message.statements.flatMap((s) => s.bumps), ...(message.undoes ?? [])];
  const touched = new Set(keys.map((k) => splitPair(k).tenant));
  const out: Violation[] = [];
  for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(k) ?? 0;
    const a = after.get(k) ?? 0;
    const { tenant, domain } = splitPair(k);
    if (a !== b && !touched.has(tenant))
      out.push({ kind: 'LEAK', ...at, tenant, domain, expected: b, observed: a });
  }
  return out;
}

/** Expected vs observed, one violation per (tenant, domain) that differs. */
export function compareVersions(
  expected: Versions,
  observed: Versions,
  at: { message: number; statement: string },
): Violation[] {
  const keys = [...new Set([...expected.keys(), ...observed.keys()])].sort();
  const out: Violation[] = [];
  for (const k of keys) {
    const e = expected.get(k) ?? 0;
    const o = observed.get(k) ?? 0;
    if (e === o) continue;
    const { tenant, domain } = splitPair(k);
    out.push({ kind: o < e ? 'MISSED' : 'EXTRA', ...at, tenant, domain, expected: e, observed: o });
  }
  return out;
}

/** How {@link Simulator.runPlan} sends a plan. */
export interface RunOptions {
  /** Called after each message with what it did. */
  onMessage?: (o: MessageObservation) => Promise<void> | void;
  /** Least milliseconds between the starts of two messages (0: back to back). */
  pauseMs?: number;
  /** Read versions after each message (default) or only once at the end. */
  observe?: 'each' | 'end';
  /** How versions are judged after a message (default exact). */
  judge?: Judge;
}

/** The wall clock in milliseconds, with the sub-millisecond precision Date.now() lacks. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Waits until {@link wallClockMs} reaches `due`. Yields with setImmediate rather than setTimeout,
 * whose 1 ms granularity would double every pause; usually the version reads after the previous
 * message have already taken most of it.
 */
export async function waitUntil(due: number): Promise<void> {
  while (wallClockMs() < due) await new Promise((r) => setImmediate(r));
}

/** One database with the base layer and a design installed, reused across many plans. */
export class Simulator {
  private lastMessageEnd = Number.NEGATIVE_INFINITY;
  private resets = 0;

  private constructor(
    readonly db: Database,
    readonly graph: DomainGraph,
    readonly design: Design,
  ) {}

  /** Opens a database (PGlite unless `open` says otherwise), installs base layer, graph and design. */
  static async create(
    design: Design,
    graph: DomainGraph,
    open: () => Promise<Database> = openPGlite,
  ): Promise<Simulator> {
    const db = await open();
    try {
      await runSqlFiles(db, baseFiles(graph));
      await runSqlFiles(db, design.files);
      await runSqlFiles(db, harnessFiles());
      // A design may call random() (the seed cleans its tracker with probability 1%): seeded, the
      // same scenario or workload calls the same functions every time.
      await db.exec('SELECT setseed(0.5)');
    } catch (e) {
      await db.close();
      throw e;
    }
    return new Simulator(db, graph, design);
  }

  /**
   * Back to an empty database between plans without paying a new instance: empty the tv_ tables and
   * the base tables with triggers disabled (session_replication_role = replica fires no ordinary
   * trigger, TRUNCATE triggers included). A design's own tables (a tracker) are left as they are,
   * as they would be in production between two requests.
   *
   * DELETE costs about a tenth of TRUNCATE on these few rows (TRUNCATE swaps the files); every
   * 256th reset truncates so that dead rows do not pile up where no autovacuum runs.
   */
  async reset(): Promise<void> {
    const tables = [
      ...this.graph.domains.map((d) => `"tv_${d}"`),
      'turbo.tb_domain_version',
      'turbo.tb_domain_version_history',
      'turbo.tb_graphql_cache',
      'turbo.tb_cache_read_log',
    ];
    this.resets += 1;
    const empty =
      this.resets % 256 === 0 ? [`TRUNCATE ${tables.join(', ')}`] : tables.map((t) => `DELETE FROM ${t}`);
    await this.db.exec('ROLLBACK');
    await this.db.exec(
      ['SET session_replication_role = replica', ...empty, 'RESET session_replication_role'].join('; '),
    );
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
  ): Promise<{ observation: MessageObservation; violations: Violation[] }> {
    // `known`: the versions the previous message left, already read, saving a round trip per message.
    const before = known ?? (await readVersions(this.db));
    let error: SqlError | null = null;
    try {
      await this.db.exec(message.sql);
    } catch (e) {
      error = sqlError(e);
    }
    this.lastMessageEnd = wallClockMs();
    let after: Versions;
    try {
      after = await readVersions(this.db);
    } catch (e) {
      // A failed statement inside a transaction leaves it aborted until ROLLBACK; the versions
      // cannot be read and are not needed to report the failure.
      if (!error) throw e;
      after = before;
    }
    const observation = { index, message, error, before, after };
    const at = { message: index, statement: message.sql };
    const checked = error?.message.match(/turbo-sim (STALE|LEAK): /);
    if (error && checked) {
      return {
        observation,
        violations: [{ kind: checked[1] as 'STALE' | 'LEAK', ...at, detail: error.message }],
      };
    }
    if (error && !message.expectError) {
      return {
        observation,
        violations: [{ kind: 'ERROR', ...at, detail: `unexpected error: ${error.message}` }],
      };
    }
    if (!error && message.expectError) {
      return {
        observation,
        violations: [{ kind: 'ERROR', ...at, detail: 'the statement was expected to fail but succeeded' }],
      };
    }
    if (judge === 'reads') return { observation, violations: [] };
    if (judge === 'isolation')
      return { observation, violations: isolationViolations(message, before, after, at) };
    return { observation, violations: compareVersions(message.versions, after, at) };
  }

  /**
   * Sends each message of a plan and stops at the first broken expectation. With `observe: 'each'`
   * versions are read around every message, so a violation names its message; with `'end'` the
   * messages go out back to back with nothing in between and only the final versions are judged.
   */
  async runPlan(plan: Plan, options: RunOptions = {}): Promise<Verdict> {
    const { onMessage, pauseMs = 0, observe = 'each', judge = 'exact' } = options;
    if (observe === 'end') return this.runBackToBack(plan);
    let known: Versions | undefined;
    for (const [index, message] of plan.messages.entries()) {
      // Measured from the end of the last message of any plan: a design's tracker outlives reset(),
      // so the first message of a run must not share a millisecond with the last one of the run
      // before. The previous message's statement_timestamp() is at most its end, and this one's at
      // least its start, so they differ by at least pauseMs.
      await waitUntil(this.lastMessageEnd + pauseMs);
      const { observation, violations } = await this.runMessage(index, message, known, judge);
      known = observation.after;
      await onMessage?.(observation);
      if (violations.length > 0) return { ok: false, violations, messagesRun: index + 1 };
    }
    return { ok: true, violations: [], messagesRun: plan.messages.length };
  }

  private async runBackToBack(plan: Plan): Promise<Verdict> {
    for (const [index, message] of plan.messages.entries()) {
      let failed = false;
      try {
        await this.db.exec(message.sql);
      } catch {
        failed = true;
      }
      this.lastMessageEnd = wallClockMs();
      if (failed !== message.expectError) {
        const at = { message: index, statement: message.sql };
        const detail = failed ? 'unexpected error' : 'the statement was expected to fail but succeeded';
        return { ok: false, violations: [{ kind: 'ERROR', ...at, detail }], messagesRun: index + 1 };
      }
    }
    const last = plan.messages.length - 1;
    const final = plan.messages[last];
    if (!final) return { ok: true, violations: [], messagesRun: 0 };
    const violations = compareVersions(final.versions, await readVersions(this.db), {
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
