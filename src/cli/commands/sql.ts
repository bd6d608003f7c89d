import type { Command } from 'commander';
import { loadDesign } from '../../engine/design/designs.js';
import { fullSql } from '../../engine/design/sql-files.js';
import { graphFrom, print } from '../options.js';

/** `turbo-sim sql`: the full SQL of a design, to apply with psql. */
export function sqlCommand(program: Command): void {
  program
    .command('sql')
    .description('print the full SQL of a design (base layer, domain graph, design) to apply with psql')
    .requiredOption('--design <name|path>', 'built-in design name or path to a .sql file or folder')
    .option('--domains <file>', 'domain graph as JSON (default: the seed graph)')
    .action((opts: { design: string; domains?: string }) => {
      print(fullSql(graphFrom(opts.domains), loadDesign(opts.design)));
    });
}
