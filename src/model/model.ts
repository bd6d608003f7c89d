import { applyStatement } from './apply-statement.js';
import { baseTableName } from './base-tables.js';
import { cascadeTargets, type Domain, type DomainGraph } from './domain-graph.js';
import { type LinkedRows, settleCascade } from './foreign-keys.js';
import { cloneState, emptyState, type State } from './model-state.js';
import type { BoundQuery, CopyInput, Plan, PlannedMessage, PlannedStatement } from './plan.js';
import { boundQueriesSql, boundQuery, copyInput, copyScript, prepareExecuteSql } from './sql/prepared.js';
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
  type Shapes,
  shapesOf,
  statementSql,
  transactionSql,
} from './sql/statements.js';
import { type PairKey, pairKey, splitPair, type Versions } from './versions.js';
import {
  type BaseSync,
  type Statement,
  type Step,
  type TenantRef,
  tenantOf,
  type Workload,
} from './workload.js';

/**
 * The reference model: the specification of "one bump per statement", executable and free of any
 * database. It keeps each tv_ table's rows (id -> tenant) and the expected version of every
 * (tenant, domain), and resolves a workload against those rows into planned messages; their SQL
 * text comes from sql/statements.ts.
 */

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
    /** How rows are written into each domain's table (the graph's discovered tables, or turbo-sim's own). */
    private readonly shapes: Shapes = shapesOf(graph),
  ) {
    this.state = emptyState(graph.domains);
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

  /** One base table's rows, to change (for applyStatement). */
  baseTable(sync: BaseSync, domain: Domain): Map<number, string> {
    this.table(domain);
    const name = baseTableName(sync, domain);
    const t = this.state.base.get(name) ?? new Map<number, string>();
    this.state.base.set(name, t);
    return t;
  }

  /** One foreign key's links, child id -> parent id (for applyStatement). */
  links(foreignKey: string): Map<number, number> {
    const l = this.state.links.get(foreignKey) ?? new Map<number, number>();
    this.state.links.set(foreignKey, l);
    return l;
  }

  /** Parent rows the current statement removed or renumbered, for the cascade (for applyStatement). */
  readonly pending: LinkedRows['pending'] = { removed: [], rekeyed: [] };

  /** Makes every id up to `above` used (for applyStatement). */
  reserveIds(domain: Domain, above: number): void {
    this.nextId.set(domain, Math.max(this.nextId.get(domain) ?? 1, above + 1));
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

  /**
   * Runs one statement through the model: rows change, versions get the statement's bumps. A base
   * write plans, after itself, each tv_ statement its sync runs, with the bumps that one owes.
   */
  private run(w: Statement): { planned: PlannedStatement[]; resolved: ResolvedStatement } {
    const r = applyStatement(this, w);
    settleCascade(this, r.touched);
    const bumps = r.fails ? [] : this.bumpsFor(r.touched);
    this.bump(bumps);
    const sql = statementSql(r.resolved, this.shapes);
    type Own = { touched: Set<PairKey>; bumps: PairKey[]; fails: boolean; sql: string };
    const planned = (o: Own): PlannedStatement => {
      const { touched, bumps, fails, sql } = o;
      return { kind: w.kind, write: w, sql, touched: [...touched].sort(), bumps, fails };
    };
    // A base write's sync runs its own tv_ statements, each owing its bumps (same write, own pairs).
    const synced = (r.synced ?? []).map((touched) => {
      const own = this.bumpsFor(touched);
      this.bump(own);
      return planned({ touched, bumps: own, fails: false, sql: `-- a tv_ statement run by: ${sql}` });
    });
    return {
      planned: [planned({ touched: r.touched, bumps, fails: r.fails, sql }), ...synced],
      resolved: r.resolved,
    };
  }

  /** {@link run} for the public: the planned statements only (more than one for a base write). */
  statement(w: Statement): PlannedStatement[] {
    return this.run(w).planned;
  }

  /**
   * A group of statements sent as one message: a message with a failing statement runs in one
   * implicit transaction in PostgreSQL, so all of its statements are undone.
   */
  private atomic(writes: Statement[], render: (sts: ResolvedStatement[]) => MessageParts): PlannedMessage {
    const before = cloneState(this.state);
    const runs = writes.map((w) => this.run(w));
    const statements = runs.flatMap((r) => r.planned);
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
      case 'message':
        return [this.atomic(s.kind === 'message' ? s.writes : [s.write], (w) => messageSql(w, this.shapes))];
      case 'do':
        return [this.atomic(s.writes, (sts) => doBlockSql(sts, this.shapes))];
      case 'function':
        return [this.atomic(s.writes, (sts) => functionSql(sts, this.shapes))];
      case 'loop':
        return [this.loop(s.domain, s.tenant, s.times)];
      case 'prepared':
        return [this.prepared(s.writes, s.via)];
      case 'copy': {
        let copy: CopyInput | undefined;
        const message = this.atomic([{ kind: 'insert', domain: s.domain, tenants: s.tenants }], ([r]) => {
          copy = r && copyInput(r, this.shapes);
          return copy ? copyScript(copy) : [];
        });
        return [{ ...message, ...(copy ? { copy } : {}) }];
      }
      case 'transaction':
        return this.transaction(s.items, s.end);
    }
  }

  /** Prepared statements: the literals become parameters; `bind` sends each as its own query. */
  private prepared(writes: Statement[], via: 'prepare' | 'bind'): PlannedMessage {
    if (via === 'prepare') return this.atomic(writes, (sts) => prepareExecuteSql(sts, this.shapes));
    let binds: BoundQuery[] = [];
    const message = this.atomic(writes, (sts) => {
      binds = sts.map((s) => boundQuery(s, this.shapes));
      return boundQueriesSql(binds);
    });
    return { ...message, binds };
  }

  private loop(domain: Domain, ref: TenantRef, times: number): PlannedMessage {
    const tenant = tenantOf(ref);
    const write: Statement = { kind: 'insert', domain, tenants: [ref] };
    const touched = [pairKey(tenant, domain)];
    const offset = (this.nextId.get(domain) ?? 1) - 1;
    const statements: PlannedStatement[] = [];
    for (let i = 1; i <= times; i++) {
      this.table(domain).set(this.freshId(domain), tenant);
      const bumps = this.bumpsFor(touched);
      this.bump(bumps);
      const sql = loopInsertSql(domain, tenant, offset, String(i), this.shapes);
      statements.push({ kind: 'insert', write, sql, touched, bumps, fails: false });
    }
    const sql = loopSql(domain, tenant, offset, times, this.shapes);
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
          const sts = this.statement(w);
          sinceMark.push(...sts);
          out.push(this.inTransaction(sts[0]?.sql ?? '', sts));
        }
        if (item.end === 'rollback') this.state = mark;
        else sinceBegin.push(...sinceMark);
        const undone = item.end === 'rollback' ? sinceMark : [];
        out.push(this.inTransaction(transactionSql.endSavepoint(name, item.end), [], undone));
      } else {
        const sts = this.statement(item);
        sinceBegin.push(...sts);
        out.push(this.inTransaction(sts[0]?.sql ?? '', sts));
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
