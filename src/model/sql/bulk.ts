import type { Domain } from '../domain-graph.js';
import { tvTable } from './literals.js';

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

/** Ids `from .. from + size - 1` of a bulk statement, or every row when `from` is omitted. */
export interface IdRange {
  from: number;
  size: number;
}

/** One INSERT of `range.size` rows with ids from `range.from`, spread round-robin over `tenants` tenants. */
export function bulkInsertSql(domain: Domain, range: IdRange, tenants: number): string {
  const last = range.from + range.size - 1;
  return `INSERT INTO ${tvTable(domain)} (id, tenant_id, data) SELECT i, (${tenantArray(tenants)})[1 + i % ${tenants}], jsonb_build_object('n', i) FROM generate_series(${range.from}, ${last}) AS i`;
}

const rangeWhere = (range?: IdRange) =>
  range ? ` WHERE id BETWEEN ${range.from} AND ${range.from + range.size - 1}` : '';

/** One UPDATE of the rows in `range` (all rows without one). */
export function bulkUpdateSql(domain: Domain, range?: IdRange): string {
  return `UPDATE ${tvTable(domain)} SET data = jsonb_build_object('u', id)${rangeWhere(range)}`;
}

/** One DELETE of the rows in `range` (all rows without one). */
export function bulkDeleteSql(domain: Domain, range?: IdRange): string {
  return `DELETE FROM ${tvTable(domain)}${rangeWhere(range)}`;
}

/** Loads rows with every trigger off (session_replication_role), so loading costs no design anything. */
export function untriggeredSql(sql: string): string {
  return `SET session_replication_role = replica; ${sql}; RESET session_replication_role`;
}
