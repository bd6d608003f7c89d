#!/usr/bin/env node
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type BenchOp,
  DEFAULT_BENCH,
  formatBench,
  formatVerifier,
  runBench,
  runVerifierBench,
} from './bench.js';
import { benchChart } from './chart.js';
import { checkDesign } from './check.js';
import {
  CONCURRENCY_WORKLOADS,
  type ConcurrencyWorkload,
  checkConcurrency,
  formatConcurrency,
} from './concurrency.js';
import { describeViolation } from './counterexample.js';
import { type Database, openPostgres } from './database.js';
import { builtinDesignNames, fullSql, loadDesign } from './designs.js';
import { type DomainGraph, loadDomainGraph, seedGraph } from './domain-graph.js';
import { InputError } from './errors.js';
import { packageRoot } from './package-root.js';
import { BUMP_PROPERTIES } from './properties.js';
import { formatScenarioReport, runScenario } from './run-scenario.js';
import { findScenario, SCENARIOS } from './scenarios.js';

// A thin layer over the library: parse flags, call one function, print. Machine output (--json)
// goes to stdout only, messages to stderr; exit codes: 0 holds, 1 violation, 2 bad input.

const print = (s: string) => process.stdout.write(`${s}\n`);
const note = (s: string) => process.stderr.write(`${s}\n`);

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
    }
    return Number(v);
  };
}

function seedValue(v: string): number {
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Math.abs(Number(v)) > 2 ** 31 - 1) {
    throw new InvalidArgumentError(`seed must be a 32-bit integer, got "${v}"`);
  }
  return Number(v) | 0;
}

/** --database-url: work on a PostgreSQL server (in a database turbo-sim creates and drops) instead of PGlite. */
const databaseUrlOption = () =>
  new Option(
    '--database-url <url>',
    'run on this PostgreSQL server instead of PGlite, inside a fresh database turbo-sim creates and drops (needs CREATEDB)',
  ).env('DATABASE_URL');

function openerFrom(url: string | undefined): (() => Promise<Database>) | undefined {
  return url ? async () => (await openPostgres(url)).db : undefined;
}

function graphFrom(domains: string | undefined): DomainGraph {
  return domains ? loadDomainGraph(domains) : seedGraph();
}

const program = new Command('turbo-sim')
  .description(
    "Executable specification and verifier for batch-safe lazy caching in PostgreSQL: runs a design's SQL in PGlite and checks that every SQL statement bumps each (tenant, domain) version it touches exactly once, cascade included.",
  )
  .version(packageVersion(), '-V, --version', 'print the turbo-sim version')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride();

program
  .command('list')
  .description('list the scenarios `run` knows, one per line (and the designs and properties)')
  .option('--json', 'print a JSON object on stdout')
  .action((opts: { json?: boolean }) => {
    if (opts.json) {
      print(
        JSON.stringify(
          {
            scenarios: SCENARIOS.map((s) => ({ name: s.name, description: s.description })),
            designs: builtinDesignNames().map((d) => ({ name: d, description: loadDesign(d).description })),
            properties: BUMP_PROPERTIES.map((p) => ({ name: p.name, description: p.description })),
          },
          null,
          2,
        ),
      );
      return;
    }
    const width = Math.max(...SCENARIOS.map((s) => s.name.length));
    for (const s of SCENARIOS) print(`${s.name.padEnd(width)}  ${s.description}`);
    note(`\ndesigns: ${builtinDesignNames().join(', ')} (or a path to your own .sql file or folder)`);
  });

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

program
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
  .option('--no-shrink', 'report the first failing workload as found, without shrinking it (faster)')
  .addOption(databaseUrlOption())
  .option('--json', 'print the report as JSON on stdout')
  .action(
    async (opts: {
      design: string;
      domains?: string;
      runs: number;
      seed: number;
      property?: string[];
      path?: string;
      failFast?: boolean;
      shrink: boolean;
      databaseUrl?: string;
      json?: boolean;
    }) => {
      if (opts.path && opts.property?.length !== 1)
        throw new InputError('--path replays one property: give exactly one --property');
      const design = loadDesign(opts.design);
      const report = await checkDesign({
        design,
        graph: graphFrom(opts.domains),
        runs: opts.runs,
        seed: opts.seed,
        ...(opts.property ? { properties: opts.property } : {}),
        ...(opts.path ? { path: opts.path } : {}),
        ...(opts.failFast ? { failFast: true } : {}),
        shrink: opts.shrink,
        ...(opts.databaseUrl ? { open: openerFrom(opts.databaseUrl) } : {}),
        ...(opts.domains ? { extraFlags: `--domains ${opts.domains}` } : {}),
        onProgress: opts.json ? undefined : (e) => e.done || note(`checking ${e.property} ...`),
      });
      process.exitCode = report.ok ? 0 : 1;
      if (opts.json) {
        print(JSON.stringify(report, null, 2));
        return;
      }
      print(
        `design ${report.design} on ${report.backend}: seed ${report.seed}, ${report.runs} runs per property`,
      );
      const width = Math.max(...report.properties.map((p) => p.name.length));
      for (const p of report.properties) {
        const cx = p.counterexample;
        print(
          `  ${p.name.padEnd(width)}  ${p.ok ? 'holds' : 'FAILS'}  ${p.ok ? `${p.runs} runs` : `at run ${p.runs}, ${opts.shrink ? 'shrunk to' : 'found with'} ${cx?.statements ?? '?'} statement(s): ${cx ? describeViolation(cx.violations[0] ?? { kind: 'ERROR', message: 0, statement: '' }) : ''}`}`,
        );
      }
      for (const p of report.properties) {
        if (!p.counterexample) continue;
        print(`\n--- counterexample for ${p.name}\n${p.counterexample.script}`);
      }
      print(
        `${report.ok ? 'all properties hold' : `${report.properties.filter((p) => !p.ok).length} of ${report.properties.length} properties fail`}; ${report.statementsChecked} statements checked in ${(report.elapsedMs / 1000).toFixed(1)} s (${Math.round(report.statementsChecked / (report.elapsedMs / 1000))} statements/s${report.readsChecked ? `; ${report.readsChecked} cached reads, ${Math.round(report.readsChecked / (report.elapsedMs / 1000))}/s` : ''})`,
      );
    },
  );

function numberList(name: string) {
  return (v: string): number[] => {
    const xs = v.split(',').map((x) => x.trim());
    if (xs.some((x) => !/^\d+$/.test(x) || Number(x) < 1))
      throw new InvalidArgumentError(`${name} must be positive integers separated by commas, got "${v}"`);
    return xs.map(Number);
  };
}

program
  .command('bench')
  .description(
    'time one statement per design, batch size, statement kind and tenant count, and report the median cost as a ratio to no trigger',
  )
  .option(
    '--designs <list>',
    'designs to compare, the first is the baseline (mutant:NAME for a mutant)',
    DEFAULT_BENCH.designs.join(','),
  )
  .option('--sizes <list>', 'rows per statement', numberList('--sizes'), DEFAULT_BENCH.sizes)
  .option('--ops <list>', 'statement kinds: insert, update, delete', DEFAULT_BENCH.ops.join(','))
  .option('--tenants <list>', 'tenants per statement', numberList('--tenants'), DEFAULT_BENCH.tenants)
  .option(
    '--reps <n>',
    'timed repetitions per cell (median reported)',
    positiveInt('--reps'),
    DEFAULT_BENCH.reps,
  )
  .option(
    '--loop-rows <n>',
    "rows in the seed's own single-row loop vs batch comparison",
    positiveInt('--loop-rows'),
    DEFAULT_BENCH.loopRows,
  )
  .option('--quick', 'sizes 1,100,10000, INSERT only, 3 repetitions: a first look in well under a minute')
  .option('--chart <file.svg>', 'also draw the cost ratios against batch size as an SVG chart')
  .option(
    '--verifier',
    'measure the verifier instead: start-up vs reset, checked statements per second, time to counterexample',
  )
  .addOption(databaseUrlOption())
  .option('--json', 'print the raw numbers as JSON on stdout')
  .action(
    async (opts: {
      designs: string;
      sizes: number[];
      ops: string;
      tenants: number[];
      reps: number;
      loopRows: number;
      quick?: boolean;
      chart?: string;
      verifier?: boolean;
      databaseUrl?: string;
      json?: boolean;
    }) => {
      const progress = (m: string) => note(m);
      if (opts.verifier) {
        const v = await runVerifierBench(50, openerFrom(opts.databaseUrl), progress);
        print(opts.json ? JSON.stringify(v, null, 2) : formatVerifier(v));
        return;
      }
      const ops = opts.ops.split(',').map((o) => o.trim());
      const bad = ops.find((o) => !['insert', 'update', 'delete'].includes(o));
      if (bad) throw new InputError(`--ops: unknown statement kind "${bad}" (insert, update, delete)`);
      const designs = opts.designs.split(',').map((d) => d.trim());
      const report = await runBench({
        ...DEFAULT_BENCH,
        designs,
        sizes: opts.quick ? [1, 100, 10000] : opts.sizes,
        ops: opts.quick ? ['insert'] : (ops as BenchOp[]),
        tenants: opts.quick ? [1] : opts.tenants,
        reps: opts.quick ? 3 : opts.reps,
        loopRows: opts.loopRows,
        onProgress: progress,
        ...(opts.databaseUrl ? { open: openerFrom(opts.databaseUrl) } : {}),
      });
      if (opts.chart) {
        // Written beside the target and renamed, so a failed run never leaves half a chart.
        const tmp = `${opts.chart}.tmp`;
        writeFileSync(tmp, benchChart(report));
        renameSync(tmp, opts.chart);
        note(`chart written to ${opts.chart}`);
      }
      print(opts.json ? JSON.stringify(report, null, 2) : formatBench(report));
    },
  );

program
  .command('concurrency')
  .description(
    'run several sessions at once on a PostgreSQL server and check that every version ends at its start plus the committed statements that had to bump it; counts deadlocks and serialization failures (retried)',
  )
  .option('--design <name|path>', 'built-in design name or path to a .sql file or folder', 'robust')
  .option('--sessions <n>', 'concurrent sessions', positiveInt('--sessions'), 4)
  .option('--steps <n>', 'workload steps per session', positiveInt('--steps'), 30)
  .addOption(
    new Option(
      '--workload <kind>',
      'random: statements, multi-statement messages and transactions; statements: the same writes one statement each; lock-order: contract vs contract_item writers; cte-order: writable CTEs writing price and machine in opposite orders',
    )
      .choices([...CONCURRENCY_WORKLOADS])
      .default('random'),
  )
  .option('--seed <s>', 'seed of the random workloads', seedValue, 42)
  .addOption(databaseUrlOption().makeOptionMandatory())
  .option('--json', 'print the report as JSON on stdout')
  .action(
    async (opts: {
      design: string;
      sessions: number;
      steps: number;
      workload: ConcurrencyWorkload;
      seed: number;
      databaseUrl: string;
      json?: boolean;
    }) => {
      const report = await checkConcurrency({
        design: loadDesign(opts.design),
        graph: seedGraph(),
        url: opts.databaseUrl,
        sessions: opts.sessions,
        steps: opts.steps,
        seed: opts.seed,
        workload: opts.workload,
        onProgress: (m) => note(m),
      });
      print(opts.json ? JSON.stringify(report, null, 2) : formatConcurrency(report));
      process.exitCode = report.ok ? 0 : 1;
    },
  );

program
  .command('sql')
  .description('print the full SQL of a design (base layer, domain graph, design) to apply with psql')
  .requiredOption('--design <name|path>', 'built-in design name or path to a .sql file or folder')
  .option('--domains <file>', 'domain graph as JSON (default: the seed graph)')
  .action((opts: { design: string; domains?: string }) => {
    print(fullSql(graphFrom(opts.domains), loadDesign(opts.design)));
  });

// `turbo-sim sql ... | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    ) {
      process.exitCode = 0;
    } else if (err.code?.startsWith('commander.')) {
      process.exitCode = 2; // commander already printed the message
    } else if (e instanceof InputError) {
      note(`turbo-sim: ${e.message}`);
      process.exitCode = 2;
    } else {
      note(`turbo-sim: ${err.message ?? String(e)}`);
      process.exitCode = 2;
    }
  }
}

await main();
