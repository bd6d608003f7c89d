import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// pg is an optional peer dependency: the built package, installed without it, must check designs on
// PGlite and refuse --database-url with one line saying what to install.
const root = mkdtempSync(join(tmpdir(), 'turbo-sim-no-pg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function installWithoutPg(): string {
  for (const part of ['dist', 'sql', 'schema', 'package.json'])
    cpSync(resolve(part), join(root, part), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(resolve('node_modules')))
    if (!['pg', 'pg-copy-streams', '.bin'].includes(name))
      symlinkSync(resolve('node_modules', name), join(root, 'node_modules', name));
  return join(root, 'dist/cli/main.js');
}

// The built binary as a user runs it, exit codes and all: the one process of a check that finds a
// violation (cli.test.ts checks the same report in this process) and of an error with --json
// (limits.test.ts checks the rest of them in this process).
describe('without pg installed', () => {
  it('checks on PGlite, exit 1 on a violation, and says what to install for --database-url, exit 2', () => {
    const cli = installWithoutPg();
    const onPglite = spawnSync(
      process.execPath,
      [
        cli,
        'check',
        '--design',
        'seed',
        '--property',
        'upsert',
        '--runs',
        '20',
        '--seed',
        '7',
        '--no-shrink',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(onPglite.stderr).not.toMatch(/Cannot find/);
    expect(onPglite.status).toBe(1);
    const report = JSON.parse(onPglite.stdout);
    expect(report).toMatchObject({ design: 'seed', ok: false, runs: 20, seed: 7 });
    expect(report.counterexample).toContain('ON CONFLICT (id) DO UPDATE');
    const onServer = spawnSync(
      process.execPath,
      [cli, 'check', '--design', 'robust', '--database-url', 'postgres://nobody@127.0.0.1:9/none', '--json'],
      { encoding: 'utf8' },
    );
    const message =
      '--database-url needs the optional package pg, which is not installed: npm install pg pg-copy-streams';
    expect(onServer.status).toBe(2);
    expect(onServer.stderr.trim().split('\n')).toEqual([`turbo-sim: ${message}`]);
    expect(JSON.parse(onServer.stdout)).toEqual({ error: message, exit: 2 });
  });
});
