import type { DomainGraph } from '../model/domain-graph.js';
import { planWorkload } from '../model/model.js';
import type { PlannedMessage } from '../model/plan.js';
import type { PropertySpec } from '../model/properties.js';
import type { Statement, Step, Workload } from '../model/workload.js';
import type { RunStrategy } from './run-strategy.js';
import type { Simulator } from './simulator.js';
import type { Violation } from './verdict.js';

/**
 * How a counterexample was sent again to find out what its design keys its dedup on. The failing
 * step (a message of several statements, a DO block, a base write synced per row, a transaction up
 * to the failing statement) is sent:
 * - `as-run`: as the run sent it (does the failure repeat at all?);
 * - `messages`: its statements each in its own message, paced, inside one transaction;
 * - `transactions`: its statements each in its own message and transaction (autocommit), paced;
 * - `paced`: (back-to-back counterexamples) the whole workload with a pause between messages.
 * A dedup keyed on the client message (or its statement_timestamp()) holds from `messages` on; one
 * keyed on the transaction only from `transactions`; one keyed on the clock only once `paced`.
 */
export type Split = 'as-run' | 'messages' | 'transactions' | 'paced';

/** One replay of a counterexample, split as {@link Split} says, and what it found. */
export interface SplitReplay {
  split: Split;
  /** A MISSED bump showed again. */
  reproduced: boolean;
  /** The messages it was planned as, and the violations at the first one that broke the promise. */
  messages: PlannedMessage[];
  violations: Violation[];
}

/** Longest step split into single statements: a shrunk counterexample is far shorter. */
const MOST_UNITS = 64;

/** The statements of one write as separate statements: a base write synced per row becomes one per row. */
function unitsOfWrite(w: Statement): Statement[] {
  if (w.kind === 'base' && w.op.kind === 'insert' && w.op.tenants.length > 1)
    return w.op.tenants.map((t) => ({ ...w, op: { kind: 'insert', tenants: [t] } }));
  return [w];
}

/** The statements of a step, each one a statement of its own; null when it has no two. */
function unitsOf(step: Step): Statement[] | null {
  const writes: Statement[] =
    step.kind === 'statement'
      ? [step.write]
      : step.kind === 'loop'
        ? Array.from({ length: step.times }, () => ({
            kind: 'insert' as const,
            domain: step.domain,
            tenants: [step.tenant],
          }))
        : step.kind === 'copy' || step.kind === 'transaction'
          ? []
          : step.writes;
  const units = writes.flatMap(unitsOfWrite);
  return units.length < 2 || units.length > MOST_UNITS ? null : units;
}

/**
 * The failing step of a workload (cut at the failing statement inside a transaction), and what came
 * before: `step` as it was sent, `messages` its statements as messages of one transaction, `units`
 * its statements one by one.
 */
export interface Scope {
  prefix: Workload;
  step: Step;
  messages: Step;
  units: Statement[];
}

/** Where message `at` of the workload's plan comes from, with its statements as units; null if it cannot be split. */
export function scopeOf(graph: DomainGraph, workload: Workload, at: number): Scope | null {
  let sent = 0;
  for (let k = 0; k < workload.length; k++) {
    const step = workload[k] as Step;
    const until = planWorkload(graph, workload.slice(0, k + 1)).messages.length;
    if (at >= until) {
      sent = until;
      continue;
    }
    const prefix = workload.slice(0, k);
    if (step.kind !== 'transaction') {
      const units = unitsOf(step);
      if (!units) return null;
      return { prefix, step, messages: { kind: 'transaction', items: units, end: 'commit' }, units };
    }
    return transactionScope(prefix, step, at - sent);
  }
  return null;
}

/**
 * A transaction cut at its message `at` (BEGIN is 0; a savepoint is its SAVEPOINT, its statements
 * and its RELEASE or ROLLBACK TO). Sent one by one, a savepoint rolled back before `at` is as if
 * never sent; one still open at `at` counts as far as it went.
 */
function transactionScope(
  prefix: Workload,
  step: Extract<Step, { kind: 'transaction' }>,
  at: number,
): Scope | null {
  const units: Statement[] = [];
  let position = 1;
  for (let i = 0; i < step.items.length; i++) {
    const item = step.items[i] as (typeof step.items)[number];
    const size = item.kind === 'savepoint' ? item.writes.length + 2 : 1;
    const failing = at < position + size;
    if (item.kind !== 'savepoint') units.push(item);
    else if (failing) units.push(...item.writes.slice(0, Math.max(0, at - position)));
    else if (item.end === 'release') units.push(...item.writes);
    position += size;
    if (!failing) continue;
    const cut: Step = { ...step, items: step.items.slice(0, i + 1) };
    return units.length > 0 && units.length <= MOST_UNITS
      ? { prefix, step: cut, messages: cut, units }
      : null;
  }
  return null;
}

/** The workload with the failing step sent as `split` says. */
function splitWorkload(scope: Scope, split: Exclude<Split, 'paced'>): Workload {
  if (split === 'as-run') return [...scope.prefix, scope.step];
  if (split === 'messages') return [...scope.prefix, scope.messages];
  return [...scope.prefix, ...scope.units.map((write): Step => ({ kind: 'statement', write }))];
}

async function replay(
  sim: Simulator,
  workload: Workload,
  split: Split,
  strategy: RunStrategy,
  attempts = 1,
): Promise<SplitReplay> {
  const plan = planWorkload(sim.graph, workload);
  let violations: Violation[] = [];
  let messagesRun = 0;
  for (let i = 0; i < attempts && !violations.some((v) => v.kind === 'MISSED'); i++) {
    await sim.reset();
    const verdict = await sim.runPlan(plan, strategy);
    ({ violations, messagesRun } = verdict);
  }
  // A run stopped inside a transaction leaves it open; the next reset must not meet it.
  await sim.db.exec('ROLLBACK').catch(() => {});
  return {
    split,
    reproduced: violations.some((v) => v.kind === 'MISSED'),
    messages: plan.messages.slice(0, messagesRun),
    violations,
  };
}

/**
 * Replays a MISSED counterexample split in the ways {@link Split} lists, each from a fresh reset of
 * `sim`; none for other violations or a step that cannot be split (one statement, COPY).
 */
export async function splitReplays(
  sim: Simulator,
  cx: { workload: Workload; violations: Violation[]; source: { pauseMs: number } },
  property: PropertySpec,
): Promise<SplitReplay[]> {
  const v = cx.violations.find((x) => x.kind === 'MISSED');
  if (!v) return [];
  if (property.timing.kind === 'back-to-back')
    return [
      await replay(sim, cx.workload, 'as-run', property.timing, property.attempts),
      await replay(sim, cx.workload, 'paced', { kind: 'paused', pauseMs: 1 }),
    ];
  const scope = scopeOf(sim.graph, cx.workload, v.message);
  if (!scope) return [];
  const strategy: RunStrategy = {
    kind: 'paused',
    pauseMs: Math.max(1, cx.source.pauseMs),
    judge: property.judge,
  };
  const out: SplitReplay[] = [];
  for (const split of ['as-run', 'messages', 'transactions'] as const)
    out.push(await replay(sim, splitWorkload(scope, split), split, strategy));
  return out;
}
