import type { Command } from 'commander';
import { loadDesign } from '../../engine/design/designs.js';
import { designOver } from '../../engine/design/robust-for-schema.js';
import { fullSql } from '../../engine/design/sql-files.js';
import { openPGlite } from '../../engine/pglite/adapter.js';
import { print } from '../options.js';
import { extensionsOf, graphOf, type SchemaFlags, schemaOptions } from '../schema-flags.js';

/** `turbo-sim sql`: the full SQL of a design, to apply with psql. */
export function sqlCommand(program: Command): void {
  const cmd = program
    .command('sql')
    .description(
      'print the full SQL of a design (base layer, domain graph, design) to apply with psql; with --schema, what to apply over that schema',
    )
    .requiredOption('--design <name|path>', 'built-in design name or path to a .sql file or folder')
    .option('--domains <file>', 'domain graph as JSON (default: the seed graph)');
  schemaOptions(cmd).action(async (opts: SchemaFlags & { design: string }) => {
    // A schema is read from its catalog, in a PGlite database opened for that and closed.
    const named = loadDesign(opts.design);
    const graph = await graphOf(opts, () => openPGlite({}, extensionsOf(opts)));
    const design = designOver(named, graph);
    print(fullSql(graph, design));
  });
}
