import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cliAsync, cliHere } from '../support/fixtures.js';

// Issue 13 without a server: every call is bounded (PGlite runs on a worker a watchdog can end),
// and every error is one line on stderr, exit 2, and with --json one document on stdout.
const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A hang before the fix: these tests get a limit of their own, far above what they need.
const HANG = 120_000;

describe('PGlite under a statement timeout', () => {
  it(
    'stops `check` on a trigger that never returns: exit 2 naming design, statement and limit',
    async () => {
      const design = join(dir, 'spin.sql');
      writeFileSync(
        design,
        `CREATE FUNCTION turbo.spin() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN LOOP END LOOP; END $$;
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER spin AFTER INSERT ON %1$s FOR EACH STATEMENT EXECUTE FUNCTION turbo.spin()');\n`,
      );
      const r = await cliAsync([
        'check',
        '--design',
        design,
        // Long enough for the base layer's install on a loaded machine, short next to the test.
        '--statement-timeout',
        '3',
        '--property',
        'batch',
        '--json',
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^turbo-sim: design ${design}: no answer within the statement timeout of 3 s .*\\(in statement: INSERT INTO tv_`,
          'm',
        ),
      );
      expect(JSON.parse(r.stdout)).toEqual({ error: expect.stringContaining('3 s'), exit: 2 });
    },
    HANG,
  );
});

describe('errors before anything runs', () => {
  it(
    'gives up on a server that accepts the connection and never answers (--connect-timeout)',
    async () => {
      const sockets: Socket[] = [];
      const silent: Server = createServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      try {
        const r = await cliHere([
          'check',
          '--database-url',
          `postgres://x@127.0.0.1:${port}/db`,
          '--connect-timeout',
          '0.5',
        ]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('no answer within 0.5 s (--connect-timeout)');
      } finally {
        for (const s of sockets) s.destroy();
        silent.close();
      }
    },
    HANG,
  );

  it('prints one JSON document on stdout for every exit-2 error with --json, one line on stderr', async () => {
    const graph = join(dir, 'order.json');
    writeFileSync(graph, JSON.stringify({ domains: ['order', 'line'], cascade: [['line', 'order']] }));
    const cases = [
      [['check', '--database-url', 'garbage'], '"garbage" is not a PostgreSQL URL'],
      [['check', '--database-url', ''], '--database-url (or DATABASE_URL) is empty'],
      [['run', 'batch-1000', '--domains', graph], 'scenario batch-1000 needs the seed graph'],
      [['bench', '--chart', join(dir, 'nodir', 'x.svg')], `cannot write into ${join(dir, 'nodir')}`],
      [
        ['bench', '--concurrency', 'only', '--chart', join(dir, 'cost.svg')],
        '--chart draws the cost table, which --concurrency only leaves out',
      ],
      [
        ['bench', '--concurrency', 'off', '--concurrency-chart', join(dir, 'c.svg')],
        '--concurrency-chart draws the concurrency table, which --concurrency off leaves out',
      ],
      [['bench', '--concurrency-designs', 'robust,nope'], 'unknown design "nope"'],
      [['check', '--runs', '0'], '--runs must be a positive integer'],
      [['check', '--statement-timeout', 'soon'], '--statement-timeout must be a positive number of seconds'],
      [['check', '--statement-timeout', '2592000'], '--statement-timeout must be at most 86400 seconds'],
      [['check', '--shard', '10/10', '--runs', '3'], 'shard 10/10 has no run'],
    ] as const;
    // In this process, where they skip the 0.7 s a process spends loading modules: how the built
    // binary gives such an error with --json is proved by optional-pg.test.ts.
    for (const [args, message] of cases) {
      const r = await cliHere([...args, '--json']);
      const what = args.join(' ');
      expect(r.code, what).toBe(2);
      expect(JSON.parse(r.stdout), what).toEqual({ error: expect.stringContaining(message), exit: 2 });
      expect(r.stderr, what).toContain(message);
      expect(r.stderr, what).not.toContain('bench'); // the benchmark never started
      expect(r.stderr, what).not.toContain('opening'); // nor did its cost table (its first line)
    }
  });

  it('answers a bare `turbo-sim` and `help` of an unknown command with usage and exit 2', async () => {
    const bare = await cliHere([]);
    const unknown = await cliHere(['help', 'nope']);
    const help = await cliHere(['help', 'check']);
    for (const r of [bare, unknown]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Usage: turbo-sim');
    }
    expect(help.code).toBe(0);
  });
});

describe('a run whose parent goes away', () => {
  // `npx turbo-sim` is a child of npm, and npm killed with SIGTERM exits without passing the signal
  // on: the run went on under PID 1. Here a parent stands in for npm and is killed outright.
  it(
    'stops as on SIGTERM: says so and exits',
    async () => {
      const log = join(dir, 'orphan.log');
      writeFileSync(log, '');
      const parent = spawn(
        process.execPath,
        [
          '-e',
          `const fs = require('node:fs');
const c = require('node:child_process').spawn(process.execPath, ['dist/cli/main.js', 'check', '--runs', '100000', '--property', 'batch', '--workers', '1'], { stdio: ['ignore', 'ignore', fs.openSync(${JSON.stringify(log)}, 'a')] });
console.log(c.pid);
setInterval(() => {}, 1000);`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const pid = Number(
        await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d)))),
      );
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      // Bounded waits, generous for a busy machine: the run must have started, then must end.
      for (let i = 0; i < 600 && !readFileSync(log, 'utf8').includes('checking batch'); i++) await sleep(200);
      parent.kill('SIGKILL');
      for (let i = 0; i < 600 && alive(); i++) await sleep(200);
      expect(alive()).toBe(false);
      expect(readFileSync(log, 'utf8')).toContain('stopped by SIGTERM');
    },
    HANG,
  );
});
