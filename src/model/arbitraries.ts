import fc from 'fast-check';
import { sourcedArbitraries } from './arbitraries-writes.js';
import type { Domain, DomainGraph } from './domain-graph.js';
import { needsForeignKeys, type PropertySpec, readsOf, unmetNeed, writtenDomains } from './properties.js';
import {
  type Predicate,
  type Read,
  type Savepoint,
  type Statement,
  type Step,
  TENANTS,
  type Workload,
  type Write,
} from './workload.js';

/**
 * Workload generators. Pure fast-check arbitraries over the workload language: no database, no
 * SQL. Every generated value shrinks towards fewer steps, fewer rows and simpler predicates, which
 * is what turns a random failing workload into a three-statement counterexample.
 */

/** Bounds of generated workloads. */
export interface WorkloadBounds {
  /** Most rows in one INSERT or upsert. */
  maxRows: number;
  /** Most steps in one workload. */
  maxSteps: number;
  /** Most statements in one message, DO block, function or transaction. */
  maxGroup: number;
}

export const DEFAULT_BOUNDS: WorkloadBounds = { maxRows: 6, maxSteps: 6, maxGroup: 4 };

/** Arbitraries for one domain graph. */
export function workloadArbitraries(graph: DomainGraph, bounds: WorkloadBounds = DEFAULT_BOUNDS) {
  const domain: fc.Arbitrary<Domain> = fc.constantFrom(...graph.domains);
  const tenant = fc.integer({ min: 0, max: TENANTS.length - 1 });
  const predicate: fc.Arbitrary<Predicate> = fc.oneof(
    fc.constant<Predicate>({ kind: 'all' }),
    fc.record({ kind: fc.constant('tenant' as const), tenant }),
    fc
      .record({ modulus: fc.integer({ min: 2, max: 3 }), remainder: fc.integer({ min: 0, max: 2 }) })
      .map(
        ({ modulus, remainder }): Predicate => ({ kind: 'idMod', modulus, remainder: remainder % modulus }),
      ),
    fc.constant<Predicate>({ kind: 'none' }),
  );

  const insert: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('insert' as const),
    domain,
    tenants: fc.array(tenant, { maxLength: bounds.maxRows }),
  });
  const failingInsert: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('insert' as const),
    domain,
    tenants: fc.array(tenant, { minLength: 1, maxLength: bounds.maxRows }),
    failing: fc.constant(true),
  });
  const update: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('update' as const),
    domain,
    where: predicate,
  });
  const move: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('update' as const),
    domain,
    where: predicate,
    moveTo: tenant,
  });
  const del: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('delete' as const),
    domain,
    where: predicate,
  });
  const upsert: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('upsert' as const),
    domain,
    rows: fc.array(fc.record({ existing: fc.option(fc.nat(20), { nil: null }), tenant }), {
      maxLength: bounds.maxRows,
    }),
  });
  const truncate: fc.Arbitrary<Write> = fc.record({
    kind: fc.constant('truncate' as const),
    domains: fc.uniqueArray(domain, { minLength: 1, maxLength: 2 }),
  });
  // Two distinct tables out of one domain cannot be drawn: uniqueArray would retry forever.
  const cte: fc.Arbitrary<Write> | undefined =
    graph.domains.length < 2
      ? undefined
      : fc.record({
          kind: fc.constant('cte' as const),
          parts: fc.uniqueArray(fc.oneof(insert, update, move, del), {
            minLength: 2,
            maxLength: 3,
            selector: (w) => ('domain' in w ? w.domain : ''),
          }),
        });
  /** Row-changing statements that never fail: the bread and butter of every class. */
  const plain = fc.oneof({ weight: 3, arbitrary: insert }, update, del);
  /** Cached reads of the graph's read catalogue (none when the graph has no builders). */
  const reads = graph.reads ?? [];
  const read: fc.Arbitrary<Read> = fc.record({
    kind: fc.constant('read' as const),
    read: reads.length > 0 ? fc.constantFrom(...reads.map((r) => r.name)) : fc.constant(''),
    tenant,
  });
  const any = fc.oneof(
    { weight: 3, arbitrary: insert },
    update,
    move,
    del,
    upsert,
    truncate,
    ...(cte ? [cte] : []),
  );
  const sourced = sourcedArbitraries(graph, domain, tenant, predicate, bounds.maxRows);
  /** Every kind of write: `any`, and the writes that read another table, meet rows or go through a base table. */
  const every = fc.oneof(
    { weight: 4, arbitrary: any },
    sourced.fromTable,
    sourced.insertIgnore,
    sourced.merge,
    // A user's schema (--schema) has no base tables of the harness's shape to write.
    ...(graph.tables ? [] : [sourced.base]),
    ...(sourced.foreignKey ? [sourced.foreignKey] : []),
  );

  const statement = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    w.map((write): Step => ({ kind: 'statement', write }));
  const group = (w: fc.Arbitrary<Statement>) => fc.array(w, { minLength: 2, maxLength: bounds.maxGroup });
  const message = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    group(w).map((writes): Step => ({ kind: 'message', writes }));
  const doBlock = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    group(w).map((writes): Step => ({ kind: 'do', writes }));
  const fn = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    group(w).map((writes): Step => ({ kind: 'function', writes }));
  /** Bulk loads (COPY ... FROM) between the class's single statements. */
  const copy = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    fc.oneof(
      statement(w),
      fc
        .record({ domain, tenants: fc.array(tenant, { maxLength: bounds.maxRows }) })
        .map(({ domain, tenants }): Step => ({ kind: 'copy', domain, tenants })),
    );
  /** Prepared statements, through PREPARE / EXECUTE or parameterized queries (of what PREPARE takes). */
  const prepared = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    fc
      .record({ writes: group(w), via: fc.constantFrom('prepare' as const, 'bind' as const) })
      .map(({ writes, via }): Step => ({ kind: 'prepared', writes: writes.filter(isPreparable), via }));
  const savepoint = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Savepoint> =>
    fc.record({
      kind: fc.constant('savepoint' as const),
      writes: fc.array(w, { minLength: 1, maxLength: bounds.maxGroup }),
      end: fc.constantFrom('release' as const, 'rollback' as const),
    });
  const transaction = (w: fc.Arbitrary<Statement>): fc.Arbitrary<Step> =>
    fc
      .record({
        items: fc.array(fc.oneof({ weight: 2, arbitrary: w }, savepoint(w)), {
          minLength: 1,
          maxLength: bounds.maxGroup,
        }),
        end: fc.constantFrom('commit' as const, 'rollback' as const),
      })
      .map(({ items, end }): Step => ({ kind: 'transaction', items, end }));

  /** A workload whose steps come from `step`, with plain inserts mixed in so there are rows to act on. */
  const workload = (step: fc.Arbitrary<Step>): fc.Arbitrary<Workload> =>
    fc.array(fc.oneof(statement(insert), step), { minLength: 1, maxLength: bounds.maxSteps });

  return {
    insert,
    failingInsert,
    update,
    move,
    delete: del,
    upsert,
    truncate,
    cte,
    read,
    plain,
    any,
    ...sourced,
    every,
    statement,
    message,
    doBlock,
    fn,
    prepared,
    copy,
    transaction,
    workload,
  };
}

/** The arbitraries of one graph, as {@link workloadArbitraries} returns them. */
export type Arbitraries = ReturnType<typeof workloadArbitraries>;

const GROUPINGS = {
  statement: 'statement',
  message: 'message',
  do: 'doBlock',
  function: 'fn',
  prepared: 'prepared',
  copy: 'copy',
  transaction: 'transaction',
} as const;

// PREPARE takes SELECT, INSERT, UPDATE, DELETE, MERGE and VALUES: not TRUNCATE; reads are checked elsewhere.
const isPreparable = (s: Statement): s is Write => s.kind !== 'read' && s.kind !== 'truncate';

/** One step of a property's class: its statements in each of its groupings, one grouping drawn per step. */
function classStep(a: Arbitraries, property: PropertySpec, statements: fc.Arbitrary<Statement>) {
  const steps = property.groupings.map((g) => a[GROUPINGS[g]](statements));
  const [only] = steps;
  // A single arbitrary is used as it is: wrapping it in oneof would draw from the random stream and
  // change every workload a seed gives.
  return steps.length === 1 && only ? only : fc.oneof(...steps);
}

/**
 * The workloads of a property: its class of steps, with plain inserts mixed in so there are rows to
 * act on. A property with reads draws from the graph's reads that its `reads` selects, writes to the
 * tables they depend on, and runs longer, so that a stale read (which needs a read, then a write its
 * guard misses, then a read) is found in a few hundred runs.
 */
export function propertyWorkloads(
  property: PropertySpec,
  graph: DomainGraph,
  bounds: WorkloadBounds = DEFAULT_BOUNDS,
): fc.Arbitrary<Workload> {
  const unmet = unmetNeed(property, graph);
  if (unmet) throw new Error(`property ${property.name} asked of a graph that cannot give it: ${unmet}`);
  if (!property.reads) {
    // A cascade needs a parent row, a child referencing it, then the parent's delete or renumbering.
    const longer = needsForeignKeys(property) ? { ...bounds, maxSteps: bounds.maxSteps + 4 } : bounds;
    const a = workloadArbitraries(graph, longer);
    const writes = a[property.writes];
    if (!writes) throw new Error(`property ${property.name}: no generator for ${property.writes}`);
    return a.workload(classStep(a, property, writes));
  }
  const reads = readsOf(property, graph);
  const domains = writtenDomains(property, graph);
  const a = workloadArbitraries({ ...graph, reads, domains }, { ...bounds, maxSteps: bounds.maxSteps + 4 });
  const read =
    property.reads === 'tenant-only' ? a.read.map((r): Read => ({ ...r, tenantOnly: true })) : a.read;
  const writes = a[property.writes];
  if (!writes) throw new Error(`property ${property.name}: no generator for ${property.writes}`);
  const op = fc.oneof({ weight: 2, arbitrary: writes }, { weight: 2, arbitrary: read });
  return a.workload(classStep(a, property, op));
}
