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

describe('without pg installed', () => {
  it('checks on PGlite, and says what to install for --database-url', () => {
    const cli = installWithoutPg();
    const onPglite = spawnSync(
      process.execPath,
      [cli, 'check', '--design', 'robust', '--runs', '2', '--property', 'batch'],
      {
        encoding: 'utf8',
      },
    );
    expect(onPglite.stderr).not.toMatch(/Cannot find/);
    expect(onPglite.status).toBe(0);
    const onServer = spawnSync(
      process.execPath,
      [cli, 'check', '--design', 'robust', '--database-url', 'postgres://nobody@127.0.0.1:9/none'],
      { encoding: 'utf8' },
    );
    expect(onServer.status).toBe(2);
    expect(onServer.stderr.trim().split('\n')).toEqual([
      'turbo-sim: --database-url needs the optional package pg, which is not installed: npm install pg pg-copy-streams',
    ]);
  });
});
