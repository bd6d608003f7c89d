import type { Domain } from '../domain-graph.js';
import type { MergeMatched, Predicate } from '../workload.js';
import {
  COLUMNS,
  data,
  emptyInsert,
  type IdScope,
  type RowValue,
  sqlLiteral,
  tvTable,
  values,
  whereSql,
} from './literals.js';

/**
 * SQL of the statements that read another tv_ table, meet existing rows or follow foreign keys,
 * resolved by the model (apply-sourced.ts, foreign-keys.ts).
 */
export type SourcedStatement =
  /** INSERT ... SELECT: the source's matching rows in id order, numbered from `firstId`. */
  | {
      kind: 'insertSelect';
      domain: Domain;
      from: Domain;
      where: Predicate;
      scope?: IdScope;
      firstId: number;
      returning: boolean;
    }
  | {
      kind: 'updateFrom';
      domain: Domain;
      from: Domain;
      where: Predicate;
      scope?: IdScope;
      n: number;
      takeTenant: boolean;
      returning: boolean;
    }
  | {
      kind: 'deleteUsing';
      domain: Domain;
      from: Domain;
      where: Predicate;
      scope?: IdScope;
      returning: boolean;
    }
  | { kind: 'insertIgnore'; domain: Domain; rows: RowValue[]; returning: boolean }
  | { kind: 'merge'; domain: Domain; rows: RowValue[]; matched: MergeMatched | null; insert: boolean }
  /** An INSERT setting a foreign key column: each row's parent id, or null. */
  | { kind: 'insertChild'; domain: Domain; column: string; rows: (RowValue & { parent: number | null })[] }
  /** Renumbers the matching rows to `id + shift` (fresh ids): ON UPDATE CASCADE follows. */
  | { kind: 'rekey'; domain: Domain; where: Predicate; scope?: IdScope; shift: number };

/** A VALUES list typed by its casts, for MERGE's source (which has no target columns to type it). */
function typedValues(rows: RowValue[]): string {
  return rows.map((r) => `(${r.id}, ${sqlLiteral(r.tenant)}::uuid, ${data(r.n)}::jsonb)`).join(', ');
}

const MERGE_MATCHED: Record<MergeMatched, string> = {
  update: 'WHEN MATCHED THEN UPDATE SET tenant_id = s.tenant_id, data = s.data',
  delete: 'WHEN MATCHED THEN DELETE',
  updateSameTenant:
    'WHEN MATCHED AND t.tenant_id = s.tenant_id THEN UPDATE SET data = s.data WHEN MATCHED THEN DELETE',
};

/** The SQL of one sourced statement, without its `;`. */
export function sourcedSql(r: SourcedStatement): string {
  // RETURNING what an application reads back: the written rows' ids and tenants.
  const ret = (alias: string) =>
    'returning' in r && r.returning ? ` RETURNING ${alias}id, ${alias}tenant_id` : '';
  switch (r.kind) {
    case 'insertSelect':
      return `INSERT INTO ${tvTable(r.domain)} ${COLUMNS} SELECT ${r.firstId - 1} + row_number() OVER (ORDER BY s.id), s.tenant_id, s.data FROM ${tvTable(r.from)} s WHERE ${whereSql(r.where, r.scope, 's.')}${ret('')}`;
    case 'updateFrom': {
      const set = `data = ${data(r.n)}${r.takeTenant ? ', tenant_id = s.tenant_id' : ''}`;
      return `UPDATE ${tvTable(r.domain)} t SET ${set} FROM ${tvTable(r.from)} s WHERE t.id = s.id AND ${whereSql(r.where, r.scope, 's.')}${ret('t.')}`;
    }
    case 'deleteUsing':
      return `DELETE FROM ${tvTable(r.domain)} t USING ${tvTable(r.from)} s WHERE t.id = s.id AND ${whereSql(r.where, r.scope, 's.')}${ret('t.')}`;
    case 'insertIgnore': {
      const t = tvTable(r.domain);
      const insert =
        r.rows.length === 0 ? emptyInsert(t) : `INSERT INTO ${t} ${COLUMNS} VALUES ${values(r.rows)}`;
      return `${insert} ON CONFLICT (id) DO NOTHING${ret('')}`;
    }
    case 'insertChild': {
      const t = tvTable(r.domain);
      if (r.rows.length === 0) return emptyInsert(t);
      const rows = r.rows.map(
        (c) => `(${c.id}, ${sqlLiteral(c.tenant)}, ${data(c.n)}, ${c.parent ?? 'NULL'})`,
      );
      return `INSERT INTO ${t} (id, tenant_id, data, ${r.column}) VALUES ${rows.join(', ')}`;
    }
    case 'rekey':
      return `UPDATE ${tvTable(r.domain)} SET id = id + ${r.shift} WHERE ${whereSql(r.where, r.scope)}`;
    case 'merge': {
      const t = tvTable(r.domain);
      const source =
        r.rows.length === 0
          ? `(SELECT id, tenant_id, data FROM ${t} WHERE false)`
          : `(VALUES ${typedValues(r.rows)})`;
      const clauses = [
        ...(r.matched ? [MERGE_MATCHED[r.matched]] : []),
        ...(r.insert
          ? ['WHEN NOT MATCHED THEN INSERT (id, tenant_id, data) VALUES (s.id, s.tenant_id, s.data)']
          : []),
      ];
      return `MERGE INTO ${t} t USING ${source} AS s (id, tenant_id, data) ON t.id = s.id ${clauses.join(' ')}`;
    }
  }
}
