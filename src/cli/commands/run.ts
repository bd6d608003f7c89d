import type { Command } from 'commander';
import { loadDesign } from '../../engine/designs.js';
import { seedGraph } from '../../engine/domain-file.js';
import { formatScenarioReport } from '../../report/scenario.js';
import { InputError } from '../../spec/input-error.js';
import { findScenario, SCENARIOS } from '../../spec/scenarios.js';
import { runScenario } from '../../verify/scenario.js';
import { type DatabaseFlags, databaseOptions, graphFrom, openerFrom, print } from '../options.js';

/** `turbo-sim run <scenario>`: a fixed scenario, statement by statement. */
export function runCommand(program: Command): void {
  const cmd = program
    .command('run')
    .description(
      'run a named scenario and show, statement by statement, what ran, which functions fired, tracker rows and expected vs observed bumps',
    )
    .argument('<scenario>', 'scenario name (see `turbo-sim list`)')
    .option('--design <name|path>', 'built-in design name or path to a .sql file or folder', 'seed')
    .option('--domains <file>', 'domain graph as JSON (default: the seed graph)');
  databaseOptions(cmd)
    .option('--json', 'print the report as JSON on stdout')
    .action(
      async (name: string, opts: DatabaseFlags & { design: string; domains?: string; json?: boolean }) => {
        const scenario = findScenario(name);
        if (!scenario)
          throw new InputError(
            `unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`,
          );
        const graph = graphFrom(opts.domains);
        // The scenarios are written for the seed graph: its tables, cascades and builders.
        const missing = seedGraph().domains.filter((d) => !graph.domains.includes(d));
        if (missing.length > 0)
          throw new InputError(
            `scenario ${name} needs the seed graph (sql/graphs/seed.json), and ${opts.domains} lacks its domain(s) ${missing.join(', ')}: run it without --domains`,
          );
        const report = await runScenario(scenario, loadDesign(opts.design), graph, openerFrom(opts));
        print(opts.json ? JSON.stringify(report, null, 2) : formatScenarioReport(report));
        process.exitCode = report.ok ? 0 : 1;
      },
    );
}
