import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../model/input-error.js';
import { readCheckBlob } from '../../report/blob.js';
import { wasShrunk } from '../../report/check.js';
import { mergeShards } from '../../verify/merge.js';
import { print } from '../options.js';
import { type Reporter, renderCheck, reporterFrom, reporterOptions } from '../reporters.js';

/** `turbo-sim merge`: shard reports (check --shard i/n --reporter blob) added up into the unsharded report. */
export function mergeCommand(program: Command): void {
  const cmd = program
    .command('merge')
    .description(
      'combine the blob reports of every shard of one check (check --shard i/n --reporter blob) into the report the unsharded check gives; exit 0 when all hold, 1 when one fails',
    )
    .argument('<blob...>', 'shard reports, one file per shard, in any order');
  reporterOptions(cmd).action((files: string[], opts: { json?: boolean; reporter: Reporter }) => {
    const reporter = reporterFrom(opts);
    if (reporter === 'blob')
      throw new InputError('merge prints the merged report: --reporter blob is for shards');
    const reports = files.map((f) => {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        throw new InputError(
          `cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      return readCheckBlob(text, f);
    });
    const report = mergeShards(reports);
    process.exitCode = report.ok ? 0 : 1;
    print(renderCheck(report, reporter, wasShrunk(report)));
  });
}
