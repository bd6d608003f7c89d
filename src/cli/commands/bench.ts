import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import {
  type ConcurrencyBenchReport,
  DEFAULT_CONCURRENCY_BENCH,
  runConcurrencyBench,
} from '../../bench/concurrency.js';
import { type BenchOp, benchDomains, DEFAULT_BENCH, runBench } from '../../bench/cost.js';
import { runVerifierBench } from '../../bench/verifier.js';
import { loadDesign } from '../../engine/design/designs.js';
import { type PgServer, startPgServer } from '../../engine/postgres/throwaway-server.js';
import { InputError } from '../../model/input-error.js';
import { BULK_TENANTS } from '../../model/sql/bulk.js';
import { formatBench, formatConcurrencyBench, formatVerifier } from '../../report/bench.js';
import { benchChart } from '../../report/chart.js';
import { concurrencyChart } from '../../report/concurrency-chart.js';
import {
  type DatabaseFlags,
  databaseOptions,
  note,
  numberList,
  openerFrom,
  positiveInt,
  print,
  serverFrom,
} from '../options.js';
import { checkWritableFile, writeFileWhole } from '../output-file.js';
import { extensionsOf, graphOf, type SchemaFlags, schemaOptions } from '../schema-flags.js';

interface BenchFlags extends DatabaseFlags, SchemaFlags {
  designs?: string;
  sizes: number[];
  ops: string;
  tenants?: number[];
  reps: number;
  loopRows: number;
  statementSizes: number[];
  statementRows: number;
  quick?: boolean;
  chart?: string;
  verifier?: boolean;
  workers: number;
  concurrency: 'auto' | 'off' | 'only';
  concurrencyDesigns: string;
  sessions: number;
  steps: number;
  concurrencyChart?: string;
  json?: boolean;
}

const firstLine = (e: unknown) => String(e instanceof Error ? e.message : e).split('\n')[0];

/**
 * The concurrency table on --database-url's server, else on a throwaway PostgreSQL server started
 * for it (deadlock_timeout 100 ms, so that the design that deadlocks finishes in a minute, not ten),
 * else null with a note: PGlite has one connection.
 */
async function concurrencyTable(opts: BenchFlags): Promise<ConcurrencyBenchReport | null> {
  let own: PgServer | null = null;
  try {
    if (opts.databaseUrl === undefined) own = await startPgServer({ deadlock_timeout: '100ms' });
  } catch (e) {
    // After minutes of the cost table, a server that will not start costs the table, not the run.
    note(`concurrency table skipped: a throwaway PostgreSQL server did not start: ${firstLine(e)}`);
    return null;
  }
  const url = opts.databaseUrl ?? own?.url;
  if (!url) {
    note(
      'concurrency table skipped: it needs a PostgreSQL server (--database-url, or server binaries under /usr/lib/postgresql for a throwaway one)',
    );
    return null;
  }
  try {
    return await runConcurrencyBench({
      ...DEFAULT_CONCURRENCY_BENCH,
      url,
      designs: opts.concurrencyDesigns.split(',').map((d) => d.trim()),
      sessions: opts.sessions,
      steps: opts.quick ? Math.min(opts.steps, 20) : opts.steps,
      server: serverFrom(opts),
      onProgress: note,
    });
  } finally {
    own?.stop();
  }
}

/** `turbo-sim bench`: each design's cost as a ratio to no trigger, or with --verifier turbo-sim's own speed. */
export function benchCommand(program: Command): void {
  const cmd = program
    .command('bench')
    .description(
      'time one statement per design, batch size, statement kind and tenant count, and report the median cost as a ratio to no trigger',
    )
    .option(
      '--designs <list>',
      `designs to compare, the first is the baseline (mutant:NAME for a mutant; default ${DEFAULT_BENCH.designs.join(',')}; with --schema none,robust, where none is the schema as given, its own triggers included)`,
    )
    .option('--sizes <list>', 'rows per statement', numberList('--sizes'), DEFAULT_BENCH.sizes)
    .option('--ops <list>', 'statement kinds: insert, update, delete', DEFAULT_BENCH.ops.join(','))
    .option(
      '--tenants <list>',
      `tenants per statement (default ${DEFAULT_BENCH.tenants.join(',')}; with --schema 1,${BULK_TENANTS}, the tenants whose rows turbo-sim writes in the tenant table)`,
      numberList('--tenants'),
    )
    .option(
      '--reps <n>',
      'timed repetitions per cell (median reported)',
      positiveInt('--reps'),
      DEFAULT_BENCH.reps,
    )
    .option(
      '--loop-rows <n>',
      "rows in the seed's own single-row loop vs batch comparison",
      positiveInt('--loop-rows'),
      DEFAULT_BENCH.loopRows,
    )
    .option(
      '--statement-sizes <list>',
      `rows per statement of the small-statement workload on tv_${DEFAULT_BENCH.statements.domain}`,
      numberList('--statement-sizes'),
      DEFAULT_BENCH.statements.sizes,
    )
    .option(
      '--statement-rows <n>',
      'rows the small-statement workload writes per timed sequence, one message per statement',
      positiveInt('--statement-rows'),
      DEFAULT_BENCH.statements.rows,
    )
    .option(
      '--quick',
      'sizes 1,100,10000, single-row statements, INSERT only, 3 repetitions, at most 20 concurrency steps: a first look in about a minute',
    )
    .option('--chart <file.svg>', 'also draw the cost ratios against batch size as an SVG chart')
    .option(
      '--verifier',
      'measure the verifier instead: start-up vs reset, checked statements per second for check --design robust with 1 and --workers databases and where its time goes, time to counterexample',
    )
    .option(
      '--workers <n>',
      'with --verifier: the number of databases side by side to compare with one',
      positiveInt('--workers'),
      availableParallelism(),
    )
    .addOption(
      new Option(
        '--concurrency <when>',
        'the concurrency table (sessions running free on PostgreSQL: statements/s, deadlocks, sessions giving up per design and workload): auto runs it where a server is (--database-url, or a throwaway one started from /usr/lib/postgresql) and skips it with a note elsewhere; off; only (nothing else)',
      )
        .choices(['auto', 'off', 'only'])
        .default('auto'),
    )
    .option(
      '--concurrency-designs <list>',
      'designs of the concurrency table, side by side; the first as a multiple of the second',
      DEFAULT_CONCURRENCY_BENCH.designs.join(','),
    )
    .option(
      '--sessions <n>',
      'concurrent sessions of the concurrency table',
      positiveInt('--sessions'),
      DEFAULT_CONCURRENCY_BENCH.sessions,
    )
    .option(
      '--steps <n>',
      'workload steps per session of the concurrency table (--quick: at most 20)',
      positiveInt('--steps'),
      DEFAULT_CONCURRENCY_BENCH.steps,
    )
    .option('--concurrency-chart <file.svg>', 'also draw the concurrency table as an SVG chart');
  databaseOptions(schemaOptions(cmd))
    .option(
      '--domains <file>',
      "with --schema: the domain file giving the schema's cascade (and its tables, tenantColumn, versionTable)",
    )
    .option('--json', 'print the raw numbers as JSON on stdout')
    .action(async (opts: BenchFlags) => {
      const progress = (m: string) => note(m);
      // Fails before a benchmark of minutes, not after it, when the chart could not be written.
      if (opts.chart) checkWritableFile(opts.chart, '--chart');
      if (opts.concurrencyChart) checkWritableFile(opts.concurrencyChart, '--concurrency-chart');
      if (opts.chart && opts.concurrency === 'only')
        throw new InputError('--chart draws the cost table, which --concurrency only leaves out');
      if (opts.concurrencyChart && opts.concurrency === 'off')
        throw new InputError(
          '--concurrency-chart draws the concurrency table, which --concurrency off leaves out',
        );
      const schema = (opts.schema?.length ?? 0) > 0;
      if (schema && opts.verifier)
        throw new InputError(
          "--verifier measures turbo-sim's own speed on its own tables: it takes no --schema",
        );
      if (schema && opts.concurrency === 'only')
        throw new InputError(
          "--concurrency only measures designs on turbo-sim's own tables: it takes no --schema",
        );
      if (opts.verifier) {
        const v = await runVerifierBench([...new Set([1, opts.workers])], openerFrom(opts), progress);
        print(opts.json ? JSON.stringify(v, null, 2) : formatVerifier(v));
        return;
      }
      // Unknown designs fail now, not after the cost table.
      if (opts.concurrency !== 'off')
        for (const d of opts.concurrencyDesigns.split(',')) loadDesign(d.trim());
      const ops = opts.ops.split(',').map((o) => o.trim());
      const bad = ops.find((o) => !['insert', 'update', 'delete'].includes(o));
      if (bad) throw new InputError(`--ops: unknown statement kind "${bad}" (insert, update, delete)`);
      const tenants = opts.tenants ?? (schema ? [1, BULK_TENANTS] : DEFAULT_BENCH.tenants);
      const many = tenants.find((n) => n > BULK_TENANTS);
      if (schema && many)
        throw new InputError(
          `--tenants ${many}: with --schema a statement spreads over at most ${BULK_TENANTS} tenants, the ones turbo-sim writes in the tenant table`,
        );
      const open = openerFrom(opts, extensionsOf(opts));
      const graph = schema ? await graphOf(opts, open) : undefined;
      const domains = graph ? benchDomains(graph) : undefined;
      const report =
        opts.concurrency === 'only'
          ? null
          : await runBench({
              ...DEFAULT_BENCH,
              ...(graph && domains ? { graph, domain: domains.domain } : {}),
              designs: (opts.designs ?? (schema ? 'none,robust' : DEFAULT_BENCH.designs.join(',')))
                .split(',')
                .map((d) => d.trim()),
              sizes: opts.quick ? [1, 100, 10000] : opts.sizes,
              ops: opts.quick ? ['insert'] : (ops as BenchOp[]),
              tenants: opts.quick ? [1] : tenants,
              reps: opts.quick ? 3 : opts.reps,
              loopRows: opts.loopRows,
              statements: {
                domain: domains?.statements.domain ?? DEFAULT_BENCH.statements.domain,
                sizes: opts.quick ? [1] : opts.statementSizes,
                rows: opts.statementRows,
              },
              onProgress: progress,
              open,
            });
      // The concurrency table runs the designs on turbo-sim's own tables, not on a user's schema.
      if (schema && opts.concurrency !== 'off') note('the concurrency table is left out with --schema');
      const concurrency = opts.concurrency === 'off' || schema ? null : await concurrencyTable(opts);
      if (opts.json) print(JSON.stringify({ ...report, concurrency }, null, 2));
      else
        print(
          [report && formatBench(report), concurrency && formatConcurrencyBench(concurrency)]
            .filter(Boolean)
            .join('\n\n'),
        );
      if (opts.chart && report) writeFileWhole(opts.chart, benchChart(report), '--chart');
      if (opts.concurrencyChart && concurrency)
        writeFileWhole(opts.concurrencyChart, concurrencyChart(concurrency), '--concurrency-chart');
    });
}
