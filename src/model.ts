import { cascadeTargets, type Domain, type DomainGraph } from './domain-graph.js';
import { type Predicate, type Step, TENANTS, type TenantRef, type Workload, type Write } from './workload.js';

/**
 * The reference model: the specification of "one bump per statement", executable and free of any
 * database. It keeps each tv_ table's rows (id -> tenant) and the expected version of every
 * (tenant, domain), resolves a workload against those rows, and renders the exact SQL to send.
 */

/** `tenant/domain`, the key of one version counter. */
export type PairKey = string;

/** Version counters; a missing key means version 0, as a missing tb_domain_version row does. */
export type Versions = Map<PairKey, number>;

/** Builds the key of one version counter. */
export function pairKey(tenant: string, domain: Domain): PairKey {
  return `${tenant}/${domain}`;
}

/** Splits a key built by {@link pairKey}. */
export function splitPair(key: PairKey): { tenant: string; domain: Domain } {
  const i = key.indexOf('/');
  return { tenant: key.slice(0, i), domain: key.slice(i + 1) };
}

/** One SQL statement of a plan and the bumps the specification requires of it. */
export interface PlannedStatement {
  sql: string;
  /** Every (tenant, domain) this statement must bump exactly once, sorted; empty if it touches no row. */
  bumps: PairKey[];
  /** True when the statement is built to fail (and so must leave no bump). */
  fails: boolean;
}

/** One client message: the unit the harness sends and after which it reads the versions. */
export interface PlannedMessage {
  sql: string;
  statements: PlannedStatement[];
  /** The server must answer this message with an error (a failing statement inside it). */
  expectError: boolean;
  /** Expected versions once the message is done. */
  versions: Versions;
  /** For ROLLBACK and ROLLBACK TO SAVEPOINT: the bumps it takes back. */
  undoes?: PairKey[];
}

/** A workload resolved into messages and expectations. */
export interface Plan {
  messages: PlannedMessage[];
  /** Rows of every tv_ table once the whole workload has run, domain -> id -> tenant. */
  rows: Map<Domain, Map<number, string>>;
}

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

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const table = (d: Domain) => (/^[a-z_][a-z0-9_]*$/.test(`tv_${d}`) ? `tv_${d}` : `"tv_${d}"`);

/** Stateful interpreter of workloads; use {@link planWorkload} unless you need step-by-step access. */
export class ReferenceModel {
  private state: State;
  /** Ids only grow, even across rollbacks, so a rolled-back id is never reused (PostgreSQL would allow it; keeping them apart makes scripts easier to read). */
  private readonly nextId = new Map<Domain, number>();
  private dataSeq = 0;

  /**
   * `scope` gives this model its own id range [from, to): its inserts take ids there and every
   * UPDATE and DELETE it renders is limited to it, so several models (one per concurrent session)
   * can share the tables and each still knows exactly which rows its statements touch.
   */
  constructor(
    readonly graph: DomainGraph,
    private readonly scope?: { from: number; to: number },
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

  private table(domain: Domain): Map<number, string> {
    const t = this.state.rows.get(domain);
    if (!t) throw new Error(`domain ${domain} is not in the graph`);
    return t;
  }

  private freshId(domain: Domain): number {
    const id = this.nextId.get(domain) ?? this.scope?.from ?? 1;
    this.nextId.set(domain, id + 1);
    return id;
  }

  private data(): string {
    this.dataSeq += 1;
    return `'{"n":${this.dataSeq}}'`;
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

  private matches(where: Predicate, id: number, tenant: string): boolean {
    switch (where.kind) {
      case 'all':
        return true;
      case 'none':
        return false;
      case 'tenant':
        return tenant === TENANTS[where.tenant];
      case 'idMod':
        return id % where.modulus === where.remainder;
    }
  }

  private whereSql(where: Predicate): string {
    const own = this.unscopedWhere(where);
    return this.scope ? `(${own}) AND id >= ${this.scope.from} AND id < ${this.scope.to}` : own;
  }

  private unscopedWhere(where: Predicate): string {
    switch (where.kind) {
      case 'all':
        return 'true';
      case 'none':
        return 'false';
      case 'tenant':
        return `tenant_id = ${quote(tenantOf(where.tenant))}`;
      case 'idMod':
        return `id % ${where.modulus} = ${where.remainder}`;
    }
  }

  /** Applies one write to the rows, returns its SQL (without `;`) and the pairs it touched directly. */
  private resolve(w: Write): { sql: string; touched: Set<PairKey>; fails: boolean } {
    const touched = new Set<PairKey>();
    switch (w.kind) {
      case 'insert': {
        const t = this.table(w.domain);
        const rows = w.tenants.map((r) => ({ id: this.freshId(w.domain), tenant: tenantOf(r) }));
        const fails = Boolean(w.failing) && rows.length > 0;
        const values = rows.map((r) => `(${r.id}, ${quote(r.tenant)}, ${this.data()})`);
        if (fails && rows[0]) values.push(`(${rows[0].id}, ${quote(rows[0].tenant)}, ${this.data()})`);
        if (!fails) {
          for (const r of rows) {
            t.set(r.id, r.tenant);
            touched.add(pairKey(r.tenant, w.domain));
          }
        }
        const sql =
          values.length === 0
            ? `INSERT INTO ${table(w.domain)} (id, tenant_id, data) SELECT id, tenant_id, data FROM ${table(w.domain)} WHERE false`
            : `INSERT INTO ${table(w.domain)} (id, tenant_id, data) VALUES ${values.join(', ')}`;
        return { sql, touched, fails };
      }
      case 'update': {
        const t = this.table(w.domain);
        const to = w.moveTo === undefined ? undefined : tenantOf(w.moveTo);
        for (const [id, tenant] of [...t]) {
          if (!this.matches(w.where, id, tenant)) continue;
          touched.add(pairKey(tenant, w.domain));
          if (to !== undefined) {
            touched.add(pairKey(to, w.domain));
            t.set(id, to);
          }
        }
        const set = `data = ${this.data()}${to !== undefined ? `, tenant_id = ${quote(to)}` : ''}`;
        return {
          sql: `UPDATE ${table(w.domain)} SET ${set} WHERE ${this.whereSql(w.where)}`,
          touched,
          fails: false,
        };
      }
      case 'delete': {
        const t = this.table(w.domain);
        for (const [id, tenant] of [...t]) {
          if (!this.matches(w.where, id, tenant)) continue;
          touched.add(pairKey(tenant, w.domain));
          t.delete(id);
        }
        return {
          sql: `DELETE FROM ${table(w.domain)} WHERE ${this.whereSql(w.where)}`,
          touched,
          fails: false,
        };
      }
      case 'upsert': {
        const t = this.table(w.domain);
        const existing = [...t.keys()].sort((a, b) => a - b);
        const used = new Set<number>();
        const values: string[] = [];
        for (const r of w.rows) {
          const tenant = tenantOf(r.tenant);
          const picked =
            r.existing !== null && existing.length > 0 ? existing[r.existing % existing.length] : undefined;
          // ON CONFLICT DO UPDATE cannot touch one row twice in a statement; a repeated pick inserts instead.
          const id = picked !== undefined && !used.has(picked) ? picked : this.freshId(w.domain);
          used.add(id);
          const old = t.get(id);
          if (old !== undefined) touched.add(pairKey(old, w.domain));
          touched.add(pairKey(tenant, w.domain));
          t.set(id, tenant);
          values.push(`(${id}, ${quote(tenant)}, ${this.data()})`);
        }
        const sql =
          values.length === 0
            ? `INSERT INTO ${table(w.domain)} (id, tenant_id, data) SELECT id, tenant_id, data FROM ${table(w.domain)} WHERE false ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, data = EXCLUDED.data`
            : `INSERT INTO ${table(w.domain)} (id, tenant_id, data) VALUES ${values.join(', ')} ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, data = EXCLUDED.data`;
        return { sql, touched, fails: false };
      }
      case 'truncate': {
        if (this.scope)
          throw new Error("TRUNCATE removes every session's rows: not allowed in a scoped model");
        const domains = [...new Set(w.domains)];
        for (const d of domains) {
          const t = this.table(d);
          for (const tenant of t.values()) touched.add(pairKey(tenant, d));
          t.clear();
        }
        return { sql: `TRUNCATE ${domains.map(table).join(', ')}`, touched, fails: false };
      }
      case 'read': {
        // Reads bump nothing; the harness function compares the cached response with a fresh build
        // and raises STALE or LEAK, so the check holds inside DO blocks and transactions too.
        const read = this.graph.reads?.find((r) => r.name === w.read);
        if (!read) throw new Error(`read ${w.read} is not in the graph`);
        const domains = `ARRAY[${read.domains.map(quote).join(', ')}]`;
        const sql = `SELECT turbo_sim.fn_checked_read(${quote(tenantOf(w.tenant))}, ${quote(read.name)}, ${domains}, ${quote(read.builder)}${w.tenantOnly ? ', false' : ''})`;
        return { sql, touched, fails: false };
      }
      case 'cte': {
        // Each CTE part sees the statement's snapshot; parts on distinct tables cannot see each
        // other's rows, so resolving them one after the other gives the same rows.
        const seen = new Set<Domain>();
        const parts: string[] = [];
        for (const p of w.parts) {
          if (p.kind !== 'insert' && p.kind !== 'update' && p.kind !== 'delete') continue;
          if (seen.has(p.domain)) continue;
          seen.add(p.domain);
          const r = this.resolve({ ...p, ...(p.kind === 'insert' ? { failing: false } : {}) });
          for (const k of r.touched) touched.add(k);
          parts.push(r.sql);
        }
        // The last part is the primary statement, so the CTE is a plain DML statement that runs the
        // same way in a message, a DO block or a function (a trailing SELECT would need PERFORM there).
        const main = parts.pop();
        const sql =
          main === undefined
            ? 'SELECT 1 WHERE false'
            : parts.length === 0
              ? main
              : `WITH ${parts.map((p, i) => `w${i + 1} AS (${p})`).join(', ')} ${main}`;
        return { sql, touched, fails: false };
      }
    }
  }

  /** Runs one statement through the model: rows change, versions get the statement's bumps. */
  statement(w: Write): PlannedStatement {
    const r = this.resolve(w);
    const bumps = r.fails ? [] : this.bumpsFor(r.touched);
    for (const k of bumps) this.state.versions.set(k, (this.state.versions.get(k) ?? 0) + 1);
    return { sql: r.sql, bumps, fails: r.fails };
  }

  /**
   * Runs a group of statements sent as one message: a message with a failing statement runs in one
   * implicit transaction in PostgreSQL, so all of its statements are undone.
   */
  private atomic(run: () => { sql: string; statements: PlannedStatement[] }): PlannedMessage {
    const before = cloneState(this.state);
    const { sql, statements } = run();
    const expectError = statements.some((s) => s.fails);
    if (expectError) this.state = before;
    return { sql, statements, expectError, versions: this.versions() };
  }

  private inTransaction(
    sql: string,
    statements: PlannedStatement[] = [],
    undone: PlannedStatement[] = [],
  ): PlannedMessage {
    return {
      sql,
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
        return [
          this.atomic(() => {
            const st = this.statement(s.write);
            return { sql: st.sql, statements: [st] };
          }),
        ];
      case 'message':
        return [
          this.atomic(() => {
            const sts = s.writes.map((w) => this.statement(w));
            return { sql: sts.map((x) => x.sql).join(';\n'), statements: sts };
          }),
        ];
      case 'do':
        return [
          this.atomic(() => {
            const sts = s.writes.map((w) => this.statement(w));
            return { sql: `DO $$\nBEGIN\n${body(sts)}END\n$$`, statements: sts };
          }),
        ];
      case 'function':
        return [
          this.atomic(() => {
            const sts = s.writes.map((w) => this.statement(w));
            const fn = 'pg_temp.turbo_sim_writes';
            return {
              sql: `CREATE OR REPLACE FUNCTION ${fn}() RETURNS void LANGUAGE plpgsql AS $fn$\nBEGIN\n${body(sts)}END\n$fn$;\nSELECT ${fn}()`,
              statements: sts,
            };
          }),
        ];
      case 'loop': {
        const tenant = tenantOf(s.tenant);
        const first = this.nextId.get(s.domain) ?? 1;
        const t = this.table(s.domain);
        const insert = `INSERT INTO ${table(s.domain)} (id, tenant_id, data) VALUES (${first - 1} + i, ${quote(tenant)}, jsonb_build_object('n', i))`;
        const statements: PlannedStatement[] = [];
        for (let i = 1; i <= s.times; i++) {
          t.set(this.freshId(s.domain), tenant);
          const bumps = this.bumpsFor([pairKey(tenant, s.domain)]);
          for (const k of bumps) this.state.versions.set(k, (this.state.versions.get(k) ?? 0) + 1);
          statements.push({ sql: insert.replace(/\bi\b/g, String(i)), bumps, fails: false });
        }
        const sql = `DO $$\nBEGIN\n  FOR i IN 1..${s.times} LOOP\n    ${insert};\n  END LOOP;\nEND\n$$`;
        return [{ sql, statements, expectError: false, versions: this.versions() }];
      }
      case 'transaction': {
        const begin = cloneState(this.state);
        const out: PlannedMessage[] = [this.inTransaction('BEGIN')];
        const sinceBegin: PlannedStatement[] = [];
        let sp = 0;
        for (const item of s.items) {
          if (item.kind === 'savepoint') {
            sp += 1;
            const name = `sp${sp}`;
            const mark = cloneState(this.state);
            const sinceMark: PlannedStatement[] = [];
            out.push(this.inTransaction(`SAVEPOINT ${name}`));
            for (const w of item.writes) {
              const st = this.statement(w);
              sinceMark.push(st);
              out.push(this.inTransaction(st.sql, [st]));
            }
            if (item.end === 'rollback') this.state = mark;
            else sinceBegin.push(...sinceMark);
            const end = `${item.end === 'rollback' ? 'ROLLBACK TO' : 'RELEASE'} SAVEPOINT ${name}`;
            out.push(this.inTransaction(end, [], item.end === 'rollback' ? sinceMark : []));
          } else {
            const st = this.statement(item);
            sinceBegin.push(st);
            out.push(this.inTransaction(st.sql, [st]));
          }
        }
        if (s.end === 'rollback') this.state = begin;
        out.push(
          this.inTransaction(
            s.end === 'commit' ? 'COMMIT' : 'ROLLBACK',
            [],
            s.end === 'rollback' ? sinceBegin : [],
          ),
        );
        return out;
      }
    }
  }
}

function tenantOf(r: TenantRef): string {
  const t = TENANTS[r];
  if (t === undefined) throw new Error(`tenant index ${r} out of range`);
  return t;
}

/** Statements inside PL/pgSQL: a SELECT whose result is not wanted must be written PERFORM. */
function body(sts: PlannedStatement[]): string {
  return sts.map((s) => `  ${s.sql.replace(/^SELECT /, 'PERFORM ')};\n`).join('');
}

/** Resolves a whole workload from an empty database into the messages to send and their expectations. */
export function planWorkload(graph: DomainGraph, workload: Workload): Plan {
  const model = new ReferenceModel(graph);
  const messages = workload.flatMap((s) => model.step(s));
  return { messages, rows: new Map(graph.domains.map((d) => [d, new Map(model.rows(d))])) };
}
