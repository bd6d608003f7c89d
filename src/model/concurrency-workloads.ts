import fc from 'fast-check';
import { workloadArbitraries } from './arbitraries.js';
import type { DomainGraph } from './domain-graph.js';
import type { Step, Workload, Write } from './workload.js';

/** The workloads of `turbo-sim concurrency`: one per session, each on its own rows. */

/** What kind of concurrent load to run. */
export type ConcurrencyWorkload = 'random' | 'statements' | 'cache' | 'lock-order' | 'cte-order';

/** Every {@link ConcurrencyWorkload}, for option parsing. */
export const CONCURRENCY_WORKLOADS: readonly ConcurrencyWorkload[] = [
  'random',
  'statements',
  'cache',
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

/**
 * `steps` random steps of one session from `seed`; grouped adds messages and transactions, and cached
 * reads (each on its own, which the scheduler pauses between build and store, and inside
 * transactions, where they must see the transaction's own writes).
 */
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
  // A graph without cached reads (a --schema's) gives no read to draw.
  const hasReads = (graph.reads ?? []).length > 0;
  const withReads = hasReads ? fc.oneof({ weight: 3, arbitrary: write }, a.read) : write;
  const step = grouped
    ? fc.oneof(
        { weight: 2, arbitrary: a.statement(write) },
        ...(hasReads ? [a.statement(a.read)] : []),
        a.transaction(withReads),
        a.message(withReads),
      )
    : a.statement(write);
  const [w] = fc.sample(fc.array(step, { minLength: steps, maxLength: steps }), { numRuns: 1, seed });
  return w ?? [];
}

/**
 * `steps` steps of one session of the cache workload: cached reads of the graph's reads between
 * writes to the tables those reads build from, for two tenants, so that a write often changes what a
 * read in flight has built. Half the steps are reads on their own.
 */
export function cacheWorkload(graph: DomainGraph, steps: number, seed: number): Workload {
  const reads = graph.reads ?? [];
  const domains = [...new Set(reads.flatMap((r) => r.tables))];
  const a = workloadArbitraries(domains.length > 0 ? { ...graph, domains } : graph);
  const two = (r: { tenant: number }) => r.tenant < 2;
  const write = fc.oneof({ weight: 3, arbitrary: a.insert }, a.update, a.move, a.delete, a.upsert);
  const read = a.read.filter(two);
  const step = fc.oneof(
    { weight: 4, arbitrary: a.statement(read) },
    { weight: 3, arbitrary: a.statement(write) },
    a.transaction(fc.oneof({ weight: 2, arbitrary: write }, read)),
  );
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
  if (kind === 'cache') return cacheWorkload(graph, steps, seed + session);
  return randomWorkload(graph, steps, seed + session, kind === 'random');
}

/** Whether a workload runs under the scheduler (one unit at a time) or free-running (all at once). */
export function isScheduled(kind: ConcurrencyWorkload): boolean {
  // lock-order and cte-order deadlock inside one statement (two cascades, or one CTE's triggers,
  // taking version-row locks in opposite orders): only sessions running at once can meet there.
  return kind !== 'lock-order' && kind !== 'cte-order';
}
