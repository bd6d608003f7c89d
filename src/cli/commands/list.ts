import type { Command } from 'commander';
import { builtinDesignNames, loadDesign } from '../../engine/design/designs.js';
import { BUMP_PROPERTIES } from '../../model/properties.js';
import { formatScenarioList, scenarioListJson } from '../../report/scenario-list.js';
import { START_SCENARIO } from '../../teaching/lessons.js';
import { note, print } from '../options.js';

/** `turbo-sim list`: the scenarios along the learning path, and with --json the designs and properties too. */
export function listCommand(program: Command): void {
  program
    .command('list')
    .description(
      'list the scenarios `run` knows, grouped along the learning path, marking where to start (and the designs and properties)',
    )
    .option('--json', 'print a JSON object on stdout')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const doc = {
          scenarios: scenarioListJson(),
          designs: builtinDesignNames().map((d) => ({ name: d, description: loadDesign(d).description })),
          properties: BUMP_PROPERTIES.map((p) => ({ name: p.name, description: p.description })),
        };
        print(JSON.stringify(doc, null, 2));
        return;
      }
      print(formatScenarioList());
      note(`\nstart with: npx turbo-sim run ${START_SCENARIO}`);
      note(`designs: ${builtinDesignNames().join(', ')} (or a path to your own .sql file or folder)`);
    });
}
