import type { Domain } from '../domain-graph.js';
import { type Predicate, tenantOf } from '../workload.js';

/** The pieces every rendered statement is made of: literals, table names, rows, predicates. */

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

/** The columns every write sets. */
export const COLUMNS = '(id, tenant_id, data)';

/** The data of a write, numbered so every write stores something new. */
export function data(n: number): string {
  return `'{"n":${n}}'`;
}

/** A VALUES list of rows. */
export function values(rows: RowValue[]): string {
  return rows.map((r) => `(${r.id}, ${sqlLiteral(r.tenant)}, ${data(r.n)})`).join(', ');
}

/** An INSERT of no row: it still runs the table's statement triggers, as an empty batch does in an application. */
export function emptyInsert(t: string): string {
  return `INSERT INTO ${t} ${COLUMNS} SELECT id, tenant_id, data FROM ${t} WHERE false`;
}

/** A predicate on the columns of `alias` (unqualified when empty). */
function predicateSql(where: Predicate, alias: string): string {
  switch (where.kind) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'tenant':
      return `${alias}tenant_id = ${sqlLiteral(tenantOf(where.tenant))}`;
    case 'idMod':
      return `${alias}id % ${where.modulus} = ${where.remainder}`;
  }
}

/** The WHERE condition of a predicate and an id scope, on the columns of `alias` (say `s.`). */
export function whereSql(where: Predicate, scope: IdScope | undefined, alias = ''): string {
  const own = predicateSql(where, alias);
  return scope ? `(${own}) AND ${alias}id >= ${scope.from} AND ${alias}id < ${scope.to}` : own;
}
