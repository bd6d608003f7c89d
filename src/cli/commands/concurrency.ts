import { type Command, Option } from 'commander';
import { loadDesign } from '../../engine/design/designs.js';
import { seedGraph } from '../../engine/design/domain-file.js';
import { parseDatabaseUrl } from '../../engine/postgres/database-url.js';
import { CONCURRENCY_WORKLOADS, type ConcurrencyWorkload } from '../../model/concurrency-workloads.js';
import { InputError } from '../../model/input-error.js';
import { formatConcurrency } from '../../report/concurrency.js';
import { checkConcurrency } from '../../verify/concurrency.js';
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
import { checkDesignFits, designName, graphOf, type SchemaFlags, schemaOptions } from '../schema-flags.js';

interface ConcurrencyFlags extends DatabaseFlags, SchemaFlags {
  design?: string;
  sessions: number;
  steps: number;
  workload: ConcurrencyWorkload;
  seed: number;
  databaseUrl: string;
  json?: boolean;
}

/** `turbo-sim concurrency`: N sessions at once on a server, versions checked at the end. */
export function concurrencyCommand(program: Command): void {
  const cmd = program
    .command('concurrency')
    .description(
      'run several sessions at once on a PostgreSQL server and check that every version ends at its start plus the committed statements that had to bump it; counts deadlocks and serialization failures (retried)',
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
        'random: statements, multi-statement messages and transactions; statements: the same writes one statement each; lock-order: contract vs contract_item writers; cte-order: writable CTEs writing price and machine in opposite orders',
      )
        .choices([...CONCURRENCY_WORKLOADS])
        .default('random'),
    )
    .option('--seed <s>', 'seed of the random workloads', seedValue, 42);
  databaseOptions(schemaOptions(cmd), true)
    .option('--domains <file>', 'with --schema: the cascade, and where the tables are (domain file)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (opts: ConcurrencyFlags) => {
      parseDatabaseUrl(opts.databaseUrl); // before the design is loaded or anything is created
      finished.sofar = () => 'the sessions had not finished, so nothing was judged';
      if (opts.schema?.length && (opts.workload === 'lock-order' || opts.workload === 'cte-order'))
        throw new InputError(
          `--workload ${opts.workload} writes the seed's tables: with --schema use random or statements`,
        );
      const design = loadDesign(designName(opts.design, opts, 'robust'));
      const graph = opts.schema?.length ? await graphOf(opts, openerFrom(opts)) : seedGraph();
      checkDesignFits(design, graph);
      const report = await checkConcurrency({
        design,
        graph,
        url: opts.databaseUrl,
        server: serverFrom(opts),
        sessions: opts.sessions,
        steps: opts.steps,
        seed: opts.seed,
        workload: opts.workload,
        onProgress: (m) => note(m),
      });
      print(opts.json ? JSON.stringify(report, null, 2) : formatConcurrency(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}
