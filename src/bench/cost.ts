import type { Database } from '../engine/database.js';
import { loadDesign } from '../engine/design/designs.js';
import { seedGraph } from '../engine/design/domain-file.js';
import { designOver } from '../engine/design/robust-for-schema.js';
import type { DomainGraph } from '../model/domain-graph.js';
import {
  benchTenant,
  bulkDeleteSql,
  bulkInsertSql,
  bulkUpdateSql,
  untriggeredSql,
} from '../model/sql/bulk.js';
import { loopSql } from '../model/sql/statements.js';
import { shapesOf, type TableShape } from '../model/sql/table-shape.js';
import { TENANTS } from '../model/workload.js';
import { Simulator } from '../verify/simulator.js';

/** A write the benchmark times. */
export type BenchOp = 'insert' | 'update' | 'delete';

/** What to measure. */
export interface BenchOptions {
  /** Built-in design names or `mutant:NAME`; the first is the baseline ratios are taken against. */
  designs: string[];
  sizes: number[];
  ops: BenchOp[];
  /** Tenants per statement: the rows of one statement are spread over this many tenants. */
  tenants: number[];
  /** Timed repetitions per cell (the median is reported). */
  reps: number;
  /** The tv_ table written; `price` has no cascade targets in the seed graph, like the seed's own benchmark table. */
  domain: string;
  /** Rows in the single-row loop vs batch comparison (0 skips it). */
  loopRows: number;
  /** The small-statement workload: `rows` rows written as one message per statement of each size. */
  statements: StatementWorkload;
  /** The tables written: the seed graph's (default), or a user's schema (--schema) and its shapes. */
  graph?: DomainGraph;
  open?: () => Promise<Database>;
  onProgress?: (message: string) => void;
}

/**
 * Most application writes are single-row statements, where a design's cost per statement dominates
 * and one timed statement is too short to measure: so `rows` rows are written as rows/size messages
 * of one statement each, and the whole sequence is timed. One tenant, on a table with a cascade.
 */
export interface StatementWorkload {
  domain: string;
  /** Rows per statement (0 or none skips the workload). */
  sizes: number[];
  /** Rows written per timed sequence. */
  rows: number;
}

/** One design, op, size and tenant count. */
export interface BenchCell {
  /** `batch`: one statement of `size` rows on the report's domain; `statements`: see {@link StatementWorkload}. */
  workload: 'batch' | 'statements';
  /** Messages timed together: 1 for batch cells. */
  messages: number;
  design: string;
  op: BenchOp;
  size: number;
  tenants: number;
  samplesMs: number[];
  medianMs: number;
  /** median / the baseline design's median for the same op, size and tenants. */
  ratio: number;
}

/** The seed's own comparison: N single-row INSERTs in a DO loop vs one N-row INSERT. */
export interface LoopVsBatch {
  design: string;
  rows: number;
  loopMs: number;
  batchMs: number;
}

/** Everything `turbo-sim bench` prints. */
export interface BenchReport {
  backend: string;
  baseline: string;
  reps: number;
  domain: string;
  statements: StatementWorkload;
  /** The tables written, as SQL, where they are not tv_<domain> (a user's schema). */
  tables?: { batch: string; statements: string };
  cells: BenchCell[];
  loopVsBatch: LoopVsBatch[];
  elapsedMs: number;
}

export const DEFAULT_BENCH: Omit<BenchOptions, 'open' | 'onProgress'> = {
  designs: ['none', 'mutant:per-row-no-dedup', 'seed', 'seed-on-conflict', 'robust', 'row-ledger'],
  sizes: [1, 10, 100, 1000, 10000],
  ops: ['insert', 'update', 'delete'],
  tenants: [1, 10],
  reps: 9,
  domain: 'price',
  loopRows: 1000,
  statements: { domain: 'contract', sizes: [1, 10, 100], rows: 500 },
};

/**
 * The tables a benchmark of a user's schema writes, as the defaults do on the seed graph: a batch
 * table with no cascade targets (price there), and a statements table with some (contract there).
 */
export function benchDomains(graph: DomainGraph): { domain: string; statements: { domain: string } } {
  const sources = new Set(graph.cascade.map(([source]) => source));
  const leaf = graph.domains.find((d) => !sources.has(d)) ?? graph.domains[0] ?? '';
  const cascading = graph.domains.find((d) => sources.has(d)) ?? leaf;
  return { domain: leaf, statements: { domain: cascading } };
}

/** Messages one design sends before the next design's turn, within one timed sequence. */
const CHUNK_MESSAGES = 25;

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

async function timed(db: Database, sql: string): Promise<number> {
  const t = performance.now();
  await db.exec(sql);
  return performance.now() - t;
}

/** One timed sequence: which rows, which statements. */
interface Job {
  workload: BenchCell['workload'];
  op: BenchOp;
  size: number;
  tenants: number;
  /** The statements of the sequence, one message each. */
  sql: string[];
  /** Rows an UPDATE or DELETE needs, loaded untimed with triggers off. */
  load: string | null;
}

/** A user's table by domain (--schema), or undefined for turbo-sim's own. */
type ShapeOf = (domain: string) => TableShape | undefined;

function jobsOf(options: BenchOptions, shape: ShapeOf): Job[] {
  const jobs: Job[] = [];
  const domain = options.domain;
  const s = shape(domain);
  const st = options.statements;
  const t = shape(st.domain);
  for (const size of options.sizes) {
    for (const op of options.ops) {
      for (const tenants of options.tenants) {
        const rows = { from: 1, size };
        const sql =
          op === 'insert'
            ? bulkInsertSql(domain, rows, tenants, s)
            : op === 'update'
              ? bulkUpdateSql(domain, undefined, s)
              : bulkDeleteSql(domain, undefined, s);
        const load = op === 'insert' ? null : bulkInsertSql(domain, rows, tenants, s);
        jobs.push({ workload: 'batch', op, size, tenants, sql: [sql], load });
      }
    }
  }
  for (const size of st.sizes) {
    for (const op of options.ops) {
      const messages = Math.max(1, Math.round(st.rows / size));
      const sql = Array.from({ length: messages }, (_, m) => {
        const range = { from: m * size + 1, size };
        return op === 'insert'
          ? bulkInsertSql(st.domain, range, 1, t)
          : op === 'update'
            ? bulkUpdateSql(st.domain, range, t)
            : bulkDeleteSql(st.domain, range, t);
      });
      const load =
        op === 'insert' ? null : bulkInsertSql(st.domain, { from: 1, size: messages * size }, 1, t);
      jobs.push({ workload: 'statements', op, size, tenants: 1, sql, load });
    }
  }
  return jobs;
}

/**
 * Times every job on one reused database per design. Designs alternate within every repetition,
 * and within a job every few messages, so a slow phase of a noisy machine hits all designs alike
 * and ratios stay comparable.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const graph = options.graph ?? seedGraph();
  const shapes = shapesOf(graph);
  const shape: ShapeOf = (d) => (graph.tables ? shapes(d) : undefined);
  const sims: Simulator[] = [];
  try {
    for (const name of options.designs) {
      options.onProgress?.(`opening ${name}`);
      const sim = await Simulator.create(designOver(loadDesign(name), graph), graph, options.open);
      sims.push(sim);
    }
    const jobs = jobsOf(options, shape);
    const samples = new Map<string, number[]>();
    const key = (d: string, j: Job) => `${d}|${j.workload}|${j.op}|${j.size}|${j.tenants}`;
    let done = 0;
    for (let rep = 0; rep < options.reps; rep++) {
      for (const job of jobs) {
        done += 1;
        options.onProgress?.(
          `[${done}/${options.reps * jobs.length}] rep ${rep + 1} ${job.workload} ${job.op} ${job.size} rows x ${job.sql.length}, ${job.tenants} tenant(s)`,
        );
        for (const sim of sims) {
          await sim.reset();
          if (job.load) {
            await sim.db.exec(untriggeredSql(job.load));
          }
        }
        // A sequence of single-row statements takes a few hundred ms per design, long enough for
        // this kind of machine to change speed in between: the designs take turns every
        // CHUNK_MESSAGES messages, so a slow spell falls on all of them alike.
        const totals = sims.map(() => 0);
        for (let from = 0; from < job.sql.length; from += CHUNK_MESSAGES) {
          for (const [i, sim] of sims.entries()) {
            const t = performance.now();
            for (const sql of job.sql.slice(from, from + CHUNK_MESSAGES)) await sim.db.exec(sql);
            totals[i] = (totals[i] ?? 0) + performance.now() - t;
          }
        }
        for (const [i, total] of totals.entries()) {
          const k = key(options.designs[i] ?? '', job);
          samples.set(k, [...(samples.get(k) ?? []), total]);
        }
      }
    }
    const baseline = options.designs[0] ?? 'none';
    const cells: BenchCell[] = options.designs.flatMap((design) =>
      jobs.map((job) => {
        const s = samples.get(key(design, job)) ?? [];
        const base = median(samples.get(key(baseline, job)) ?? [1]);
        return {
          workload: job.workload,
          messages: job.sql.length,
          design,
          op: job.op,
          size: job.size,
          tenants: job.tenants,
          samplesMs: s,
          medianMs: median(s),
          ratio: median(s) / base,
        };
      }),
    );
    const loopVsBatch: LoopVsBatch[] = [];
    if (options.loopRows > 0) {
      for (const [i, sim] of sims.entries()) {
        options.onProgress?.(`loop vs batch on ${options.designs[i]}`);
        const loops: number[] = [];
        const batches: number[] = [];
        for (let rep = 0; rep < options.reps; rep++) {
          await sim.reset();
          const tenant = graph.tables ? (TENANTS[0] ?? '') : benchTenant(0);
          loops.push(await timed(sim.db, loopSql(options.domain, tenant, 0, options.loopRows, shapes)));
          await sim.reset();
          const rows = { from: 1, size: options.loopRows };
          batches.push(await timed(sim.db, bulkInsertSql(options.domain, rows, 1, shape(options.domain))));
        }
        loopVsBatch.push({
          design: options.designs[i] ?? '',
          rows: options.loopRows,
          loopMs: median(loops),
          batchMs: median(batches),
        });
      }
    }
    return {
      backend: sims[0]?.db.backend ?? 'pglite',
      baseline,
      reps: options.reps,
      domain: options.domain,
      statements: options.statements,
      ...(graph.tables
        ? {
            tables: {
              batch: shapes(options.domain).table,
              statements: shapes(options.statements.domain).table,
            },
          }
        : {}),
      cells,
      loopVsBatch,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    for (const s of sims) await s.close();
  }
}
