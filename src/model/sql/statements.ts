import type { CachedRead, Domain } from '../domain-graph.js';
import type { BaseSync, Predicate } from '../workload.js';
import {
  emptyInsert,
  type IdScope,
  insertInto,
  type RowValue,
  setData,
  sqlLiteral,
  values,
  whereSql,
} from './literals.js';
import { type SourcedStatement, sourcedSql } from './sourced.js';
import { columnSql, keyValue, OWN_SHAPES, ownShape, type Shapes, type TableShape } from './table-shape.js';

export { type IdScope, type RowValue, sqlLiteral, tvTable, whereSql } from './literals.js';
export { OWN_SHAPES, type Shapes, shapesOf } from './table-shape.js';

/**
 * Rendering SQL: the one place that turns statements the reference model has resolved (concrete
 * ids, tenants and data values) into the text sent to PostgreSQL. Pure string building, so a plan's
 * SQL is fully determined by its workload, and a script printed today replays the same tomorrow.
 */

/** A statement resolved against the model's rows: everything its SQL needs, nothing to look up. */
export type ResolvedStatement =
  /**
   * `duplicate` repeats the first row's id at the end, so the statement fails on a unique violation.
   * `table` (here and in UPDATE and DELETE) writes a base table instead of the domain's tv_ table.
   */
  | { kind: 'insert'; domain: Domain; table?: string; rows: RowValue[]; duplicate?: RowValue }
  | {
      kind: 'update';
      domain: Domain;
      table?: string;
      where: Predicate;
      scope?: IdScope;
      n: number;
      moveTo?: string;
    }
  | { kind: 'delete'; domain: Domain; table?: string; where: Predicate; scope?: IdScope }
  | { kind: 'upsert'; domain: Domain; rows: RowValue[] }
  /** `cascade`: other tables reference these by foreign key, and PostgreSQL empties them too. */
  | { kind: 'truncate'; domains: Domain[]; cascade?: boolean }
  /** Data-modifying CTEs, each on its own table; the last part is the primary statement. */
  | { kind: 'cte'; parts: ResolvedStatement[] }
  | { kind: 'read'; read: CachedRead; tenant: string; tenantOnly: boolean }
  | SourcedStatement
  /** A write to a base table (`write` names it in `table`), which its sync mechanism copies to tv_. */
  | { kind: 'base'; sync: BaseSync; domain: Domain; write: ResolvedStatement };

/** ON CONFLICT on the key: the row moves to the new tenant and takes the new data. */
function upsertSql(s: TableShape): string {
  const set = [s.tenant, ...s.columns.filter((c) => c.update).map((c) => c.column)]
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  return ` ON CONFLICT (${s.key.column}) DO UPDATE SET ${set}`;
}

/** The table a write goes to: its domain's tv_ table, or a base table of turbo-sim's own shape. */
function shapeFor(r: { domain: Domain; table?: string }, shapes: Shapes): TableShape {
  return r.table ? { ...ownShape(r.domain), table: r.table } : shapes(r.domain);
}

/** The SQL of one resolved statement, without its `;`, on the tables `shapes` describes. */
export function statementSql(r: ResolvedStatement, shapes: Shapes = OWN_SHAPES): string {
  switch (r.kind) {
    case 'insert': {
      const rows = r.duplicate ? [...r.rows, r.duplicate] : r.rows;
      const s = shapeFor(r, shapes);
      return rows.length === 0 ? emptyInsert(s) : `${insertInto(s)}VALUES ${values(s, rows)}`;
    }
    case 'update': {
      const s = shapeFor(r, shapes);
      const set = setData(s, r.n, '', r.moveTo === undefined ? undefined : sqlLiteral(r.moveTo));
      return `UPDATE ${s.table} SET ${set} WHERE ${whereSql(s, r.where, r.scope)}`;
    }
    case 'delete': {
      const s = shapeFor(r, shapes);
      return `DELETE FROM ${s.table} WHERE ${whereSql(s, r.where, r.scope)}`;
    }
    case 'upsert': {
      const s = shapes(r.domain);
      return r.rows.length === 0
        ? `${emptyInsert(s)}${upsertSql(s)}`
        : `${insertInto(s)}VALUES ${values(s, r.rows)}${upsertSql(s)}`;
    }
    case 'truncate':
      return `TRUNCATE ${r.domains.map((d) => shapes(d).table).join(', ')}${r.cascade ? ' CASCADE' : ''}`;
    case 'cte': {
      const parts = r.parts.map((p) => statementSql(p, shapes));
      // The last part is the primary statement, so the CTE is a plain DML statement that runs the
      // same way in a message, a DO block or a function (a trailing SELECT would need PERFORM there).
      const main = parts.pop();
      if (main === undefined) return 'SELECT 1 WHERE false';
      return parts.length === 0
        ? main
        : `WITH ${parts.map((p, i) => `w${i + 1} AS (${p})`).join(', ')} ${main}`;
    }
    case 'insertSelect':
    case 'updateFrom':
    case 'deleteUsing':
    case 'insertIgnore':
    case 'merge':
    case 'insertChild':
    case 'rekey':
      return sourcedSql(r, shapes);
    case 'base': {
      const write = statementSql(r.write, shapes);
      // The mutation function runs the base write itself, then syncs the ids it returns.
      return r.sync === 'function'
        ? `SELECT turbo_sim.fn_mutate(${sqlLiteral(r.domain)}, ${sqlLiteral(write)})`
        : write;
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

const returnsRows = (s: ResolvedStatement) => 'returning' in s && s.returning;

/**
 * Statements inside PL/pgSQL, with their DECLARE section: a SELECT whose result is not wanted must
 * be written PERFORM, and rows a write RETURNs must go somewhere, so they are read in a FOR loop
 * over a record (INTO would fail on more than one row).
 */
function plpgsqlBody(sts: ResolvedStatement[], shapes: Shapes): string {
  const body = sts
    .map((s) => {
      const sql = statementSql(s, shapes);
      return returnsRows(s)
        ? `  FOR r IN ${sql} LOOP END LOOP;\n`
        : `  ${sql.replace(/^SELECT /, 'PERFORM ')};\n`;
    })
    .join('');
  return `${sts.some(returnsRows) ? 'DECLARE\n  r record;\n' : ''}BEGIN\n${body}`;
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
export function messageSql(sts: ResolvedStatement[], shapes: Shapes = OWN_SHAPES): MessageParts {
  return sts.map((s) => statementSql(s, shapes));
}

/** Several statements in one DO block. */
export function doBlockSql(sts: ResolvedStatement[], shapes: Shapes = OWN_SHAPES): MessageParts {
  return [`DO $$\n${plpgsqlBody(sts, shapes)}END\n$$`];
}

/** Several statements in a temporary PL/pgSQL function, created and called in one message. */
export function functionSql(sts: ResolvedStatement[], shapes: Shapes = OWN_SHAPES): MessageParts {
  const fn = 'pg_temp.turbo_sim_writes';
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS void LANGUAGE plpgsql AS $fn$\n${plpgsqlBody(sts, shapes)}END\n$fn$`,
    `SELECT ${fn}()`,
  ];
}

/** One single-row INSERT of the seed's loop: id `offset + i`, data `{"n": i}`, `i` a number or the loop variable. */
export function loopInsertSql(
  domain: Domain,
  tenant: string,
  offset: number,
  i: string,
  shapes: Shapes = OWN_SHAPES,
): string {
  const s = shapes(domain);
  const id = `${offset} + ${i}`;
  const cols = s.columns.map((c) => columnSql(c, id, i));
  return `${insertInto(s)}VALUES (${[keyValue(s.key, id), sqlLiteral(tenant), ...cols].join(', ')})`;
}

/** The seed's own test: a DO block whose FOR loop runs `times` single-row INSERTs. */
export function loopSql(
  domain: Domain,
  tenant: string,
  offset: number,
  times: number,
  shapes: Shapes = OWN_SHAPES,
): string {
  return `DO $$\nBEGIN\n  FOR i IN 1..${times} LOOP\n    ${loopInsertSql(domain, tenant, offset, 'i', shapes)};\n  END LOOP;\nEND\n$$`;
}

/** Transaction control, one message each. */
export const transactionSql = {
  begin: 'BEGIN',
  end: (end: 'commit' | 'rollback') => (end === 'commit' ? 'COMMIT' : 'ROLLBACK'),
  savepoint: (name: string) => `SAVEPOINT ${name}`,
  endSavepoint: (name: string, end: 'release' | 'rollback') =>
    `${end === 'rollback' ? 'ROLLBACK TO' : 'RELEASE'} SAVEPOINT ${name}`,
};
