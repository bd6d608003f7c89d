import { type Command, Option } from 'commander';
import { loadDesign } from '../../engine/designs.js';
import { checkJson, formatCheck } from '../../report/check.js';
import { checkHtml } from '../../report/check-html.js';
import { checkJunit } from '../../report/junit.js';
import { checkTap } from '../../report/tap.js';
import { InputError } from '../../spec/input-error.js';
import { BUMP_PROPERTIES } from '../../spec/properties.js';
import { type CheckReport, checkDesign } from '../../verify/check.js';
import {
  type DatabaseFlags,
  databaseOptions,
  finished,
  graphFrom,
  note,
  openerFrom,
  positiveInt,
  print,
  seedValue,
} from '../options.js';
import { checkWritableFile, writeFileWhole } from '../output-file.js';

interface CheckFlags extends DatabaseFlags {
  design: string;
  domains?: string;
  runs: number;
  seed: number;
  property?: string[];
  path?: string;
  failFast?: boolean;
  shrink: boolean;
  json?: boolean;
  html?: string;
  reporter: Reporter;
}

type Reporter = 'text' | 'json' | 'junit' | 'tap';

/** The report in the format asked for. */
function render(report: CheckReport, reporter: Reporter, shrunk: boolean): string {
  if (reporter === 'json') return JSON.stringify(checkJson(report), null, 2);
  if (reporter === 'junit') return checkJunit(report);
  if (reporter === 'tap') return checkTap(report);
  return formatCheck(report, { shrunk });
}

/** `turbo-sim check`: the properties against a design, with shrunk counterexamples. */
export function checkCommand(program: Command): void {
  const cmd = program
    .command('check')
    .description(
      'check a design against the one-bump-per-statement properties with random workloads; exit 0 when all hold, 1 with a shrunk counterexample when one does not',
    )
    .option('--design <name|path>', 'built-in design name or path to a .sql file or folder', 'robust')
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
    .option('--no-shrink', 'report the first failing workload as found, without shrinking it (faster)');
  databaseOptions(cmd)
    .option('--json', 'print the report as JSON on stdout (the same as --reporter json)')
    .addOption(
      new Option(
        '--reporter <format>',
        'report format on stdout: text, json, junit (JUnit XML for CI test views) or tap (TAP version 14)',
      )
        .choices(['text', 'json', 'junit', 'tap'])
        .default('text'),
    )
    .option('--html <file>', 'also write the report as one self-contained HTML page (grid, counterexamples)')
    .action(async (opts: CheckFlags) => {
      const reporter: Reporter = opts.json ? 'json' : opts.reporter;
      // `--property batch batch` checks batch once.
      const properties = opts.property && [...new Set(opts.property)];
      if (opts.path && properties?.length !== 1)
        throw new InputError('--path replays one property: give exactly one --property');
      if (opts.html) checkWritableFile(opts.html, '--html');
      const open = openerFrom(opts);
      const done: string[] = [];
      let current = { property: '', runs: 0 };
      finished.sofar = () =>
        `finished: ${done.join(', ') || 'no property'}${current.property ? `; ${current.property} had run ${current.runs} workload(s)` : ''}`;
      const report = await checkDesign({
        design: loadDesign(opts.design),
        graph: graphFrom(opts.domains),
        runs: opts.runs,
        seed: opts.seed,
        ...(properties ? { properties } : {}),
        ...(opts.path ? { path: opts.path } : {}),
        ...(opts.failFast ? { failFast: true } : {}),
        shrink: opts.shrink,
        open,
        onProgress: (e) => {
          if (e.done) done.push(`${e.property} ${e.ok ? 'holds' : 'FAILS'}`);
          current = { property: e.done ? '' : e.property, runs: 0 };
          if (reporter === 'text' && !e.done) note(`checking ${e.property} ...`);
        },
        onRun: (runs) => {
          current.runs = runs;
        },
      });
      if (opts.html) {
        writeFileWhole(opts.html, checkHtml(report));
        note(`HTML report written to ${opts.html}`);
      }
      process.exitCode = report.ok ? 0 : 1;
      print(render(report, reporter, opts.shrink));
    });
}
