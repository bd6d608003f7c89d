import fc from 'fast-check';
import { propertyWorkloads } from '../model/arbitraries.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { planWorkload } from '../model/model.js';
import type { Plan } from '../model/plan.js';
import { findProperty, type PropertySpec } from '../model/properties.js';
import { transactionSql } from '../model/sql/statements.js';
import { type PairKey, splitPair } from '../model/versions.js';
import { type Statement, tenantOf, type Workload } from '../model/workload.js';

// A regression suite for a design that holds: a few workloads per property that a reviewer can read
// and pg_prove runs in seconds. They are picked among the workloads the check itself drew (the same
// seed gives the same suite) for what they exercise, the features below, so that together they
// cover what the property's runs covered; then each is shrunk by fast-check to the smallest workload
// that still has every feature it was picked for. No database is needed: features come from the
// reference model's plan.

/** One workload of the suite: where the check drew it, and what it exercises. */
export interface RegressionWorkload {
  property: string;
  /** The run index of the check it was drawn at, before shrinking. */
  run: number;
  workload: Workload;
  features: string[];
}

/** Workloads picked per property at most. */
export const WORKLOADS_PER_PROPERTY = 2;
/** Runs of the check looked at per property, at most. */
const CANDIDATES = 100;

/** The tenants a statement names in its rows (an ON CONFLICT row may name one it never reaches). */
function namedTenants(s: Statement): number[] {
  switch (s.kind) {
    case 'insert':
      return s.tenants;
    case 'upsert':
    case 'insertIgnore':
    case 'merge':
    case 'insertChild':
      return s.rows.map((r) => r.tenant);
    default:
      return [];
  }
}

/**
 * What a workload exercises: each statement kind, and for each whether it cascades, touches several
 * tenants or domains, touches nothing, fails, names a tenant it does not reach, writes several rows
 * of one tenant; messages and transactions whose statements bump one pair more than once; rollbacks;
 * cached reads after a bump of what they read.
 */
export function workloadFeatures(plan: Plan, graph: DomainGraph): Set<string> {
  const out = new Set<string>();
  const bumped = new Set<string>();
  let transaction: Map<PairKey, number> | null = null;
  const count = (m: Map<PairKey, number>, k: PairKey) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const m of plan.messages) {
    if (m.sql === transactionSql.begin) transaction = new Map();
    const inMessage = new Map<PairKey, number>();
    for (const s of m.statements) {
      const k = s.write.kind === 'base' ? `base-${s.write.sync}` : s.write.kind;
      out.add(k);
      if (s.fails) out.add(`${k}: fails`);
      if (s.bumps.length === 0) out.add(`${k}: bumps nothing`);
      if (s.bumps.length > s.touched.length) out.add(`${k}: cascades`);
      const tenants = new Set(s.touched.map((p) => splitPair(p).tenant));
      if (tenants.size > 1) out.add(`${k}: several tenants`);
      if (new Set(s.touched.map((p) => splitPair(p).domain)).size > 1) out.add(`${k}: several domains`);
      const named = namedTenants(s.write);
      if (new Set(named).size < named.length) out.add(`${k}: several rows of a tenant`);
      if (s.touched.length > 0 && named.some((t) => !tenants.has(tenantOf(t))))
        out.add(`${k}: names a tenant it does not reach`);
      if (s.write.kind === 'read') {
        const name = s.write.read;
        const read = (graph.reads ?? []).find((r) => r.name === name);
        if (read?.tables.some((d) => bumped.has(d))) out.add('read after a bump of its tables');
      }
      for (const p of s.bumps) {
        count(inMessage, p);
        if (transaction) count(transaction, p);
        bumped.add(splitPair(p).domain);
      }
    }
    if ([...inMessage.values()].some((n) => n > 1))
      out.add(`one message bumping a pair twice (${messageKind(m.sql)})`);
    if (transaction && [...transaction.values()].some((n) => n > 1))
      out.add('one transaction bumping a pair twice');
    if (m.undoes?.length) out.add(m.sql.startsWith('ROLLBACK TO') ? 'rollback to savepoint' : 'rollback');
    if (m.sql === transactionSql.end('commit') || m.sql === transactionSql.end('rollback'))
      transaction = null;
  }
  return out;
}

function messageKind(sql: string): string {
  const head = sql.trimStart();
  if (head.startsWith('DO')) return 'DO block';
  if (head.startsWith('CREATE')) return 'function';
  if (head.startsWith('PREPARE')) return 'prepared';
  return 'message';
}

const covers = (have: Set<string>, want: string[]) => want.every((f) => have.has(f));

/**
 * The suite's workloads for one property: among the first runs the check drew with `seed`, greedily
 * the one adding the most features not yet covered (fewer statements first on a tie), up to
 * {@link WORKLOADS_PER_PROPERTY}; each shrunk keeping its features.
 */
export function regressionWorkloads(
  property: PropertySpec,
  graph: DomainGraph,
  seed: number,
  runs: number,
): RegressionWorkload[] {
  const arbitrary = propertyWorkloads(property, graph);
  const numRuns = Math.min(runs, CANDIDATES);
  const featuresOf = (w: Workload) => workloadFeatures(planWorkload(graph, w), graph);
  const drawn = fc.sample(arbitrary, { seed, numRuns }).map((workload, run) => ({
    run,
    features: featuresOf(workload),
    size: planWorkload(graph, workload).messages.reduce((n, m) => n + m.statements.length, 0),
  }));
  const covered = new Set<string>();
  const picked: RegressionWorkload[] = [];
  while (picked.length < WORKLOADS_PER_PROPERTY) {
    const gain = (d: (typeof drawn)[number]) => [...d.features].filter((f) => !covered.has(f)).length;
    const best = drawn.reduce<(typeof drawn)[number] | null>(
      (b, d) =>
        gain(d) > 0 && (!b || gain(d) > gain(b) || (gain(d) === gain(b) && d.size < b.size)) ? d : b,
      null,
    );
    if (!best) break;
    const want = [...best.features].sort();
    for (const f of want) covered.add(f);
    // fast-check replays run `best.run` (it fails: it has its features) and shrinks it.
    const details = fc.check(
      fc.property(arbitrary, (w) => !covers(featuresOf(w), want)),
      { seed, numRuns, path: String(best.run) },
    );
    const workload = details.counterexample?.[0];
    if (!workload) throw new Error(`run ${best.run} of ${property.name} did not replay`);
    picked.push({ property: property.name, run: best.run, workload, features: want });
  }
  return picked;
}

/** The suite of a check that held: the workloads of every property it checked, in its order. */
export function regressionSuite(
  report: { seed: number; runs: number; properties: { name: string }[] },
  graph: DomainGraph,
): RegressionWorkload[] {
  return report.properties.flatMap((p) =>
    regressionWorkloads(findProperty(p.name), graph, report.seed, report.runs),
  );
}
