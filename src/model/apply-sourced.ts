import type { Domain } from './domain-graph.js';
import { type LinkedRows, removeRow } from './foreign-keys.js';
import type { ResolvedStatement, RowValue } from './sql/statements.js';
import { type PairKey, pairKey } from './versions.js';
import { matches, type SourceRow, tenantOf, type Write } from './workload.js';

/**
 * Statements whose rows come from somewhere else than a plain VALUES list or predicate: another
 * tv_ table (INSERT ... SELECT, UPDATE ... FROM, DELETE ... USING) or a VALUES list that may meet
 * existing rows (ON CONFLICT DO NOTHING, MERGE). What each touches, by the specification.
 */

/** What these statements need of the reference model (a part of apply-statement's ModelRows). */
export interface SourcedRows extends LinkedRows {
  readonly scope?: { from: number; to: number } | undefined;
}

/**
 * The rows of a VALUES list that may meet existing rows: each picks a current row by position, or
 * takes a fresh id. One statement can act on a row only once (ON CONFLICT DO UPDATE and MERGE raise
 * otherwise), so a repeated pick takes a fresh id instead. `old` is the row's tenant before, if any.
 */
export function pickRows(m: SourcedRows, domain: Domain, rows: SourceRow[]): (RowValue & { old?: string })[] {
  const t = m.table(domain);
  const existing = [...t.keys()].sort((a, b) => a - b);
  const used = new Set<number>();
  return rows.map((r) => {
    const picked =
      r.existing !== null && existing.length > 0 ? existing[r.existing % existing.length] : undefined;
    const id = picked !== undefined && !used.has(picked) ? picked : m.freshId(domain);
    used.add(id);
    const old = t.get(id);
    return { id, tenant: tenantOf(r.tenant), n: m.nextData(), ...(old !== undefined ? { old } : {}) };
  });
}

type Sourced = Extract<
  Write,
  { kind: 'insertSelect' | 'updateFrom' | 'deleteUsing' | 'insertIgnore' | 'merge' }
>;

/** Applies one sourced statement to the model's rows: its resolved form and the pairs it touched. */
export function applySourced(
  m: SourcedRows,
  w: Sourced,
): { resolved: ResolvedStatement; touched: Set<PairKey> } {
  const touched = new Set<PairKey>();
  const touch = (tenant: string) => touched.add(pairKey(tenant, w.domain));
  const t = m.table(w.domain);
  const scope = m.scope ? { scope: m.scope } : {};
  const returning = Boolean('returning' in w && w.returning);
  switch (w.kind) {
    case 'insertSelect': {
      // Rows are copied in source id order, numbered from the first fresh id (row_number() in the SQL).
      const source = [...m.table(w.from)]
        .filter(([id, tenant]) => matches(w.where, id, tenant))
        .sort(([a], [b]) => a - b);
      const ids = source.map(() => m.freshId(w.domain));
      const firstId = ids[0] ?? 0;
      source.forEach(([, tenant], i) => {
        t.set(ids[i] as number, tenant);
        touch(tenant);
      });
      return {
        resolved: {
          kind: 'insertSelect',
          domain: w.domain,
          from: w.from,
          where: w.where,
          ...scope,
          firstId,
          returning,
        },
        touched,
      };
    }
    case 'updateFrom':
    case 'deleteUsing': {
      const source = m.table(w.from);
      for (const [id, tenant] of [...t]) {
        const s = source.get(id);
        if (s === undefined || !matches(w.where, id, s)) continue;
        touch(tenant);
        if (w.kind === 'deleteUsing') removeRow(m, w.domain, id, touched);
        else if (w.takeTenant) {
          touch(s);
          t.set(id, s);
        }
      }
      if (w.kind === 'deleteUsing')
        return {
          resolved: {
            kind: 'deleteUsing',
            domain: w.domain,
            from: w.from,
            where: w.where,
            ...scope,
            returning,
          },
          touched,
        };
      const resolved: ResolvedStatement = {
        kind: 'updateFrom',
        domain: w.domain,
        from: w.from,
        where: w.where,
        ...scope,
        n: m.nextData(),
        takeTenant: Boolean(w.takeTenant),
        returning,
      };
      return { resolved, touched };
    }
    case 'insertIgnore': {
      const rows = pickRows(m, w.domain, w.rows);
      for (const r of rows) {
        if (r.old !== undefined) continue;
        t.set(r.id, r.tenant);
        touch(r.tenant);
      }
      return { resolved: { kind: 'insertIgnore', domain: w.domain, rows, returning }, touched };
    }
    case 'merge': {
      const rows = pickRows(m, w.domain, w.rows);
      for (const r of rows) {
        if (r.old === undefined) {
          if (!w.insert) continue;
          t.set(r.id, r.tenant);
          touch(r.tenant);
        } else if (w.matched === 'update' || (w.matched === 'updateSameTenant' && r.old === r.tenant)) {
          touch(r.old);
          touch(r.tenant);
          t.set(r.id, r.tenant);
        } else if (w.matched !== null) {
          removeRow(m, w.domain, r.id, touched);
        }
      }
      return {
        resolved: { kind: 'merge', domain: w.domain, rows, matched: w.matched, insert: w.insert },
        touched,
      };
    }
  }
}
