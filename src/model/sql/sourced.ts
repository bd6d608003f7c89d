import type { Domain } from '../domain-graph.js';
import type { MergeMatched, Predicate } from '../workload.js';
import {
  emptyInsert,
  type IdScope,
  insertInto,
  type RowValue,
  rowValues,
  setData,
  sqlLiteral,
  values,
  whereSql,
} from './literals.js';
import {
  columnNames,
  columnSql,
  insertColumns,
  keyNumber,
  keyValue,
  overriding,
  type Shapes,
  type TableShape,
  templateSql,
} from './table-shape.js';

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
function typedValues(t: TableShape, rows: RowValue[]): string {
  return rows
    .map((r) => {
      const cols = t.columns.map((c) => templateSql(c.text, c.columnType, r.id, r.n));
      return `(${[keyValue(t.key, r.id), `${sqlLiteral(r.tenant)}::${t.tenantType}`, ...cols].join(', ')})`;
    })
    .join(', ');
}

/** What MERGE does to a matched row: the SET list takes the source's tenant and data columns. */
function mergeMatched(t: TableShape, matched: MergeMatched): string {
  const data = t.columns.filter((c) => c.update).map((c) => `${c.column} = s.${c.column}`);
  const set = [`${t.tenant} = s.${t.tenant}`, ...data].join(', ');
  switch (matched) {
    case 'update':
      return `WHEN MATCHED THEN UPDATE SET ${set}`;
    case 'delete':
      return 'WHEN MATCHED THEN DELETE';
    case 'updateSameTenant':
      return `WHEN MATCHED AND t.${t.tenant} = s.${t.tenant} THEN UPDATE SET ${data.length ? data.join(', ') : set} WHEN MATCHED THEN DELETE`;
  }
}

/** The source's tenant as the target's tenant column takes it. */
function tenantFrom(t: TableShape, f: TableShape): string {
  return f.tenantType === t.tenantType ? `s.${f.tenant}` : `s.${f.tenant}::text::${t.tenantType}`;
}

/** The values INSERT ... SELECT writes for source rows `s` numbered by `id` (an expression). */
function selectedValues(t: TableShape, f: TableShape, id: string): string {
  const cols = t.columns.map((c) => {
    const same = f.columns.find((o) => o.column === c.column && o.columnType === c.columnType);
    return c.copy && same?.copy ? `s.${c.column}` : columnSql(c, id, id);
  });
  return [keyValue(t.key, id), tenantFrom(t, f), ...cols].join(', ');
}

/** The SQL of one sourced statement, without its `;`, on the tables `shapes` describes. */
export function sourcedSql(r: SourcedStatement, shapes: Shapes): string {
  const t = shapes(r.domain);
  // RETURNING what an application reads back: the written rows' keys and tenants.
  const ret = (alias: string) =>
    'returning' in r && r.returning ? ` RETURNING ${alias}${t.key.column}, ${alias}${t.tenant}` : '';
  const join = (f: TableShape) => `${keyNumber(t.key, 't.')} = ${keyNumber(f.key, 's.')}`;
  switch (r.kind) {
    case 'insertSelect': {
      const f = shapes(r.from);
      const id = `${r.firstId - 1} + row_number() OVER (ORDER BY ${keyNumber(f.key, 's.')})`;
      return `${insertInto(t)}SELECT ${selectedValues(t, f, id)} FROM ${f.table} s WHERE ${whereSql(f, r.where, r.scope, 's.')}${ret('')}`;
    }
    case 'updateFrom': {
      const f = shapes(r.from);
      const set = setData(t, r.n, 't.', r.takeTenant ? tenantFrom(t, f) : undefined);
      return `UPDATE ${t.table} t SET ${set} FROM ${f.table} s WHERE ${join(f)} AND ${whereSql(f, r.where, r.scope, 's.')}${ret('t.')}`;
    }
    case 'deleteUsing': {
      const f = shapes(r.from);
      return `DELETE FROM ${t.table} t USING ${f.table} s WHERE ${join(f)} AND ${whereSql(f, r.where, r.scope, 's.')}${ret('t.')}`;
    }
    case 'insertIgnore': {
      const insert = r.rows.length === 0 ? emptyInsert(t) : `${insertInto(t)}VALUES ${values(t, r.rows)}`;
      return `${insert} ON CONFLICT (${t.key.column}) DO NOTHING${ret('')}`;
    }
    case 'insertChild': {
      if (r.rows.length === 0) return emptyInsert(t);
      const rows = r.rows.map((c) => `${rowValues(t, c).slice(0, -1)}, ${c.parent ?? 'NULL'})`);
      return `INSERT INTO ${t.table} (${[...columnNames(t), r.column].join(', ')}) ${overriding(t)}VALUES ${rows.join(', ')}`;
    }
    case 'rekey':
      return `UPDATE ${t.table} SET ${t.key.column} = ${keyValue(t.key, `${keyNumber(t.key)} + ${r.shift}`)} WHERE ${whereSql(t, r.where, r.scope)}`;
    case 'merge': {
      const names = columnNames(t);
      const cols = insertColumns(t);
      const source =
        r.rows.length === 0
          ? `(SELECT ${names.join(', ')} FROM ${t.table} WHERE false)`
          : `(VALUES ${typedValues(t, r.rows)})`;
      const insert = `WHEN NOT MATCHED THEN INSERT ${cols} ${overriding(t)}VALUES (${names.map((c) => `s.${c}`).join(', ')})`;
      const clauses = [...(r.matched ? [mergeMatched(t, r.matched)] : []), ...(r.insert ? [insert] : [])];
      return `MERGE INTO ${t.table} t USING ${source} AS s ${cols} ON t.${t.key.column} = s.${t.key.column} ${clauses.join(' ')}`;
    }
  }
}
