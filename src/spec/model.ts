import { applyStatement } from './apply-statement.js';
import { cascadeTargets, type Domain, type DomainGraph } from './domain-graph.js';
import type { Plan, PlannedMessage, PlannedStatement } from './plan.js';
import {
  doBlockSql,
  functionSql,
  type IdScope,
  loopInsertSql,
  loopSql,
  type MessageParts,
  messageSql,
  messageText,
  type ResolvedStatement,
  statementSql,
  transactionSql,
} from './render-sql.js';
import { type PairKey, pairKey, splitPair, type Versions } from './versions.js';
import { type Statement, type Step, type TenantRef, tenantOf, type Workload } from './workload.js';

/**
 * The reference model: the specification of "one bump per statement", executable and free of any
 * database. It keeps each tv_ table's rows (id -> tenant) and the expected version of every
 * (tenant, domain), and resolves a workload against those rows into planned messages; their SQL
 * text comes from render-sql.ts.
 */

interface State {
  rows: Map<Domain, Map<number, string>>;
  versions: Versions;
}

function cloneState(s: State): State {
  return {
    rows: new Map([...s.rows].map(([d, r]) => [d, new Map(r)])),
    versions: new Map(s.versions),
  };
}

/** Stateful interpreter of workloads; use {@link planWorkload} unless you need step-by-step access. */
export class ReferenceModel {
  private state: State;
  /** Ids only grow, even across rollbacks, so a rolled-back id is never reused (PostgreSQL would allow it; keeping them apart makes scripts easier to read). */
  private readonly nextId = new Map<Domain, number>();
  private dataSeq = 0;

  /**
   * `scope` gives this model its own id range [from, to): its inserts take ids there and every
   * UPDATE and DELETE it plans is limited to it, so several models (one per concurrent session)
   * can share the tables and each still knows exactly which rows its statements touch.
   */
  constructor(
    readonly graph: DomainGraph,
    readonly scope?: IdScope,
  ) {
    this.state = { rows: new Map(graph.domains.map((d) => [d, new Map()])), versions: new Map() };
  }

  /** Everything the model knows, to go back to when a transaction must be retried. */
  checkpoint(): unknown {
    return { state: cloneState(this.state), nextId: new Map(this.nextId), dataSeq: this.dataSeq };
  }

  /** Back to a {@link checkpoint}. */
  restore(cp: unknown): void {
    const c = cp as { state: State; nextId: Map<Domain, number>; dataSeq: number };
    this.state = cloneState(c.state);
    this.nextId.clear();
    for (const [d, n] of c.nextId) this.nextId.set(d, n);
    this.dataSeq = c.dataSeq;
  }

  /** Expected versions now. */
  versions(): Versions {
    return new Map(this.state.versions);
  }

  /** Rows of one tv_ table now, id -> tenant. */
  rows(domain: Domain): ReadonlyMap<number, string> {
    return this.table(domain);
  }

  /** One tv_ table's rows, to change (for applyStatement). */
  table(domain: Domain): Map<number, string> {
    const t = this.state.rows.get(domain);
    if (!t) throw new Error(`domain ${domain} is not in the graph`);
    return t;
  }

  /** The next id of a domain, never reused (for applyStatement). */
  freshId(domain: Domain): number {
    const id = this.nextId.get(domain) ?? this.scope?.from ?? 1;
    this.nextId.set(domain, id + 1);
    return id;
  }

  /** The next data number (for applyStatement). */
  nextData(): number {
    this.dataSeq += 1;
    return this.dataSeq;
  }

  /** The (tenant, domain) pairs a statement touching `touched` must bump: closed over the cascade. */
  bumpsFor(touched: Iterable<PairKey>): PairKey[] {
    const out = new Set<PairKey>();
    for (const key of touched) {
      const { tenant, domain } = splitPair(key);
      out.add(key);
      for (const t of cascadeTargets(this.graph, domain)) out.add(pairKey(tenant, t));
    }
    return [...out].sort();
  }

  private bump(bumps: PairKey[]): void {
    for (const k of bumps) this.state.versions.set(k, (this.state.versions.get(k) ?? 0) + 1);
  }

  /** Runs one statement through the model: rows change, versions get the statement's bumps. */
  private run(w: Statement): { planned: PlannedStatement; resolved: ResolvedStatement } {
    const r = applyStatement(this, w);
    const bumps = r.fails ? [] : this.bumpsFor(r.touched);
    this.bump(bumps);
    return {
      planned: {
        kind: w.kind,
        write: w,
        sql: statementSql(r.resolved),
        touched: [...r.touched].sort(),
        bumps,
        fails: r.fails,
      },
      resolved: r.resolved,
    };
  }

  /** {@link run} for the public: the planned statement only. */
  statement(w: Statement): PlannedStatement {
    return this.run(w).planned;
  }

  /**
   * A group of statements sent as one message: a message with a failing statement runs in one
   * implicit transaction in PostgreSQL, so all of its statements are undone.
   */
  private atomic(writes: Statement[], render: (sts: ResolvedStatement[]) => MessageParts): PlannedMessage {
    const before = cloneState(this.state);
    const runs = writes.map((w) => this.run(w));
    const statements = runs.map((r) => r.planned);
    const expectError = statements.some((s) => s.fails);
    if (expectError) this.state = before;
    const parts = render(runs.map((r) => r.resolved));
    return { sql: messageText(parts), parts, statements, expectError, versions: this.versions() };
  }

  private inTransaction(
    sql: string,
    statements: PlannedStatement[] = [],
    undone: PlannedStatement[] = [],
  ): PlannedMessage {
    return {
      sql,
      parts: [sql],
      inTransaction: true,
      statements,
      expectError: false,
      versions: this.versions(),
      ...(undone.length ? { undoes: [...new Set(undone.flatMap((u) => u.bumps))].sort() } : {}),
    };
  }

  /** Turns one workload step into the messages it is sent as, updating the model. */
  step(s: Step): PlannedMessage[] {
    switch (s.kind) {
      case 'statement':
        return [this.atomic([s.write], messageSql)];
      case 'message':
        return [this.atomic(s.writes, messageSql)];
      case 'do':
        return [this.atomic(s.writes, doBlockSql)];
      case 'function':
        return [this.atomic(s.writes, functionSql)];
      case 'loop':
        return [this.loop(s.domain, s.tenant, s.times)];
      case 'transaction':
        return this.transaction(s.items, s.end);
    }
  }

  private loop(domain: Domain, ref: TenantRef, times: number): PlannedMessage {
    const tenant = tenantOf(ref);
    const write: Statement = { kind: 'insert', domain, tenants: [ref] };
    const touched = [pairKey(tenant, domain)];
    const offset = (this.nextId.get(domain) ?? 1) - 1;
    const t = this.table(domain);
    const statements: PlannedStatement[] = [];
    for (let i = 1; i <= times; i++) {
      t.set(this.freshId(domain), tenant);
      const bumps = this.bumpsFor(touched);
      this.bump(bumps);
      const sql = loopInsertSql(domain, tenant, offset, String(i));
      statements.push({ kind: 'insert', write, sql, touched, bumps, fails: false });
    }
    const sql = loopSql(domain, tenant, offset, times);
    return { sql, parts: [sql], statements, expectError: false, versions: this.versions() };
  }

  private transaction(items: Extract<Step, { kind: 'transaction' }>['items'], end: 'commit' | 'rollback') {
    const begin = cloneState(this.state);
    const out: PlannedMessage[] = [this.inTransaction(transactionSql.begin)];
    const sinceBegin: PlannedStatement[] = [];
    let sp = 0;
    for (const item of items) {
      if (item.kind === 'savepoint') {
        sp += 1;
        const name = `sp${sp}`;
        const mark = cloneState(this.state);
        const sinceMark: PlannedStatement[] = [];
        out.push(this.inTransaction(transactionSql.savepoint(name)));
        for (const w of item.writes) {
          const st = this.statement(w);
          sinceMark.push(st);
          out.push(this.inTransaction(st.sql, [st]));
        }
        if (item.end === 'rollback') this.state = mark;
        else sinceBegin.push(...sinceMark);
        const undone = item.end === 'rollback' ? sinceMark : [];
        out.push(this.inTransaction(transactionSql.endSavepoint(name, item.end), [], undone));
      } else {
        const st = this.statement(item);
        sinceBegin.push(st);
        out.push(this.inTransaction(st.sql, [st]));
      }
    }
    if (end === 'rollback') this.state = begin;
    out.push(this.inTransaction(transactionSql.end(end), [], end === 'rollback' ? sinceBegin : []));
    return out;
  }
}

/** Resolves a whole workload from an empty database into the messages to send and their expectations. */
export function planWorkload(graph: DomainGraph, workload: Workload): Plan {
  const model = new ReferenceModel(graph);
  const messages = workload.flatMap((s) => model.step(s));
  return { messages, rows: new Map(graph.domains.map((d) => [d, new Map(model.rows(d))])) };
}
