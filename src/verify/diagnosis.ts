import { cascadeTargets, type DomainGraph } from '../model/domain-graph.js';
import type { PlannedMessage, PlannedStatement } from '../model/plan.js';
import type { PropertySpec } from '../model/properties.js';
import { pairKey, splitPair } from '../model/versions.js';
import { type Statement, tenantOf } from '../model/workload.js';
import type { Counterexample, MessageAccount } from './counterexample.js';
import type { SplitReplay } from './experiment.js';
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
  /** The counterexample sent again split up (experiment.ts): what tells one dedup key from another. */
  replays?: SplitReplay[] | null;
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
  if (v.kind === 'MISSED') return missedByExperiment(v, cx, ctx);
  const message = cx.messages[v.message];
  if (!message || v.tenant === undefined || v.domain === undefined) return 'unknown';
  return extraCause(pairKey(v.tenant, v.domain), message, ctx.graph);
}

/**
 * A MISSED bump, from the replays split up: the one that makes it disappear tells the key the
 * design dedups on (the clock, the message, the transaction); when none does, a statement misses on
 * its own, and what it is and which pairs it missed tell the rest. No replay that repeats the
 * failure: no known class.
 */
function missedByExperiment(v: Violation, cx: Counterexample, ctx: DiagnosisContext): DiagnosisClass {
  const replays = ctx.replays ?? [];
  const split = (s: SplitReplay['split']) => replays.find((r) => r.split === s);
  const paced = split('paced');
  if (ctx.property.timing.kind === 'back-to-back') {
    if (!paced) return 'unknown';
    return paced.reproduced ? missedAlone(paced.violations, paced.messages, ctx.graph) : 'clock-key';
  }
  const [asRun, messages, transactions] = [split('as-run'), split('messages'), split('transactions')];
  // Not split (one statement, COPY, a rolled-back savepoint): what the statement is tells, unless
  // another statement of its message or transaction owed the pair too (then the key may be shared).
  if (!asRun || !messages || !transactions)
    return sharing(v, cx.messages) < 2 ? missedAlone(cx.violations, cx.messages, ctx.graph) : 'unknown';
  if (!asRun.reproduced) return 'unknown';
  if (transactions.reproduced) return missedAlone(transactions.violations, transactions.messages, ctx.graph);
  // Split up, every statement bumped: the statements shared a key. Only two statements owing the
  // same pair can share one.
  if (sharing(v, cx.messages) < 2) return 'unknown';
  return messages.reproduced ? 'per-transaction' : 'message-key';
}

/** Statements owing `v`'s pair in its message, and before it since its transaction began. */
function sharing(v: Violation, messages: PlannedMessage[]): number {
  if (v.tenant === undefined || v.domain === undefined) return 0;
  const pair = pairKey(v.tenant, v.domain);
  let n = 0;
  for (let i = v.message; i >= 0; i--) {
    const m = messages[i];
    if (!m) break;
    n += requiring(m, pair).length;
    if (!m.inTransaction) break;
  }
  return n;
}

/** The first MISSED bump of a run whose failing message has one statement owing it, by what that statement is. */
function missedAlone(
  violations: Violation[],
  messages: PlannedMessage[],
  graph: DomainGraph,
): DiagnosisClass {
  const v = violations.find((x) => x.kind === 'MISSED');
  const message = v && messages[v.message];
  if (!v || !message || v.tenant === undefined || v.domain === undefined) return 'unknown';
  const pair = pairKey(v.tenant, v.domain);
  const sts = requiring(message, pair);
  const [st] = sts;
  if (!st || sts.length > 1) return 'unknown';
  const missed = new Set(
    violations
      .filter((x) => x.kind === 'MISSED' && x.message === v.message)
      .map((x) => pairKey(x.tenant ?? '', x.domain ?? '')),
  );
  return statementMissed(pair, st, missed, graph);
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

/**
 * Why one statement missed `pair`: TRUNCATE; a row moved away from the missed tenant while the
 * tenants it moved to were bumped; or a cascade target missed while the touched domain was not.
 */
function statementMissed(
  pair: string,
  st: PlannedStatement,
  missed: Set<string>,
  graph: DomainGraph,
): DiagnosisClass {
  const { tenant, domain } = splitPair(pair);
  // A writable CTE is judged by its part on the missed domain, as a statement of its own would be.
  const parts = st.write.kind === 'cte' ? st.write.parts : [st.write];
  // The part's own domain, or one its writes cascade to: the pair it had to bump.
  const reaches = (d: string) => d === domain || cascadeTargets(graph, d).includes(domain);
  for (const w of parts) {
    if (w.kind === 'truncate' && w.domains.some(reaches)) return 'truncate-ignored';
    if (!('domain' in w) || !reaches(w.domain)) continue;
    const to = newTenants(w);
    // The old tenant: touched by the statement, not one its rows moved to; and the new ones bumped.
    const old =
      to !== null &&
      !to.has(tenant) &&
      st.touched.some((k) => splitPair(k).tenant === tenant) &&
      ![...missed].some((k) => to.has(splitPair(k).tenant));
    if (old) return 'old-tenant';
  }
  if (st.touched.includes(pair)) return 'unknown';
  // A cascade class only where the pairs the statement touched, whose targets were missed, were bumped.
  const sources = st.touched.filter(
    (k) => splitPair(k).tenant === tenant && cascadeTargets(graph, splitPair(k).domain).includes(domain),
  );
  if (sources.length === 0 || sources.some((k) => missed.has(k))) return 'unknown';
  if (st.write.kind === 'cte') return 'cte-order';
  const direct = sources.some((k) =>
    graph.cascade.some(([s, t]) => splitPair(k).domain === s && t === domain),
  );
  return graph.transitive && !direct ? 'one-level-cascade' : 'missing-cascade-edge';
}

/**
 * The tenants a write that moves rows leaves them in, when every row it changes ends in one of them
 * (so that another tenant it touched can only have lost a row); null for writes that do not move rows.
 */
function newTenants(w: Statement): Set<string> | null {
  if (w.kind === 'update' && w.moveTo !== undefined) return new Set([tenantOf(w.moveTo)]);
  if (w.kind === 'upsert') return new Set(w.rows.map((r) => tenantOf(r.tenant)));
  if (w.kind === 'merge' && w.matched === 'update') return new Set(w.rows.map((r) => tenantOf(r.tenant)));
  return null;
}
