import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadDesign } from '../../engine/design/designs.js';
import { designOver } from '../../engine/design/robust-for-schema.js';
import { InputError } from '../../model/input-error.js';
import { BUMP_PROPERTIES } from '../../model/properties.js';
import { checkHtml } from '../../report/check-html.js';
import { pgtapFiles } from '../../report/pgtap-files.js';
import { docsFromPage } from '../../report/references.js';
import { checkDesign, type Shard, shardIndices, workersWithin } from '../../verify/check.js';
import { regressionSuite } from '../../verify/regression-suite.js';
import {
  type DatabaseFlags,
  databaseOptions,
  finished,
  note,
  openerFrom,
  positiveInt,
  print,
  seedValue,
} from '../options.js';
import { checkWritableFile, writeFileWhole } from '../output-file.js';
import { checkPgtapDir, writePgtapDir } from '../pgtap-dir.js';
import { checkProgress } from '../progress.js';
import { type Reporter, renderCheck, reporterFrom, reporterOptions } from '../reporters.js';
import { designName, extensionsOf, graphOf, type SchemaFlags, schemaOptions } from '../schema-flags.js';

/** A commander parser for --workers: a positive integer or auto. */
function workersFlag(v: string): number | 'auto' {
  return v === 'auto' ? 'auto' : positiveInt('--workers')(v);
}

interface CheckFlags extends DatabaseFlags, SchemaFlags {
  design?: string;
  domains?: string;
  runs: number;
  seed: number;
  property?: string[];
  path?: string;
  failFast?: boolean;
  shrink: boolean;
  workers: number | 'auto';
  shard?: Shard;
  json?: boolean;
  html?: string;
  pgtap?: string;
  reporter: Reporter;
}

/** A commander parser for --shard i/n. */
function shardFlag(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const [index, count] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || count < 1 || index < 1 || index > count)
    throw new InvalidArgumentError(`--shard must be i/n with 1 <= i <= n, got "${v}"`);
  return { index, count };
}

/** `turbo-sim check`: the properties against a design, with shrunk counterexamples. */
export function checkCommand(program: Command): void {
  const cmd = program
    .command('check')
    .description(
      'check a design against the one-bump-per-statement properties with random workloads; exit 0 when all hold, 1 with a shrunk counterexample when one does not',
    )
    .option(
      '--design <name|path>',
      "built-in design name or path to a .sql file or folder (default robust; with --schema, none: the schema's own triggers)",
    )
    .option(
      '--domains <file>',
      'domain graph as JSON: {"domains": [...], "cascade": [[source, target], ...], "transitive": false}',
    )
    .option('--runs <n>', 'random workloads per property', positiveInt('--runs'), 100)
    .option('--seed <s>', 'fast-check seed; the same seed gives the same workloads and report', seedValue, 42)
    .addOption(
      new Option('--property <name...>', 'check only these properties').choices(
        BUMP_PROPERTIES.map((p) => p.name),
      ),
    )
    .option('--path <path>', 'fast-check replay path printed with a counterexample (needs one --property)')
    .option('--fail-fast', 'stop at the first property that fails')
    .option('--no-shrink', 'report the first failing workload as found, without shrinking it (faster)')
    .option(
      '--workers <n|auto>',
      "databases checking runs side by side (PGlite: each on its own thread; a server: copies of the run's database, made after the design is installed and dropped with it); the report is the same for any number. auto: one per core, but one per 100 runs at most (a copy of the database costs about 50 runs)",
      workersFlag,
      'auto',
    )
    .option(
      '--shard <i/n>',
      'check only every n-th run of each property, starting at run i-1 (CI machines in parallel); combine the shards with turbo-sim merge',
      shardFlag,
    );
  reporterOptions(databaseOptions(schemaOptions(cmd)))
    .option('--html <file>', 'also write the report as one self-contained HTML page (grid, counterexamples)')
    .option(
      '--pgtap <dir>',
      'also write pgTAP files for pg_prove into this folder: one per counterexample when a property fails; when all hold, a regression suite of a few shrunk workloads per property (back-to-back, which depends on the clock, is left out)',
    )
    .action(async (opts: CheckFlags) => {
      const reporter = reporterFrom(opts);
      if (reporter === 'blob' && !opts.shard)
        throw new InputError('--reporter blob is for shards: give --shard i/n');
      if (opts.shard && opts.path) throw new InputError('--path replays one run: it takes no --shard');
      // `--property batch batch` checks batch once.
      const properties = opts.property && [...new Set(opts.property)];
      if (opts.path && properties?.length !== 1)
        throw new InputError('--path replays one property: give exactly one --property');
      if (opts.html) checkWritableFile(opts.html, '--html');
      if (opts.pgtap && opts.shard)
        throw new InputError('--pgtap needs the whole check: it takes no --shard');
      if (opts.pgtap) checkPgtapDir(opts.pgtap);
      if (opts.workers !== 'auto') {
        const { capped } = workersWithin(opts.workers, shardIndices(opts.runs, opts.shard).length);
        if (capped) note(capped);
      }
      const open = openerFrom(opts, extensionsOf(opts));
      // At a terminal the progress line says what the "checking ..." lines say elsewhere.
      const live = reporter === 'text' && process.stdout.isTTY === true && process.stderr.isTTY === true;
      const progress = checkProgress(live, shardIndices(opts.runs, opts.shard).length);
      const done: string[] = [];
      let current = { property: '', runs: 0 };
      finished.sofar = () => {
        progress.interrupted();
        return `finished: ${done.join(', ') || 'no property'}${current.property ? `; ${current.property} had run ${current.runs} workload(s)` : ''}`;
      };
      const named = loadDesign(designName(opts.design, opts, 'robust'));
      const graph = await graphOf(opts, open);
      const design = designOver(named, graph);
      const report = await checkDesign({
        design,
        graph,
        runs: opts.runs,
        seed: opts.seed,
        ...(properties ? { properties } : {}),
        ...(opts.path ? { path: opts.path } : {}),
        ...(opts.failFast ? { failFast: true } : {}),
        shrink: opts.shrink,
        workers: opts.workers,
        ...(opts.shard ? { shard: opts.shard } : {}),
        open,
        onProgress: (e) => {
          if (e.done) done.push(`${e.property} ${e.ok ? 'holds' : 'FAILS'}`);
          current = { property: e.done ? '' : e.property, runs: 0 };
          if (reporter === 'text' && !e.done && !live) note(`checking ${e.property} ...`);
          progress.onProgress?.(e);
        },
        onRun: (runs) => {
          current.runs = runs;
          progress.onRun?.(runs);
        },
      });
      process.exitCode = report.ok ? 0 : 1;
      print(renderCheck(report, reporter, opts.shrink));
      if (opts.html) {
        writeFileWhole(opts.html, checkHtml(report, { docs: docsFromPage(opts.html) }), '--html');
      }
      if (opts.pgtap) {
        const suite = report.ok ? regressionSuite(report, graph) : [];
        writePgtapDir(opts.pgtap, pgtapFiles(report, graph, suite));
      }
    });
}
