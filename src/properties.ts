import fc from 'fast-check';
import { DEFAULT_BOUNDS, type WorkloadBounds, workloadArbitraries } from './arbitraries.js';
import type { DomainGraph } from './domain-graph.js';
import { InputError } from './errors.js';
import type { Judge } from './simulator.js';
import type { Step, Workload, Write } from './workload.js';

/**
 * A property of the version counters: for every workload of its class, after every client message
 * the versions equal the reference model's (each statement bumps each pair it must, exactly once).
 * Classes are kept apart so a verdict says which kind of statement a design gets wrong.
 */
export interface BumpProperty {
  name: string;
  description: string;
  /**
   * Least time from the end of one client message to the start of the next. 0 sends them back to
   * back; 1 ms keeps statement_timestamp() distinct under PGlite's millisecond clock, so a class
   * other than back-to-back tests its own statement kind and not the clock.
   */
  pauseMs: number;
  /**
   * `each` reads the versions around every message, so a violation names its message. `end` reads
   * them once after the last message, so nothing but the workload's own messages reaches the server.
   */
  observe: 'each' | 'end';
  workloads(graph: DomainGraph, bounds?: WorkloadBounds): fc.Arbitrary<Workload>;
  /** How versions are judged after each message (default exact). */
  judge?: Judge;
  /** Needs the graph's cached reads (builders); skipped for a graph without them. */
  needsReads?: boolean;
  /** Times a workload is run before it counts as passing (for clock-dependent classes; default 1). */
  attempts?: number;
}

// Every class but back-to-back starts a message at least 1 ms (of real time, sub-millisecond
// clock) after the previous one ended, so that even a millisecond statement_timestamp() differs
// between them and a design is judged on the statement kind, not on PGlite's clock.
const PAUSE = 1;

type Arbitraries = ReturnType<typeof workloadArbitraries>;

/** A workload class: workloads whose steps (besides plain inserts that give them rows) come from `step`. */
function steps(step: (a: Arbitraries) => fc.Arbitrary<Step>): BumpProperty['workloads'] {
  return (g, b = DEFAULT_BOUNDS) => {
    const a = workloadArbitraries(g, b);
    return a.workload(step(a));
  };
}

/** The one-bump-per-statement properties, one per workload class. */
export const BUMP_PROPERTIES: readonly BumpProperty[] = [
  {
    name: 'batch',
    description:
      'single statements, one per message: multi-row INSERT with mixed tenants (0..N rows), UPDATE and DELETE by predicate (possibly matching no row)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.statement(a.plain)),
  },
  {
    name: 'back-to-back',
    description:
      'the same single statements sent back to back, with no pause and no read between messages; versions are judged after the last one',
    pauseMs: 0,
    observe: 'end',
    attempts: 3,
    workloads: steps((a) => a.statement(a.plain)),
  },
  {
    name: 'tenant-move',
    description: 'UPDATE that moves rows to another tenant (both tenants must be bumped)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.statement(a.move)),
  },
  {
    name: 'upsert',
    description:
      'INSERT ... ON CONFLICT (id) DO UPDATE, inserting and updating (possibly re-tenanting) in one statement',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.statement(a.upsert)),
  },
  {
    name: 'truncate',
    description: 'TRUNCATE of one or two tv_ tables (every tenant whose rows it removes must be bumped)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.statement(a.truncate)),
  },
  {
    name: 'failing-statement',
    description: 'a multi-row INSERT that fails on a duplicate key after some rows (must leave no bump)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.statement(a.failingInsert)),
  },
  {
    name: 'writable-cte',
    description:
      'one statement whose data-modifying CTEs write two or three tv_ tables (overlapping cascades bump once)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.statement(a.cte)),
  },
  {
    name: 'multi-statement-message',
    description: 'several statements sent in one simple-query message (each is its own statement)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.message(a.plain)),
  },
  {
    name: 'do-block',
    description: 'several statements inside a DO block or a PL/pgSQL function (each is its own statement)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => fc.oneof(a.doBlock(a.plain), a.fn(a.plain))),
  },
  {
    name: 'transaction',
    description:
      'explicit transactions with COMMIT or ROLLBACK and SAVEPOINT / RELEASE / ROLLBACK TO (rolled-back work leaves no bump)',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) => a.transaction(a.plain)),
  },
  {
    name: 'mixed',
    description:
      'every statement kind in every grouping: messages, DO blocks, functions and transactions of any write',
    pauseMs: PAUSE,
    observe: 'each',
    workloads: steps((a) =>
      fc.oneof(a.statement(a.any), a.message(a.any), a.doBlock(a.any), a.fn(a.any), a.transaction(a.any)),
    ),
  },
  {
    name: 'coherence',
    description:
      'cached reads guarded by one domain, interleaved with every kind of write, in messages, DO blocks, functions and transactions: each read equals a fresh build (else STALE)',
    pauseMs: PAUSE,
    observe: 'each',
    judge: 'reads',
    needsReads: true,
    workloads: (g, b = DEFAULT_BOUNDS) => readWorkloads(g, b, (domains) => domains.length === 1),
  },
  {
    name: 'coherence-multi-domain',
    description:
      'the same with reads guarded by several domains at once (the multi-domain fn_get_cached_response)',
    pauseMs: PAUSE,
    observe: 'each',
    judge: 'reads',
    needsReads: true,
    workloads: (g, b = DEFAULT_BOUNDS) => readWorkloads(g, b, (domains) => domains.length > 1),
  },
  {
    name: 'tenant-isolation',
    description:
      "reads and writes of several tenants: a read never returns another tenant's response, and a statement changes only the versions of tenants it touched (LEAK)",
    pauseMs: PAUSE,
    observe: 'each',
    judge: 'isolation',
    needsReads: true,
    workloads: (g, b = DEFAULT_BOUNDS) => readWorkloads(g, b, () => true, true),
  },
];

/** Workloads mixing every write with cached reads of the graph's catalogue that `pick` accepts. */
function readWorkloads(
  g: DomainGraph,
  b: WorkloadBounds,
  pick: (domains: string[]) => boolean,
  tenantOnly = false,
): fc.Arbitrary<Workload> {
  const reads = (g.reads ?? []).filter((r) => pick(r.domains));
  // Writes go to the tables the reads depend on, and workloads run longer, so that a stale read
  // (which needs a read, then a write its guard misses, then a read) is found in a few hundred runs.
  const domains = [...new Set(reads.flatMap((r) => r.tables))];
  const a = workloadArbitraries({ ...g, reads, domains }, { ...b, maxSteps: b.maxSteps + 4 });
  const read = tenantOnly ? a.read.map((r): Write => ({ ...r, tenantOnly: true }) as Write) : a.read;
  const op = fc.oneof({ weight: 2, arbitrary: a.any }, { weight: 2, arbitrary: read });
  return a.workload(fc.oneof(a.statement(op), a.message(op), a.doBlock(op), a.fn(op), a.transaction(op)));
}

/** A property by name, or an input error listing the known ones. */
export function findProperty(name: string): BumpProperty {
  const p = BUMP_PROPERTIES.find((x) => x.name === name);
  if (!p)
    throw new InputError(
      `unknown property "${name}" (known: ${BUMP_PROPERTIES.map((x) => x.name).join(', ')})`,
    );
  return p;
}
