import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { checkJson } from '../../src/report/check.js';
import { checkDesign } from '../../src/verify/check.js';

// pg is an optional peer dependency: the built package, installed without it, must check designs on
// PGlite and refuse --database-url with one line saying what to install. Its two processes are also
// where the built binary's exit codes are proved, as a user's script sees them: 1 on a violation, 2
// with one JSON document for an error (cli.test.ts and limits.test.ts run the rest in their process).
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

/** Runs a script without blocking this process, which meanwhile checks the same design itself. */
function node(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

describe('without pg installed', () => {
  let cli = '';
  beforeAll(() => {
    cli = installWithoutPg();
  });

  it('checks on PGlite: a violation as JSON with exit 1, the same report for the same seed as the library gives here', async () => {
    // The same seed gives the same report whatever else runs: the built binary in its process, and
    // at the same time the library in this one.
    const [onPglite, here] = await Promise.all([
      node([
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
      ]),
      checkDesign({ design: loadDesign('seed'), properties: ['upsert'], runs: 20, seed: 7, shrink: false }),
    ]);
    expect(onPglite.stderr).not.toMatch(/Cannot find/);
    expect(onPglite.status).toBe(1);
    const report = JSON.parse(onPglite.stdout);
    expect(report).toMatchObject({ design: 'seed', ok: false, runs: 20, seed: 7 });
    expect(report.violations[0]).toMatchObject({
      kind: 'MISSED',
      domain: expect.any(String),
      tenant: expect.any(String),
    });
    expect(report.counterexample).toContain('ON CONFLICT (id) DO UPDATE');
    const second = checkJson(here);
    expect(second.counterexample).toEqual(report.counterexample);
    expect(second.violations).toEqual(report.violations);
  });

  it('says what to install for --database-url: one line on stderr, one JSON document, exit 2', () => {
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
