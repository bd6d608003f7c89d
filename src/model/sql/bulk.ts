import type { Domain } from '../domain-graph.js';
import { TENANTS } from '../workload.js';
import { insertInto, setData, tvTable } from './literals.js';
import { columnSql, keyNumber, keyValue, sqlLiteral, type TableShape } from './table-shape.js';

// The benchmark's statements: one statement writes `size` rows with generate_series, so that a
// 10,000-row INSERT is one short text and the time measured is the engine's and the design's, not
// the parser's. Workloads the properties check are rendered row by row in statements.ts instead.

/** Tenant `i` of a benchmark statement (tenants the properties never use, so runs cannot mix). */
export function benchTenant(i: number): string {
  return `00000000-0000-4000-8000-${(0xbe00 + i).toString(16).padStart(12, '0')}`;
}

/** The tenant UUIDs of a statement spread over `n` tenants, as a SQL array. */
function tenantArray(n: number): string {
  return `ARRAY[${Array.from({ length: n }, (_, i) => `'${benchTenant(i)}'`).join(', ')}]::uuid[]`;
}

/**
 * A user's table (--schema) is written through its shape, by the tenants whose rows discovery wrote
 * in the table the tenant column references (TENANTS): the benchmark's own tenants are not there.
 */
export const BULK_TENANTS = TENANTS.length;

function shapeTenants(s: TableShape, n: number): string {
  return `ARRAY[${TENANTS.slice(0, n).map(sqlLiteral).join(', ')}]::${s.tenantType}[]`;
}

/** Ids `from .. from + size - 1` of a bulk statement, or every row when `from` is omitted. */
export interface IdRange {
  from: number;
  size: number;
}

/**
 * One INSERT of `range.size` rows with ids from `range.from`, spread round-robin over `tenants`
 * tenants; into a user's table (`s`, --schema) with the values its shape gives every column.
 */
export function bulkInsertSql(domain: Domain, range: IdRange, tenants: number, s?: TableShape): string {
  const last = range.from + range.size - 1;
  if (s) {
    const values = [keyValue(s.key, 'i'), `(${shapeTenants(s, tenants)})[1 + i % ${tenants}]`];
    for (const c of s.columns) values.push(columnSql(c, 'i', 'i'));
    return `${insertInto(s)}SELECT ${values.join(', ')} FROM generate_series(${range.from}, ${last}) AS i`;
  }
  return `INSERT INTO ${tvTable(domain)} (id, tenant_id, data) SELECT i, (${tenantArray(tenants)})[1 + i % ${tenants}], jsonb_build_object('n', i) FROM generate_series(${range.from}, ${last}) AS i`;
}

const rangeWhere = (range?: IdRange, s?: TableShape) =>
  range
    ? ` WHERE ${s ? keyNumber(s.key) : 'id'} BETWEEN ${range.from} AND ${range.from + range.size - 1}`
    : '';

/** One UPDATE of the rows in `range` (all rows without one); of a user's table, its data columns. */
export function bulkUpdateSql(domain: Domain, range?: IdRange, s?: TableShape): string {
  if (s) return `UPDATE ${s.table} SET ${setData(s, 2)}${rangeWhere(range, s)}`;
  return `UPDATE ${tvTable(domain)} SET data = jsonb_build_object('u', id)${rangeWhere(range)}`;
}

/** One DELETE of the rows in `range` (all rows without one). */
export function bulkDeleteSql(domain: Domain, range?: IdRange, s?: TableShape): string {
  return `DELETE FROM ${s ? s.table : tvTable(domain)}${rangeWhere(range, s)}`;
}

/** Loads rows with every trigger off (session_replication_role), so loading costs no design anything. */
export function untriggeredSql(sql: string): string {
  return `SET session_replication_role = replica; ${sql}; RESET session_replication_role`;
}
