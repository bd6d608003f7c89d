#!/usr/bin/env node
import { Command } from 'commander';
import { abandonAll } from '../engine/teardown.js';
import { benchCommand } from './commands/bench.js';
import { checkCommand } from './commands/check.js';
import { concurrencyCommand } from './commands/concurrency.js';
import { listCommand } from './commands/list.js';
import { mergeCommand } from './commands/merge.js';
import { runCommand } from './commands/run.js';
import { sqlCommand } from './commands/sql.js';
import { finished, note, packageVersion, print } from './options.js';

// A thin layer over the library: each command parses its flags, calls one function, prints a
// report. Exit codes: 0 holds, 1 violation, 2 bad input or environment.

const program = new Command('turbo-sim')
  .description(
    "Executable specification and verifier for batch-safe lazy caching in PostgreSQL: runs a design's SQL in PGlite and checks that every SQL statement bumps each (tenant, domain) version it touches exactly once, cascade included.",
  )
  .version(packageVersion(), '-V, --version', 'print the turbo-sim version')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride();

for (const add of [
  listCommand,
  runCommand,
  checkCommand,
  mergeCommand,
  benchCommand,
  concurrencyCommand,
  sqlCommand,
])
  add(program);

// `turbo-sim sql ... | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

/**
 * The end of a run that did not reach a verdict: one line on stderr, and with --json one document on
 * stdout, `{"error": "...", "exit": N}`, so that a script always has something to parse.
 */
function fail(message: string, exit: number): void {
  note(`turbo-sim: ${message}`);
  if (process.argv.includes('--json')) print(JSON.stringify({ error: message, exit }));
  process.exitCode = exit;
}

// SIGINT and SIGTERM: say what had finished, abandon every open database (PGlite workers
// terminated, server databases dropped through a fresh connection, which also ends their
// backends), and exit 128 + the signal's number. Whatever the interrupted run throws meanwhile is
// not reported.
let stopping = false;
for (const [signal, exit] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    fail(`stopped by ${signal}; ${finished.sofar()}`, exit);
    void abandonAll().finally(() => process.exit(exit));
  });
}

const commandNames = () => program.commands.map((c) => c.name());

async function main(): Promise<void> {
  const [first, second] = process.argv.slice(2);
  if (first === undefined || (first === 'help' && second !== undefined && !commandNames().includes(second))) {
    program.outputHelp({ error: true });
    fail(first ? `unknown command "${second}" (${commandNames().join(', ')})` : 'no command given', 2);
    return;
  }
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (stopping) return;
    const err = e as { code?: string; message?: string };
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    ) {
      process.exitCode = 0;
    } else if (err.code?.startsWith('commander.')) {
      // commander already printed the message on stderr
      if (process.argv.includes('--json'))
        print(JSON.stringify({ error: (err.message ?? '').replace(/^error: /, ''), exit: 2 }));
      process.exitCode = 2;
    } else {
      fail(err.message ?? String(e), 2);
    }
  }
}

await main();
