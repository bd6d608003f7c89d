import { type Command, Option } from 'commander';
import { loadDesign } from '../../engine/design/designs.js';
import { seedGraph } from '../../engine/design/domain-file.js';
import { designOver } from '../../engine/design/robust-for-schema.js';
import { parseDatabaseUrl } from '../../engine/postgres/database-url.js';
import {
  CONCURRENCY_WORKLOADS,
  type ConcurrencyWorkload,
  isScheduled,
} from '../../model/concurrency-workloads.js';
import { InputError } from '../../model/input-error.js';
import { formatConcurrency } from '../../report/concurrency.js';
import { formatScheduled } from '../../report/interleaving.js';
import { scheduledHtml } from '../../report/interleaving-html.js';
import { checkConcurrency } from '../../verify/concurrency.js';
import { searchInterleavings } from '../../verify/concurrency-search.js';
import {
  type DatabaseFlags,
  databaseOptions,
  finished,
  note,
  openerFrom,
  positiveInt,
  print,
  seedValue,
  serverFrom,
} from '../options.js';
import { checkWritableFile, writeFileWhole } from '../output-file.js';
import { designName, graphOf, type SchemaFlags, schemaOptions } from '../schema-flags.js';

interface ConcurrencyFlags extends DatabaseFlags, SchemaFlags {
  design?: string;
  sessions: number;
  steps: number;
  workload: ConcurrencyWorkload;
  seed: number;
  databaseUrl: string;
  json?: boolean;
  path?: string;
  exhaustive?: boolean;
  schedules: number;
  html?: string;
}

/** `turbo-sim concurrency`: N sessions at once on a server, versions checked at the end. */
export function concurrencyCommand(program: Command): void {
  const cmd = program
    .command('concurrency')
    .description(
      'run several sessions on a PostgreSQL server, one unit at a time in a seeded interleaving (random, statements, cache), and check versions, stale sets, real-time freshness, own writes and tenant isolation; lock-order and cte-order run the sessions all at once and check the versions they leave',
    )
    .option(
      '--design <name|path>',
      "built-in design name or path to a .sql file or folder (default robust; with --schema, none: the schema's own triggers)",
    )
    .option('--sessions <n>', 'concurrent sessions', positiveInt('--sessions'), 4)
    .option('--steps <n>', 'workload steps per session', positiveInt('--steps'), 30)
    .addOption(
      new Option(
        '--workload <kind>',
        'random: statements, multi-statement messages, transactions and cached reads; statements: the writes one statement each; cache: cached reads between writes to the tables they build from; lock-order: contract vs contract_item writers; cte-order: writable CTEs writing price and machine in opposite orders (these two free-running)',
      )
        .choices([...CONCURRENCY_WORKLOADS])
        .default('random'),
    )
    .option('--seed <s>', 'seed of the random workloads and of the interleaving', seedValue, 42)
    .option('--path <path>', 'replay one interleaving, as a report prints it (keep=...;order=...)')
    .option(
      '--exhaustive',
      "run every interleaving of the seed's workloads (small spaces: 2-3 sessions of a few steps)",
    )
    .option(
      '--schedules <n>',
      "random interleavings of the seed's workloads to run",
      positiveInt('--schedules'),
      1,
    );
  databaseOptions(schemaOptions(cmd), true)
    .option('--domains <file>', 'with --schema: the cascade, and where the tables are (domain file)')
    .option('--json', 'print the report as JSON on stdout')
    .option(
      '--html <file>',
      'also write the report as one HTML page, the counterexample as swimlanes (scheduled workloads)',
    )
    .action(async (opts: ConcurrencyFlags) => {
      parseDatabaseUrl(opts.databaseUrl); // before the design is loaded or anything is created
      finished.sofar = () => 'the sessions had not finished, so nothing was judged';
      const schema = (opts.schema?.length ?? 0) > 0;
      if (schema && opts.workload !== 'random' && opts.workload !== 'statements')
        throw new InputError(
          `--workload ${opts.workload} writes the seed's tables or reads its cache: with --schema use random or statements`,
        );
      const named = loadDesign(designName(opts.design, opts, 'robust'));
      const graph = schema ? await graphOf(opts, openerFrom(opts)) : seedGraph();
      const design = designOver(named, graph);
      const common = {
        design,
        graph,
        url: opts.databaseUrl,
        server: serverFrom(opts),
        sessions: opts.sessions,
        steps: opts.steps,
        seed: opts.seed,
        workload: opts.workload,
        onProgress: (m: string) => note(m),
      };
      // A --schema's sessions run all at once, judged on the versions they leave: the scheduler's
      // checks read the seed graph's cache.
      if (!isScheduled(opts.workload) || schema) {
        if (opts.path || opts.exhaustive || opts.html)
          throw new InputError(
            `--path, --exhaustive and --html need a scheduled workload (random, statements, cache) without --schema, not ${opts.workload}${schema ? ' with --schema' : ''}`,
          );
        const report = await checkConcurrency(common);
        print(opts.json ? JSON.stringify(report, null, 2) : formatConcurrency(report));
        process.exitCode = report.ok ? 0 : 1;
        return;
      }
      if (opts.html) checkWritableFile(opts.html, '--html');
      const started = performance.now();
      const report = await searchInterleavings({
        ...common,
        ...(opts.path ? { path: opts.path } : {}),
        ...(opts.exhaustive ? { exhaustive: true } : {}),
        schedules: opts.schedules,
      });
      note(`${((performance.now() - started) / 1000).toFixed(1)} s`);
      process.exitCode = report.ok ? 0 : 1;
      print(opts.json ? JSON.stringify(report, null, 2) : formatScheduled(report));
      if (opts.html) writeFileWhole(opts.html, scheduledHtml(report), '--html');
    });
}
