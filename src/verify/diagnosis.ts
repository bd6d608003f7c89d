import { cascadeTargets, type DomainGraph } from '../model/domain-graph.js';
import type { PlannedMessage, PlannedStatement } from '../model/plan.js';
import type { PropertySpec } from '../model/properties.js';
import { pairKey, splitPair } from '../model/versions.js';
import { tenantOf } from '../model/workload.js';
import type { Counterexample, MessageAccount } from './counterexample.js';
import type { Violation } from './verdict.js';

/**
 * The known ways a design breaks the promise, each with its entry in docs/defects.md or
 * docs/coherence.md. `unknown`: no known pattern matches; the account of what fired is all there is.
 */
export type DiagnosisClass =
  | 'per-row'
  | 'per-trigger'
  | 'message-key'
  | 'clock-key'
  | 'per-transaction'
  | 'old-tenant'
  | 'truncate-ignored'
  | 'missing-cascade-edge'
  | 'extra-cascade-edge'
  | 'one-level-cascade'
  | 'cte-order'
  | 'read-path'
  | 'missed-bumps-read'
  | 'tenant-leak'
  | 'design-error'
  | 'unknown';

/** What failed, as a user acts on it: the triggers, the read path, the design raising, or unknown. */
export type Culprit = 'triggers' | 'read path' | 'design error';

/** Why a counterexample broke the promise, as far as a known pattern says. */
export interface Diagnosis {
  class: DiagnosisClass;
  culprit: Culprit;
  /** The violation the diagnosis explains. */
  violation: Violation;
}

/** What the diagnosis needs besides the counterexample. */
export interface DiagnosisContext {
  property: PropertySpec;
  graph: DomainGraph;
  readPath: 'base' | 'design';
  account: MessageAccount[] | null;
}

const culpritOf = (c: DiagnosisClass): Culprit =>
  c === 'design-error' ? 'design error' : c === 'read-path' ? 'read path' : 'triggers';

/** Diagnoses the first violation of a counterexample. */
export function diagnose(cx: Counterexample, ctx: DiagnosisContext): Diagnosis | null {
  const v = cx.violations[0];
  if (!v) return null;
  const cls = classify(v, cx, ctx);
  return { class: cls, culprit: culpritOf(cls), violation: v };
}

function classify(v: Violation, cx: Counterexample, ctx: DiagnosisContext): DiagnosisClass {
  if (v.kind === 'ERROR') return 'design-error';
  if (v.kind === 'LEAK') return 'tenant-leak';
  if (v.kind === 'STALE') return staleCause(v, ctx);
  if (ctx.property.timing.kind === 'back-to-back') return 'clock-key';
  const message = cx.messages[v.message];
  if (!message || v.tenant === undefined || v.domain === undefined) return 'unknown';
  const pair = pairKey(v.tenant, v.domain);
  return v.kind === 'EXTRA' ? extraCause(pair, message, ctx.graph) : missedCause(pair, v, cx, ctx.graph);
}

/** A stale read after correct bumps is the read path's; after missed ones, the triggers'. */
function staleCause(v: Violation, ctx: DiagnosisContext): DiagnosisClass {
  const upTo = (ctx.account ?? []).filter((a) => a.message < v.message);
  if (upTo.some((a) => a.bumps.some((b) => b.observed < b.expected))) return 'missed-bumps-read';
  return ctx.account ? 'read-path' : 'unknown';
}

function requiring(message: PlannedMessage, pair: string): PlannedStatement[] {
  return message.statements.filter((s) => s.bumps.includes(pair));
}

function extraCause(pair: string, message: PlannedMessage, graph: DomainGraph): DiagnosisClass {
  const sts = requiring(message, pair);
  // A cascade edge the graph lacks bumps a domain of a tenant the message wrote; a bump for a
  // tenant no row of it reached (an ON CONFLICT DO NOTHING row bumped before it was skipped) is not one.
  const { tenant } = splitPair(pair);
  const wrote = message.statements.some((s) => s.touched.some((k) => splitPair(k).tenant === tenant));
  if (sts.length === 0) return wrote ? 'extra-cascade-edge' : 'unknown';
  for (const st of sts) {
    if (st.write.kind === 'upsert' || st.write.kind === 'cte') return 'per-trigger';
    const sources = new Set(st.touched.map((k) => splitPair(k).domain));
    const { domain } = splitPair(pair);
    const sharing = [...sources].filter((d) => cascadeTargets(graph, d).includes(domain));
    if (sharing.length + (sources.has(domain) ? 1 : 0) > 1) return 'per-trigger';
  }
  return 'per-row';
}

function missedCause(pair: string, v: Violation, cx: Counterexample, graph: DomainGraph): DiagnosisClass {
  const message = cx.messages[v.message] as PlannedMessage;
  const sts = requiring(message, pair);
  if (sts.length > 1) return 'message-key';
  if (message.inTransaction && bumpedEarlierInTransaction(cx.messages, v.message, pair))
    return 'per-transaction';
  const st = sts[0];
  if (!st) return 'unknown';
  const { tenant, domain } = splitPair(pair);
  // A writable CTE is judged by its part on the missed domain, as a statement of its own would be.
  const parts = st.write.kind === 'cte' ? st.write.parts : [st.write];
  // The part's own domain, or one its writes cascade to: the pair it had to bump.
  const reaches = (d: string) => d === domain || cascadeTargets(graph, d).includes(domain);
  for (const w of parts) {
    if (w.kind === 'truncate' && w.domains.some(reaches)) return 'truncate-ignored';
    if (w.kind === 'update' && reaches(w.domain) && w.moveTo !== undefined && tenant !== tenantOf(w.moveTo))
      return 'old-tenant';
    if (w.kind === 'upsert' && reaches(w.domain) && !w.rows.some((r) => tenantOf(r.tenant) === tenant))
      return 'old-tenant';
  }
  if (st.touched.includes(pair)) return 'unknown';
  if (st.write.kind === 'cte') return 'cte-order';
  const direct = st.touched.some((k) =>
    graph.cascade.some(([s, t]) => splitPair(k).domain === s && t === domain),
  );
  return graph.transitive && !direct ? 'one-level-cascade' : 'missing-cascade-edge';
}

/** Whether a statement since the transaction's BEGIN already had to bump `pair`. */
function bumpedEarlierInTransaction(messages: PlannedMessage[], at: number, pair: string): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m?.inTransaction) return false;
    if (m.statements.some((s) => s.bumps.includes(pair))) return true;
  }
  return false;
}
