#!/usr/bin/env node
import { Command } from 'commander';
import { InputError } from '../spec/input-error.js';
import { benchCommand } from './commands/bench.js';
import { checkCommand } from './commands/check.js';
import { concurrencyCommand } from './commands/concurrency.js';
import { listCommand } from './commands/list.js';
import { runCommand } from './commands/run.js';
import { sqlCommand } from './commands/sql.js';
import { note, packageVersion } from './options.js';

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

for (const add of [listCommand, runCommand, checkCommand, benchCommand, concurrencyCommand, sqlCommand])
  add(program);

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
