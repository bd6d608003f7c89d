import fc from 'fast-check';
import { workloadArbitraries } from './arbitraries.js';
import type { DomainGraph } from './domain-graph.js';
import type { Step, Workload, Write } from './workload.js';

/** The workloads of `turbo-sim concurrency`: one per session, each on its own rows. */

/** What kind of concurrent load to run. */
export type ConcurrencyWorkload = 'random' | 'statements' | 'lock-order' | 'cte-order';

/** Every {@link ConcurrencyWorkload}, for option parsing. */
export const CONCURRENCY_WORKLOADS: readonly ConcurrencyWorkload[] = [
  'random',
  'statements',
  'lock-order',
  'cte-order',
];

/** Even sessions write tv_contract, odd ones tv_contract_item: both cascades bump the same version rows. */
export function lockOrderWorkload(session: number, steps: number): Workload {
  const domain = session % 2 === 0 ? 'contract' : 'contract_item';
  return Array.from(
    { length: steps },
    (): Step => ({ kind: 'statement', write: { kind: 'insert', domain, tenants: [0] } }),
  );
}

/** Writable CTEs writing tv_price and tv_machine, even sessions price first, odd ones machine first. */
export function cteOrderWorkload(session: number, steps: number): Workload {
  const price: Write = { kind: 'insert', domain: 'price', tenants: [0] };
  const machine: Write = { kind: 'insert', domain: 'machine', tenants: [0] };
  const parts = session % 2 === 0 ? [price, machine] : [machine, price];
  return Array.from({ length: steps }, (): Step => ({ kind: 'statement', write: { kind: 'cte', parts } }));
}

/** `steps` random steps of one session from `seed`; grouped adds messages and transactions. */
export function randomWorkload(graph: DomainGraph, steps: number, seed: number, grouped: boolean): Workload {
  const a = workloadArbitraries(graph);
  // No TRUNCATE (it would remove other sessions' rows) and no deliberately failing statements.
  const write = fc.oneof(
    { weight: 3, arbitrary: a.insert },
    a.update,
    a.move,
    a.delete,
    a.upsert,
    ...(a.cte ? [a.cte] : []),
  );
  const step = grouped
    ? fc.oneof({ weight: 2, arbitrary: a.statement(write) }, a.transaction(write), a.message(write))
    : a.statement(write);
  const [w] = fc.sample(fc.array(step, { minLength: steps, maxLength: steps }), { numRuns: 1, seed });
  return w ?? [];
}

/** Session `session`'s workload of kind `kind` (random ones from `seed + session`). */
export function sessionWorkload(
  kind: ConcurrencyWorkload,
  graph: DomainGraph,
  session: number,
  steps: number,
  seed: number,
): Workload {
  if (kind === 'lock-order') return lockOrderWorkload(session, steps);
  if (kind === 'cte-order') return cteOrderWorkload(session, steps);
  return randomWorkload(graph, steps, seed + session, kind === 'random');
}
