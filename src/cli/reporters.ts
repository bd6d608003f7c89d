import { type Command, Option } from 'commander';
import { checkBlob } from '../report/blob.js';
import { checkJson, formatCheck } from '../report/check.js';
import { checkJunit } from '../report/junit.js';
import { checkTap } from '../report/tap.js';
import type { CheckReport } from '../verify/check.js';

/** The formats a check report is printed in, by `check` and by `merge`. */
export type Reporter = 'text' | 'json' | 'junit' | 'tap' | 'blob';

/** Adds --json and --reporter to a command that prints a check report. */
export function reporterOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print the report as JSON on stdout (the same as --reporter json)')
    .addOption(
      new Option(
        '--reporter <format>',
        'report format on stdout: text, json, junit (JUnit XML for CI test views), tap (TAP version 14) or blob (the whole report, for turbo-sim merge)',
      )
        .choices(['text', 'json', 'junit', 'tap', 'blob'])
        .default('text'),
    );
}

/** The reporter the flags ask for (--json wins). */
export const reporterFrom = (f: { json?: boolean; reporter: Reporter }): Reporter =>
  f.json ? 'json' : f.reporter;

/** The report in the format asked for. */
export function renderCheck(report: CheckReport, reporter: Reporter, shrunk: boolean): string {
  if (reporter === 'json') return JSON.stringify(checkJson(report), null, 2);
  if (reporter === 'junit') return checkJunit(report);
  if (reporter === 'tap') return checkTap(report);
  if (reporter === 'blob') return checkBlob(report);
  return formatCheck(report, { shrunk });
}
