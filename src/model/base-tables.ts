import type { Domain } from './domain-graph.js';
import { type LinkedRows, removeRow, settleCascade } from './foreign-keys.js';
import type { ResolvedStatement, RowValue } from './sql/statements.js';
import { type PairKey, pairKey } from './versions.js';
import { type BaseSync, matches, tenantOf, type Write } from './workload.js';

/**
 * Base tables: the `tb_` tables an application writes, kept in sync with a tv_ table by a trigger or
 * a function (sql/harness/20-base-tables.sql). A base write touches no tv_ row itself; the tv_
 * statements its sync runs are statements of their own, nested or not: a row-level sync trigger
 * runs one per base row, a statement-level trigger or a mutation function one per base statement
 * (even for no row). Each makes the tv_ rows of its ids equal to the base rows: a row still in the
 * base table is upserted (its old and new tenant touched), a row gone is deleted from tv_.
 */

/** Every sync mechanism, in the order the harness creates their base tables. */
export const BASE_SYNCS: readonly BaseSync[] = ['row', 'statement', 'function'];

/** The base table of a domain synced by `sync`, e.g. `tb_row_price`. */
export function baseTableName(sync: BaseSync, domain: Domain): string {
  return `tb_${sync === 'statement' ? 'stmt' : sync === 'function' ? 'fn' : 'row'}_${domain}`;
}

/** What a base write needs of the reference model. */
export interface BaseRows extends LinkedRows {
  baseTable(sync: BaseSync, domain: Domain): Map<number, string>;
}

type BaseWrite = Extract<Write, { kind: 'base' }>;

/** Applies a base write: the base statement resolved, and the pairs each tv_ statement of its sync touched. */
export function applyBase(
  m: BaseRows,
  w: BaseWrite,
): { resolved: ResolvedStatement; synced: Set<PairKey>[] } {
  const base = m.baseTable(w.sync, w.domain);
  const table = baseTableName(w.sync, w.domain);
  const changed: number[] = [];
  let write: ResolvedStatement;
  const op = w.op;
  if (op.kind === 'insert') {
    // Base ids come from the domain's own sequence, so a synced copy never meets a tv_ row written directly.
    const rows: RowValue[] = op.tenants.map((r) => ({
      id: m.freshId(w.domain),
      tenant: tenantOf(r),
      n: m.nextData(),
    }));
    for (const r of rows) {
      base.set(r.id, r.tenant);
      changed.push(r.id);
    }
    write = { kind: 'insert', domain: w.domain, table, rows };
  } else {
    const to = op.kind === 'update' && op.moveTo !== undefined ? tenantOf(op.moveTo) : undefined;
    for (const [id, tenant] of [...base]) {
      if (!matches(op.where, id, tenant)) continue;
      changed.push(id);
      if (op.kind === 'delete') base.delete(id);
      else if (to !== undefined) base.set(id, to);
    }
    write =
      op.kind === 'delete'
        ? { kind: 'delete', domain: w.domain, table, where: op.where }
        : {
            kind: 'update',
            domain: w.domain,
            table,
            where: op.where,
            n: m.nextData(),
            ...(to ? { moveTo: to } : {}),
          };
  }
  const tv = m.table(w.domain);
  const sync = (ids: number[]): Set<PairKey> => {
    const touched = new Set<PairKey>();
    for (const id of ids) {
      const before = tv.get(id);
      const now = base.get(id);
      if (before !== undefined) touched.add(pairKey(before, w.domain));
      if (now === undefined) removeRow(m, w.domain, id, touched);
      else {
        touched.add(pairKey(now, w.domain));
        tv.set(id, now);
      }
    }
    // Each sync statement is a statement of its own: the cascade of its deletes belongs to it.
    settleCascade(m, touched);
    return touched;
  };
  const synced = w.sync === 'row' ? changed.map((id) => sync([id])) : [sync(changed)];
  return { resolved: { kind: 'base', sync: w.sync, domain: w.domain, write }, synced };
}
