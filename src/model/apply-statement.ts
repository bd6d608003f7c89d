import { applySourced, pickRows } from './apply-sourced.js';
import { applyBase } from './base-tables.js';
import { type Domain, referencingClosure } from './domain-graph.js';
import { applyLinked, type LinkedRows, removeRow } from './foreign-keys.js';
import type { IdScope, ResolvedStatement, RowValue } from './sql/statements.js';
import { type PairKey, pairKey } from './versions.js';
import { type BaseSync, matches, type Statement, tenantOf } from './workload.js';

/** What {@link applyStatement} needs of the reference model. */
export interface ModelRows extends LinkedRows {
  readonly scope?: IdScope | undefined;
  baseTable(sync: BaseSync, domain: Domain): Map<number, string>;
}

/**
 * A statement resolved and applied to the rows: what it touched, whether it fails, and for a base
 * write the pairs of each tv_ statement its sync ran (statements of their own, bumping separately).
 */
export interface Applied {
  resolved: ResolvedStatement;
  touched: Set<PairKey>;
  fails: boolean;
  synced?: Set<PairKey>[];
}

/**
 * What one statement does to the rows, by the specification: applies it to the model's tables and
 * returns it resolved (for rendering) with the (tenant, domain) pairs it touched directly. The
 * cascade is added by the model.
 */
export function applyStatement(m: ModelRows, w: Statement): Applied {
  const touched = new Set<PairKey>();
  const scope = m.scope ? { scope: m.scope } : {};
  switch (w.kind) {
    case 'insert': {
      const t = m.table(w.domain);
      const ids = w.tenants.map((r) => ({ id: m.freshId(w.domain), tenant: tenantOf(r) }));
      const rows: RowValue[] = ids.map((r) => ({ ...r, n: m.nextData() }));
      const first = rows[0];
      const fails = Boolean(w.failing) && first !== undefined;
      if (!fails) {
        for (const r of rows) {
          t.set(r.id, r.tenant);
          touched.add(pairKey(r.tenant, w.domain));
        }
      }
      const duplicate = fails && first ? { duplicate: { ...first, n: m.nextData() } } : {};
      return { resolved: { kind: 'insert', domain: w.domain, rows, ...duplicate }, touched, fails };
    }
    case 'update': {
      const t = m.table(w.domain);
      const to = w.moveTo === undefined ? undefined : tenantOf(w.moveTo);
      for (const [id, tenant] of [...t]) {
        if (!matches(w.where, id, tenant)) continue;
        touched.add(pairKey(tenant, w.domain));
        if (to !== undefined) {
          touched.add(pairKey(to, w.domain));
          t.set(id, to);
        }
      }
      const resolved: ResolvedStatement = {
        kind: 'update',
        domain: w.domain,
        where: w.where,
        ...scope,
        n: m.nextData(),
        ...(to !== undefined ? { moveTo: to } : {}),
      };
      return { resolved, touched, fails: false };
    }
    case 'delete': {
      const t = m.table(w.domain);
      for (const [id, tenant] of [...t]) {
        if (!matches(w.where, id, tenant)) continue;
        removeRow(m, w.domain, id, touched);
      }
      return {
        resolved: { kind: 'delete', domain: w.domain, where: w.where, ...scope },
        touched,
        fails: false,
      };
    }
    case 'upsert': {
      const t = m.table(w.domain);
      const rows = pickRows(m, w.domain, w.rows).map(({ old, ...r }) => {
        if (old !== undefined) touched.add(pairKey(old, w.domain));
        touched.add(pairKey(r.tenant, w.domain));
        t.set(r.id, r.tenant);
        return r;
      });
      return { resolved: { kind: 'upsert', domain: w.domain, rows }, touched, fails: false };
    }
    case 'truncate': {
      if (m.scope) throw new Error("TRUNCATE removes every session's rows: not allowed in a scoped model");
      const domains = [...new Set(w.domains)];
      // TRUNCATE of a table others reference needs CASCADE, which empties those tables too.
      const emptied = referencingClosure(m.graph, domains);
      for (const d of emptied) for (const id of [...m.table(d).keys()]) removeRow(m, d, id, touched);
      const cascade = emptied.length > domains.length ? { cascade: true } : {};
      return { resolved: { kind: 'truncate', domains, ...cascade }, touched, fails: false };
    }
    case 'read': {
      const read = m.graph.reads?.find((r) => r.name === w.read);
      if (!read) throw new Error(`read ${w.read} is not in the graph`);
      const resolved: ResolvedStatement = {
        kind: 'read',
        read,
        tenant: tenantOf(w.tenant),
        tenantOnly: Boolean(w.tenantOnly),
      };
      return { resolved, touched, fails: false };
    }
    case 'insertSelect':
    case 'updateFrom':
    case 'deleteUsing':
    case 'insertIgnore':
    case 'merge':
      return { ...applySourced(m, w), fails: false };
    case 'insertChild':
    case 'rekey':
      return { ...applyLinked(m, w), fails: false };
    case 'base': {
      const { resolved, synced } = applyBase(m, w);
      return { resolved, touched, fails: false, synced };
    }
    case 'cte': {
      // Each CTE part sees the statement's snapshot; parts on distinct tables cannot see each
      // other's rows, so resolving them one after the other gives the same rows.
      const seen = new Set<Domain>();
      const parts: ResolvedStatement[] = [];
      for (const p of w.parts) {
        if (p.kind !== 'insert' && p.kind !== 'update' && p.kind !== 'delete') continue;
        if (seen.has(p.domain)) continue;
        seen.add(p.domain);
        const r = applyStatement(m, { ...p, ...(p.kind === 'insert' ? { failing: false } : {}) });
        for (const k of r.touched) touched.add(k);
        parts.push(r.resolved);
      }
      return { resolved: { kind: 'cte', parts }, touched, fails: false };
    }
  }
}
