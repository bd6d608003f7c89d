import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { type BenchOp, benchDomains, DEFAULT_BENCH, runBench } from '../../bench/cost.js';
import { runVerifierBench } from '../../bench/verifier.js';
import { InputError } from '../../model/input-error.js';
import { BULK_TENANTS } from '../../model/sql/bulk.js';
import { formatBench, formatVerifier } from '../../report/bench.js';
import { benchChart } from '../../report/chart.js';
import {
  type DatabaseFlags,
  databaseOptions,
  note,
  numberList,
  openerFrom,
  positiveInt,
  print,
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
  json?: boolean;
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
      'sizes 1,100,10000, single-row statements, INSERT only, 3 repetitions: a first look in well under a minute',
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
    );
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
      const schema = (opts.schema?.length ?? 0) > 0;
      if (schema && opts.verifier)
        throw new InputError(
          "--verifier measures turbo-sim's own speed on its own tables: it takes no --schema",
        );
      if (opts.verifier) {
        const v = await runVerifierBench([...new Set([1, opts.workers])], openerFrom(opts), progress);
        print(opts.json ? JSON.stringify(v, null, 2) : formatVerifier(v));
        return;
      }
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
      const report = await runBench({
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
      print(opts.json ? JSON.stringify(report, null, 2) : formatBench(report));
      if (opts.chart) writeFileWhole(opts.chart, benchChart(report), '--chart');
    });
}
