import { InputError } from '../model/input-error.js';

/**
 * turbo-sim's exit codes. 2 is for what the user can fix (input, environment); 70 (EX_SOFTWARE of
 * sysexits.h) for a fault in turbo-sim itself, so that a crash never looks like bad input to a
 * script or a test that checks for exit 2.
 */
export const EXIT = { holds: 0, violation: 1, input: 2, bug: 70 } as const;

/** Node's system-call errors (a missing file, a full disk, a refused connection) come from the environment. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && 'syscall' in e;
}

/** How an error that reached the top of a command ends the process. */
export interface Ending {
  exit: typeof EXIT.input | typeof EXIT.bug;
  /** One line for stderr (and the `error` of `--json`). */
  message: string;
}

/**
 * Sorts an error that escaped a command: the user's input or environment (exit 2, its message as it
 * is), or a bug (exit 70, said to be one). The stack is for `--debug`, printed by the caller.
 */
export function endingOf(e: unknown): Ending {
  if (e instanceof InputError) return { exit: EXIT.input, message: e.message };
  if (isSystemError(e)) return { exit: EXIT.input, message: e.message };
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    exit: EXIT.bug,
    message: `internal error, a bug in turbo-sim and not in your input: ${what} (please report it with the command you ran and the stack that --debug or TURBO_SIM_DEBUG=1 prints; see "Reporting a bug" in the README)`,
  };
}

/** True when the user asked for stacks: `--debug` anywhere on the command line, or TURBO_SIM_DEBUG set to anything but 0. */
export function debugWanted(argv: string[], env: NodeJS.ProcessEnv): boolean {
  const v = env.TURBO_SIM_DEBUG;
  return argv.includes('--debug') || (v !== undefined && v !== '' && v !== '0');
}
