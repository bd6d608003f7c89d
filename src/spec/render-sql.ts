import type { CachedRead, Domain } from './domain-graph.js';
import { type Predicate, tenantOf } from './workload.js';

/**
 * Rendering SQL: the one place that turns statements the reference model has resolved (concrete
 * ids, tenants and data values) into the text sent to PostgreSQL. Pure string building, so a plan's
 * SQL is fully determined by its workload, and a script printed today replays the same tomorrow.
 */

/** A SQL string literal. */
export function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The tv_ table of a domain, quoted only when it has to be. */
export function tvTable(domain: Domain): string {
  return /^[a-z_][a-z0-9_]*$/.test(`tv_${domain}`) ? `tv_${domain}` : `"tv_${domain}"`;
}

/** One row a statement writes; `n` numbers its data so every write stores something new. */
export interface RowValue {
  id: number;
  tenant: string;
  n: number;
}

/** An id range a concurrent session's statements are confined to. */
export interface IdScope {
  from: number;
  to: number;
}

/** A statement resolved against the model's rows: everything its SQL needs, nothing to look up. */
export type ResolvedStatement =
  /** `duplicate` repeats the first row's id at the end, so the statement fails on a unique violation. */
  | { kind: 'insert'; domain: Domain; rows: RowValue[]; duplicate?: RowValue }
  | { kind: 'update'; domain: Domain; where: Predicate; scope?: IdScope; n: number; moveTo?: string }
  | { kind: 'delete'; domain: Domain; where: Predicate; scope?: IdScope }
  | { kind: 'upsert'; domain: Domain; rows: RowValue[] }
  | { kind: 'truncate'; domains: Domain[] }
  /** Data-modifying CTEs, each on its own table; the last part is the primary statement. */
  | { kind: 'cte'; parts: ResolvedStatement[] }
  | { kind: 'read'; read: CachedRead; tenant: string; tenantOnly: boolean };

const COLUMNS = '(id, tenant_id, data)';
const UPSERT = ' ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, data = EXCLUDED.data';

function data(n: number): string {
  return `'{"n":${n}}'`;
}

function values(rows: RowValue[]): string {
  return rows.map((r) => `(${r.id}, ${sqlLiteral(r.tenant)}, ${data(r.n)})`).join(', ');
}

/** An INSERT of no row: it still runs the table's statement triggers, as an empty batch does in an application. */
function emptyInsert(domain: Domain): string {
  const t = tvTable(domain);
  return `INSERT INTO ${t} ${COLUMNS} SELECT id, tenant_id, data FROM ${t} WHERE false`;
}

function predicateSql(where: Predicate): string {
  switch (where.kind) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'tenant':
      return `tenant_id = ${sqlLiteral(tenantOf(where.tenant))}`;
    case 'idMod':
      return `id % ${where.modulus} = ${where.remainder}`;
  }
}

function whereSql(where: Predicate, scope: IdScope | undefined): string {
  const own = predicateSql(where);
  return scope ? `(${own}) AND id >= ${scope.from} AND id < ${scope.to}` : own;
}

/** The SQL of one resolved statement, without its `;`. */
export function statementSql(r: ResolvedStatement): string {
  switch (r.kind) {
    case 'insert': {
      const rows = r.duplicate ? [...r.rows, r.duplicate] : r.rows;
      return rows.length === 0
        ? emptyInsert(r.domain)
        : `INSERT INTO ${tvTable(r.domain)} ${COLUMNS} VALUES ${values(rows)}`;
    }
    case 'update': {
      const set = `data = ${data(r.n)}${r.moveTo !== undefined ? `, tenant_id = ${sqlLiteral(r.moveTo)}` : ''}`;
      return `UPDATE ${tvTable(r.domain)} SET ${set} WHERE ${whereSql(r.where, r.scope)}`;
    }
    case 'delete':
      return `DELETE FROM ${tvTable(r.domain)} WHERE ${whereSql(r.where, r.scope)}`;
    case 'upsert':
      return r.rows.length === 0
        ? `${emptyInsert(r.domain)}${UPSERT}`
        : `INSERT INTO ${tvTable(r.domain)} ${COLUMNS} VALUES ${values(r.rows)}${UPSERT}`;
    case 'truncate':
      return `TRUNCATE ${r.domains.map(tvTable).join(', ')}`;
    case 'cte': {
      const parts = r.parts.map(statementSql);
      // The last part is the primary statement, so the CTE is a plain DML statement that runs the
      // same way in a message, a DO block or a function (a trailing SELECT would need PERFORM there).
      const main = parts.pop();
      if (main === undefined) return 'SELECT 1 WHERE false';
      return parts.length === 0
        ? main
        : `WITH ${parts.map((p, i) => `w${i + 1} AS (${p})`).join(', ')} ${main}`;
    }
    case 'read': {
      // The harness function compares the cached response with a fresh build and raises STALE or
      // LEAK, so the check holds inside DO blocks and transactions too.
      const { read } = r;
      const domains = `ARRAY[${read.domains.map(sqlLiteral).join(', ')}]`;
      return `SELECT turbo_sim.fn_checked_read(${sqlLiteral(r.tenant)}, ${sqlLiteral(read.name)}, ${domains}, ${sqlLiteral(read.builder)}${r.tenantOnly ? ', false' : ''})`;
    }
  }
}

/** Statements inside PL/pgSQL: a SELECT whose result is not wanted must be written PERFORM. */
function plpgsqlBody(sts: ResolvedStatement[]): string {
  return sts.map((s) => `  ${statementSql(s).replace(/^SELECT /, 'PERFORM ')};\n`).join('');
}

/**
 * The top-level statements of one client message, in order. A message is their text joined by
 * `;` (see {@link messageText}); psql must be told to keep them in one message (`\;`).
 */
export type MessageParts = string[];

/** The text of a message of several top-level statements, as the driver sends it. */
export function messageText(parts: MessageParts): string {
  return parts.join(';\n');
}

/** Several statements in one simple-query message. */
export function messageSql(sts: ResolvedStatement[]): MessageParts {
  return sts.map(statementSql);
}

/** Several statements in one DO block. */
export function doBlockSql(sts: ResolvedStatement[]): MessageParts {
  return [`DO $$\nBEGIN\n${plpgsqlBody(sts)}END\n$$`];
}

/** Several statements in a temporary PL/pgSQL function, created and called in one message. */
export function functionSql(sts: ResolvedStatement[]): MessageParts {
  const fn = 'pg_temp.turbo_sim_writes';
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS void LANGUAGE plpgsql AS $fn$\nBEGIN\n${plpgsqlBody(sts)}END\n$fn$`,
    `SELECT ${fn}()`,
  ];
}

/** One single-row INSERT of the seed's loop: id `offset + i`, data `{"n": i}`, `i` a number or the loop variable. */
export function loopInsertSql(domain: Domain, tenant: string, offset: number, i: string): string {
  return `INSERT INTO ${tvTable(domain)} ${COLUMNS} VALUES (${offset} + ${i}, ${sqlLiteral(tenant)}, jsonb_build_object('n', ${i}))`;
}

/** The seed's own test: a DO block whose FOR loop runs `times` single-row INSERTs. */
export function loopSql(domain: Domain, tenant: string, offset: number, times: number): string {
  return `DO $$\nBEGIN\n  FOR i IN 1..${times} LOOP\n    ${loopInsertSql(domain, tenant, offset, 'i')};\n  END LOOP;\nEND\n$$`;
}

/** Transaction control, one message each. */
export const transactionSql = {
  begin: 'BEGIN',
  end: (end: 'commit' | 'rollback') => (end === 'commit' ? 'COMMIT' : 'ROLLBACK'),
  savepoint: (name: string) => `SAVEPOINT ${name}`,
  endSavepoint: (name: string, end: 'release' | 'rollback') =>
    `${end === 'rollback' ? 'ROLLBACK TO' : 'RELEASE'} SAVEPOINT ${name}`,
};
