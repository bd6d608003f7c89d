import type { Command } from 'commander';
import { loadDesign } from '../../engine/designs.js';
import { formatScenarioReport } from '../../report/scenario.js';
import { InputError } from '../../spec/input-error.js';
import { findScenario, SCENARIOS } from '../../spec/scenarios.js';
import { runScenario } from '../../verify/scenario.js';
import { databaseUrlOption, graphFrom, openerFrom, print } from '../options.js';

/** `turbo-sim run <scenario>`: a fixed scenario, statement by statement. */
export function runCommand(program: Command): void {
  program
    .command('run')
    .description(
      'run a named scenario and show, statement by statement, what ran, which functions fired, tracker rows and expected vs observed bumps',
    )
    .argument('<scenario>', 'scenario name (see `turbo-sim list`)')
    .option('--design <name|path>', 'built-in design name or path to a .sql file or folder', 'seed')
    .option('--domains <file>', 'domain graph as JSON (default: the seed graph)')
    .addOption(databaseUrlOption())
    .option('--json', 'print the report as JSON on stdout')
    .action(
      async (
        name: string,
        opts: { design: string; domains?: string; databaseUrl?: string; json?: boolean },
      ) => {
        const scenario = findScenario(name);
        if (!scenario)
          throw new InputError(
            `unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`,
          );
        const report = await runScenario(
          scenario,
          loadDesign(opts.design),
          graphFrom(opts.domains),
          openerFrom(opts.databaseUrl),
        );
        print(opts.json ? JSON.stringify(report, null, 2) : formatScenarioReport(report));
        process.exitCode = report.ok ? 0 : 1;
      },
    );
}
