import { type Predicate, tenantOf } from '../workload.js';
import {
  columnSql,
  insertColumns,
  keyNumber,
  keyValue,
  overriding,
  sqlLiteral,
  type TableShape,
} from './table-shape.js';

export { sqlLiteral, tvTable } from './table-shape.js';

/** The pieces every rendered statement is made of: rows, the columns they set, predicates. */

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

/** `INSERT INTO t (columns) ` with OVERRIDING where the key needs it, before VALUES or SELECT. */
export function insertInto(s: TableShape): string {
  return `INSERT INTO ${s.table} ${insertColumns(s)} ${overriding(s)}`;
}

/** One row's values, in the order of {@link insertColumns}. */
export function rowValues(s: TableShape, r: RowValue): string {
  const cols = s.columns.map((c) => columnSql(c, r.id, r.n));
  return `(${[keyValue(s.key, r.id), sqlLiteral(r.tenant), ...cols].join(', ')})`;
}

/** A VALUES list of rows. */
export function values(s: TableShape, rows: RowValue[]): string {
  return rows.map((r) => rowValues(s, r)).join(', ');
}

/**
 * The SET list of an UPDATE writing data number `n` on the rows of `alias`: every column an UPDATE
 * changes, or the tenant to itself when the table has none (the row is still written, as an
 * application's no-op save is); with `tenantTo` (SQL), the tenant moved there as well.
 */
export function setData(s: TableShape, n: number, alias = '', tenantTo?: string): string {
  const cols = s.columns
    .filter((c) => c.update)
    .map((c) => `${c.column} = ${columnSql(c, keyNumber(s.key, alias), n)}`);
  // A tenant set twice is an error ("multiple assignments to same column"): a move sets it once.
  if (tenantTo !== undefined) return [...cols, `${s.tenant} = ${tenantTo}`].join(', ');
  return cols.length === 0 ? `${s.tenant} = ${alias}${s.tenant}` : cols.join(', ');
}

/** An INSERT of no row: it still runs the table's statement triggers, as an empty batch does in an application. */
export function emptyInsert(s: TableShape): string {
  const cols = insertColumns(s).slice(1, -1);
  return `${insertInto(s)}SELECT ${cols} FROM ${s.table} WHERE false`;
}

/** A predicate on the columns of `alias` (unqualified when empty). */
function predicateSql(s: TableShape, where: Predicate, alias: string): string {
  switch (where.kind) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'tenant':
      return `${alias}${s.tenant} = ${sqlLiteral(tenantOf(where.tenant))}`;
    case 'idMod':
      return `${keyNumber(s.key, alias)} % ${where.modulus} = ${where.remainder}`;
  }
}

/** The WHERE condition of a predicate and an id scope, on the columns of `alias` (say `s.`). */
export function whereSql(s: TableShape, where: Predicate, scope: IdScope | undefined, alias = ''): string {
  const own = predicateSql(s, where, alias);
  const id = keyNumber(s.key, alias);
  return scope ? `(${own}) AND ${id} >= ${scope.from} AND ${id} < ${scope.to}` : own;
}
