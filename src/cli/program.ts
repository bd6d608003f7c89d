import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { checkCommand } from './commands/check.js';
import { concurrencyCommand } from './commands/concurrency.js';
import { listCommand } from './commands/list.js';
import { mergeCommand } from './commands/merge.js';
import { playgroundCommand } from './commands/playground.js';
import { runCommand } from './commands/run.js';
import { sqlCommand } from './commands/sql.js';
import { debugWanted, EXIT, endingOf } from './exit.js';
import { note, packageVersion, print } from './options.js';

/** Adds one command to the program. */
export type AddCommand = (program: Command) => void;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: AddCommand[] = [
  listCommand,
  runCommand,
  checkCommand,
  mergeCommand,
  benchCommand,
  concurrencyCommand,
  sqlCommand,
  playgroundCommand,
];

/** The `turbo-sim` program with the given commands (all of them by default). */
export function buildProgram(commands: AddCommand[] = COMMANDS): Command {
  const program = new Command('turbo-sim')
    .description(
      "Executable specification and verifier for batch-safe lazy caching in PostgreSQL: runs a design's SQL in PGlite and checks that every SQL statement bumps each (tenant, domain) version it touches exactly once, cascade included. Exit codes: 0 holds, 1 violation, 2 bad input or environment, 70 a bug in turbo-sim.",
    )
    .version(packageVersion(), '-V, --version', 'print the turbo-sim version')
    .option('--debug', 'on an internal error, print its stack (also TURBO_SIM_DEBUG=1)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();
  for (const add of commands) add(program);
  return program;
}

/**
 * The end of a run that did not reach a verdict: one line on stderr, and with --json one document on
 * stdout, `{"error": "...", "exit": N}`, so that a script always has something to parse.
 */
export function fail(argv: string[], message: string, exit: number): number {
  note(`turbo-sim: ${message}`);
  if (argv.includes('--json')) print(JSON.stringify({ error: message, exit }));
  return exit;
}

/**
 * Parses `argv` (as `process.argv`: node, script, arguments) and runs its command. Returns the exit
 * code of a run that ended in an error; a command that reached a verdict sets `process.exitCode`
 * itself and this returns undefined. `stopped` says a signal is ending the run: what the interrupted
 * command throws then is not reported.
 */
export async function runCli(
  program: Command,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  stopped: () => boolean = () => false,
): Promise<number | undefined> {
  const names = program.commands.map((c) => c.name());
  const [first, second] = argv.slice(2);
  if (first === undefined || (first === 'help' && second !== undefined && !names.includes(second))) {
    program.outputHelp({ error: true });
    return fail(
      argv,
      first ? `unknown command "${second}" (${names.join(', ')})` : 'no command given',
      EXIT.input,
    );
  }
  try {
    await program.parseAsync(argv);
    return undefined;
  } catch (e) {
    if (stopped()) return undefined;
    const err = e as { code?: string; message?: string };
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    )
      return EXIT.holds;
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      // commander already printed the message on stderr
      if (argv.includes('--json'))
        print(JSON.stringify({ error: (err.message ?? '').replace(/^error: /, ''), exit: EXIT.input }));
      return EXIT.input;
    }
    const ending = endingOf(e);
    const code = fail(argv, ending.message, ending.exit);
    if (ending.exit === EXIT.bug && debugWanted(argv, env) && e instanceof Error && e.stack) note(e.stack);
    return code;
  }
}
