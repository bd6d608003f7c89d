import type { Command } from 'commander';
import { builtinDesignNames, loadDesign } from '../../engine/designs.js';
import { BUMP_PROPERTIES } from '../../spec/properties.js';
import { SCENARIOS } from '../../spec/scenarios.js';
import { note, print } from '../options.js';

/** `turbo-sim list`: the scenarios, and with --json the designs and properties too. */
export function listCommand(program: Command): void {
  program
    .command('list')
    .description('list the scenarios `run` knows, one per line (and the designs and properties)')
    .option('--json', 'print a JSON object on stdout')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const doc = {
          scenarios: SCENARIOS.map((s) => ({ name: s.name, description: s.description })),
          designs: builtinDesignNames().map((d) => ({ name: d, description: loadDesign(d).description })),
          properties: BUMP_PROPERTIES.map((p) => ({ name: p.name, description: p.description })),
        };
        print(JSON.stringify(doc, null, 2));
        return;
      }
      const width = Math.max(...SCENARIOS.map((s) => s.name.length));
      for (const s of SCENARIOS) print(`${s.name.padEnd(width)}  ${s.description}`);
      note(`\ndesigns: ${builtinDesignNames().join(', ')} (or a path to your own .sql file or folder)`);
    });
}
