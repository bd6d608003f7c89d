import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { debugWanted, EXIT, endingOf } from '../../src/cli/exit.js';
import { buildProgram, runCli } from '../../src/cli/program.js';
import { InputError } from '../../src/model/input-error.js';

// A fault inside a command must not pass for bad input: a script (or the CLI test of 15 bad inputs)
// that checks for exit 2 would otherwise accept a crash.
const failing = (error: () => unknown) => (program: Command) => {
  program.addCommand(
    new Command('explode').option('--json', 'one JSON document').action(() => {
      throw error();
    }),
  );
};

async function run(error: () => unknown, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    lines.push(String(s));
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    lines.push(`stdout:${String(s)}`);
    return true;
  });
  const code = await runCli(buildProgram([failing(error)]), ['node', 'turbo-sim', 'explode', ...args], env);
  vi.restoreAllMocks();
  return { code, out: lines.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('exit codes', () => {
  it('ends a TypeError inside a command with 70, saying it is a bug, stack only with --debug', async () => {
    const bug = () => (undefined as unknown as { x: number }).x;
    const plain = await run(bug);
    expect(plain.code).toBe(EXIT.bug);
    expect(plain.out).toContain('internal error, a bug in turbo-sim');
    expect(plain.out).toContain('TypeError');
    expect(plain.out).not.toMatch(/\n\s+at /);
    const debug = await run(bug, ['--debug']);
    expect(debug.code).toBe(70);
    expect(debug.out).toMatch(/\n\s+at /);
    expect((await run(bug, [], { TURBO_SIM_DEBUG: '1' })).out).toMatch(/\n\s+at /);
  });

  it('ends bad input and the environment with 2 and their own message', async () => {
    const input = await run(() => new InputError('unknown design "nope"'), ['--json']);
    expect(input.code).toBe(EXIT.input);
    expect(input.out).toContain('turbo-sim: unknown design "nope"');
    expect(input.out).toContain('stdout:{"error":"unknown design \\"nope\\"","exit":2}');
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open 'x.sql'"), {
      code: 'ENOENT',
      syscall: 'open',
    });
    expect(endingOf(missing).exit).toBe(EXIT.input);
    // Not every error with a code is the environment's: only Node's system-call errors are.
    expect(endingOf(Object.assign(new Error('x'), { code: 'ERR_ASSERTION' })).exit).toBe(EXIT.bug);
  });

  it('takes --debug anywhere and TURBO_SIM_DEBUG but 0', () => {
    expect(debugWanted(['node', 'x', 'check', '--debug'], {})).toBe(true);
    expect(debugWanted(['node', 'x'], { TURBO_SIM_DEBUG: '0' })).toBe(false);
    expect(debugWanted(['node', 'x'], {})).toBe(false);
  });
});
