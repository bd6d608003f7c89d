import type { Command } from 'commander';
import { loadDesign } from '../../engine/design/designs.js';
import { seedGraph } from '../../engine/design/domain-file.js';
import { designOver } from '../../engine/design/robust-for-schema.js';
import { InputError } from '../../model/input-error.js';
import { docsFromPage } from '../../report/references.js';
import { formatScenarioReport } from '../../report/scenario.js';
import { scenarioHtml } from '../../report/scenario-html.js';
import { scenarioUnmet } from '../../teaching/scenario-needs.js';
import { findScenario, SCENARIOS } from '../../teaching/scenarios.js';
import { runScenario } from '../../verify/scenario.js';
import { type DatabaseFlags, databaseOptions, openerFrom, print } from '../options.js';
import { checkWritableFile, writeFileWhole } from '../output-file.js';
import { designName, extensionsOf, graphOf, type SchemaFlags, schemaOptions } from '../schema-flags.js';

type RunFlags = DatabaseFlags & SchemaFlags & { design?: string; json?: boolean; html?: string };

/** `turbo-sim run <scenario>`: a fixed scenario, statement by statement, on one design or several side by side. */
export function runCommand(program: Command): void {
  const cmd = program
    .command('run')
    .description(
      'run a named scenario and show, statement by statement, what ran, which functions fired, tracker rows and expected vs observed bumps; ends with why the design broke the promise and what to run next',
    )
    .argument('<scenario>', 'scenario name (see `turbo-sim list`)')
    .option(
      '--design <name|path,...>',
      "built-in design name or path to a .sql file or folder; several, separated by commas, run side by side (default seed; with --schema, none: the schema's own triggers)",
    )
    .option('--domains <file>', 'domain graph as JSON (default: the seed graph)');
  databaseOptions(schemaOptions(cmd))
    .option(
      '--json',
      'print the report as JSON on stdout (an array with several designs); messages are numbered from 1 (`message`), as in the text and the HTML page',
    )
    .option(
      '--html <file>',
      'also write the report as one self-contained HTML page (timeline, version charts)',
    )
    .action(async (name: string, opts: RunFlags) => {
      const scenario = findScenario(name);
      if (!scenario)
        throw new InputError(
          `unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`,
        );
      const named = designName(opts.design, opts, 'seed')
        .split(',')
        .map((d) => loadDesign(d.trim()));
      if (opts.html) checkWritableFile(opts.html, '--html');
      const open = openerFrom(opts, extensionsOf(opts));
      const graph = await graphOf(opts, open);
      if (graph.schema) {
        // On a user's schema, the scenarios whose writes reach its tables and need nothing else of the seed.
        const why = scenarioUnmet(scenario, graph);
        if (why) {
          const fit = SCENARIOS.filter((s) => !scenarioUnmet(s, graph)).map((s) => s.name);
          throw new InputError(
            `scenario ${name} cannot run on this schema: ${why}; the ones that can: ${fit.join(', ') || 'none'}`,
          );
        }
      } else {
        // The scenarios are written for the seed graph: its tables, cascades and builders.
        const missing = seedGraph().domains.filter((d) => !graph.domains.includes(d));
        if (missing.length > 0)
          throw new InputError(
            `scenario ${name} needs the seed graph (sql/graphs/seed.json), and ${opts.domains} lacks its domain(s) ${missing.join(', ')}: run it without --domains`,
          );
      }
      const designs = named.map((d) => designOver(d, graph));
      const reports = [];
      for (const design of designs) reports.push(await runScenario(scenario, design, graph, open));
      const names = reports.map((r) => r.design);
      const json = reports.length === 1 ? reports[0] : reports;
      print(
        opts.json
          ? JSON.stringify(json, null, 2)
          : reports.map((r) => formatScenarioReport(r, names)).join('\n\n'),
      );
      process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
      if (opts.html) {
        writeFileWhole(opts.html, scenarioHtml(reports, { docs: docsFromPage(opts.html) }), '--html');
      }
    });
}
