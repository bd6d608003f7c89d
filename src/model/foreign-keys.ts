import type { Domain, DomainGraph, ForeignKey } from './domain-graph.js';
import type { ResolvedStatement } from './sql/statements.js';
import { type PairKey, pairKey } from './versions.js';
import { matches, tenantOf, type Write } from './workload.js';

/**
 * Foreign keys between tv_ tables, ON DELETE CASCADE and ON UPDATE CASCADE. PostgreSQL runs the
 * cascade from AFTER ROW triggers of the statement that deletes or renumbers parent rows, as queries
 * nested inside it; by the specification they are part of that statement: the child rows they
 * delete or update add their pairs to its pairs, bumped once with them. The model records which
 * parent rows a statement removed or renumbered and settles the cascade when the statement ends, as
 * PostgreSQL does (so a writable CTE's other parts see the rows as they were).
 */

/** The name of a foreign key, `table.column`, as a workload refers to it. */
export function foreignKeyName(k: ForeignKey): string {
  return `${k.table}.${k.column}`;
}

/** What the cascade needs of the reference model. */
export interface LinkedRows {
  readonly graph: DomainGraph;
  table(domain: Domain): Map<number, string>;
  /** Child id -> parent id, of one foreign key. */
  links(foreignKey: string): Map<number, number>;
  /** Parent rows removed or renumbered by the current statement, not yet followed. */
  readonly pending: { removed: [Domain, number][]; rekeyed: [Domain, number, number][] };
  freshId(domain: Domain): number;
  reserveIds(domain: Domain, above: number): void;
  nextData(): number;
}

const referencing = (m: LinkedRows, domain: Domain) =>
  (m.graph.foreignKeys ?? []).filter((k) => k.references === domain);

/** Removes one row, noting it for the cascade; its own pair joins `touched`. */
export function removeRow(m: LinkedRows, domain: Domain, id: number, touched: Set<PairKey>): void {
  const t = m.table(domain);
  const tenant = t.get(id);
  if (tenant === undefined) return;
  t.delete(id);
  touched.add(pairKey(tenant, domain));
  for (const k of m.graph.foreignKeys ?? []) if (k.table === domain) m.links(foreignKeyName(k)).delete(id);
  m.pending.removed.push([domain, id]);
}

/** Follows the foreign keys of every parent row the statement removed or renumbered, into `touched`. */
export function settleCascade(m: LinkedRows, touched: Set<PairKey>): void {
  for (let r = m.pending.rekeyed.shift(); r; r = m.pending.rekeyed.shift()) {
    const [domain, from, to] = r;
    for (const k of referencing(m, domain)) {
      const links = m.links(foreignKeyName(k));
      for (const [child, parent] of links) {
        if (parent !== from) continue;
        links.set(child, to);
        const tenant = m.table(k.table).get(child);
        if (tenant !== undefined) touched.add(pairKey(tenant, k.table));
      }
    }
  }
  for (let r = m.pending.removed.shift(); r; r = m.pending.removed.shift()) {
    const [domain, id] = r;
    for (const k of referencing(m, domain)) {
      for (const [child, parent] of [...m.links(foreignKeyName(k))]) {
        if (parent === id) removeRow(m, k.table, child, touched);
      }
    }
  }
}

type Linked = Extract<Write, { kind: 'insertChild' | 'rekey' }>;

/** Applies an INSERT of child rows or a renumbering of rows: resolved, with the pairs it touched itself. */
export function applyLinked(
  m: LinkedRows,
  w: Linked,
): { resolved: ResolvedStatement; touched: Set<PairKey> } {
  const touched = new Set<PairKey>();
  if (w.kind === 'rekey') {
    const t = m.table(w.domain);
    // Shifting every matched id past the domain's next id gives fresh ids, never meeting a row.
    const shift = m.freshId(w.domain);
    const matched = [...t].filter(([id, tenant]) => matches(w.where, id, tenant));
    for (const [id] of matched) t.delete(id);
    for (const [id, tenant] of matched) {
      t.set(id + shift, tenant);
      touched.add(pairKey(tenant, w.domain));
      m.pending.rekeyed.push([w.domain, id, id + shift]);
      for (const k of m.graph.foreignKeys ?? []) {
        const links = m.links(foreignKeyName(k));
        const parent = k.table === w.domain ? links.get(id) : undefined;
        if (parent === undefined) continue;
        links.delete(id);
        links.set(id + shift, parent);
      }
    }
    m.reserveIds(w.domain, Math.max(shift, ...matched.map(([id]) => id + shift)));
    return { resolved: { kind: 'rekey', domain: w.domain, where: w.where, shift }, touched };
  }
  const key = (m.graph.foreignKeys ?? []).find((k) => foreignKeyName(k) === w.foreignKey);
  if (!key) throw new Error(`foreign key ${w.foreignKey} is not in the graph`);
  const parents = [...m.table(key.references).keys()].sort((a, b) => a - b);
  const t = m.table(key.table);
  const links = m.links(w.foreignKey);
  const rows = w.rows.map((r) => {
    const parent = parents.length > 0 ? (parents[r.parent % parents.length] as number) : null;
    const row = { id: m.freshId(key.table), tenant: tenantOf(r.tenant), n: m.nextData(), parent };
    t.set(row.id, row.tenant);
    if (parent !== null) links.set(row.id, parent);
    touched.add(pairKey(row.tenant, key.table));
    return row;
  });
  return { resolved: { kind: 'insertChild', domain: key.table, column: key.column, rows }, touched };
}
