import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScenarioReport } from '../../src/report/scenario.js';
import { LEARNING_PATH, nextScenario, pathOrder, START_SCENARIO } from '../../src/teaching/lessons.js';
import { SCENARIOS } from '../../src/teaching/scenarios.js';
import type { ScenarioReport } from '../../src/verify/scenario.js';
import { cliHere } from '../support/fixtures.js';

describe('turbo-sim CLI', () => {
  it('lists every scenario once, one per line, grouped along the learning path with the start marked', async () => {
    const r = await cliHere(['list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const rows = lines.filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/));
    const names = rows.map((w) => (w[0] === '>' ? w[1] : w[0]));
    expect(names).toEqual(pathOrder());
    expect([...names].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    expect(rows.filter((w) => w[0] === '>').map((w) => w[1])).toEqual([START_SCENARIO]);
    expect(lines.filter((l) => /^\d+\. /.test(l))).toHaveLength(LEARNING_PATH.length);
  });

  it('rejects bad input with one line on stderr and exit 2', async () => {
    const cases = [
      ['run', 'no-such-scenario'],
      ['check', '--runs', '0'],
      ['check', '--runs', 'many'],
      ['check', '--seed', '1.5'],
      ['check', '--design', 'no-such-design'],
      ['check', '--design', './missing.sql'],
      ['check', '--property', 'nope'],
      ['check', '--workers', '0'],
      ['check', '--shard', '3/2'],
      ['check', '--reporter', 'blob'],
      ['merge', './missing.blob'],
      ['sql', '--design', 'seed', '--domains', './missing.json'],
      ['run', 'tenant-move', '--html', './no-such-folder/report.html'],
      ['run', 'tenant-move', '--html', '.'],
      ['check', '--html', './no-such-folder/report.html'],
    ];
    // In this process, one after the other: a process would spend most of its 0.7 s loading
    // modules. The process boundary's own exit 2 is checked by the limits tests.
    for (const argv of cases) {
      const r = await cliHere(argv);
      const args = argv.join(' ');
      expect(r.code, args).toBe(2);
      expect(r.stderr, args).not.toContain('internal error');
      expect(r.stdout, args).toBe('');
      expect(r.stderr.trim().length, args).toBeGreaterThan(0);
    }
  });

  it('names the file, line and statement of an error in a user design', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-'));
    try {
      const file = join(dir, 'broken.sql');
      writeFileSync(file, '-- a design\nCREATE TABLE turbo.ok (x int);\n\nCREATE FUNCTON nope();\n');
      const r = await cliHere(['check', '--design', file, '--runs', '1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:4: syntax error`);
      expect(r.stderr).toContain('CREATE FUNCTON nope()');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Every design name a report prints must resolve: the replay line of a mutant's counterexample is
  // run as printed (in this process for npx turbo-sim: what resolves a name is the same code) and
  // fails the same way.
  it('runs the replay command a counterexample prints, mutant name and all', async () => {
    const first = await cliHere([
      'check',
      '--design',
      'mutant:no-truncate',
      '--property',
      'truncate',
      '--runs',
      '20',
      '--no-shrink',
      '--json',
    ]);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout);
    const line = (report.counterexample as string)
      .split('\n')
      .find((l) => l.startsWith('-- replay: npx turbo-sim '));
    expect(line).toContain('--design mutant:no-truncate');
    const args = (line ?? '').replace('-- replay: npx turbo-sim ', '').split(' ');
    const again = await cliHere([...args, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).violations).toEqual(report.violations);
  });

  it('prints a design whole, ready for psql', async () => {
    const r = await cliHere(['sql', '--design', 'seed-on-conflict']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CREATE TABLE turbo.tb_domain_version');
    expect(r.stdout).toContain('CREATE TABLE turbo.tb_statement_version_tracker');
    expect(r.stdout).toContain('ON CONFLICT DO NOTHING');
  });

  it('runs a scenario on designs side by side, says whether each kept the promise, why, what next, and writes the HTML whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-'));
    try {
      const html = join(dir, 'report.html');
      // One run: the reports as JSON, and the text the CLI prints without --json, formatted here from
      // those reports by the function the CLI uses.
      const both = await cliHere(['run', 'tenant-move', '--design', 'seed,robust', '--html', html, '--json']);
      expect(both.code).toBe(1);
      const [seed, robust] = JSON.parse(both.stdout) as [ScenarioReport, ScenarioReport];
      expect(seed.summary).toMatchObject({ missed: 1, extra: 0 });
      expect(robust.ok).toBe(true);
      const shown = ['seed', 'robust'];
      const [seedText, robustText] = [seed, robust].map((r) => formatScenarioReport(r, shown)) as [
        string,
        string,
      ];
      expect(seedText).toMatch(
        /^why: .*\(docs\/defects\.md#d4-update-moving-a-row-to-another-tenant-bumps-only-the-new-tenant\)$/m,
      );
      // robust is already shown beside the seed: next is the next scenario on both, not robust again.
      const after = `next: npx turbo-sim run ${nextScenario('tenant-move')} --design seed,robust  (the next scenario on the learning path, on the same designs)`;
      expect(seedText.trim().split('\n').at(-1)).toBe(after);
      expect(robustText).toMatch(/^summary: .*kept the promise$/m);
      expect(robustText.trim().split('\n').at(-1)).toBe(after);
      // One whole page, and nothing else left in the folder (it was written beside and renamed).
      expect(readdirSync(dir)).toEqual(['report.html']);
      const page = readFileSync(html, 'utf8');
      expect(page).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
      // Its catalogue links are relative to where it was written, and reach the docs shipped.
      const links = [...page.matchAll(/<a class="doc" href="([^"#]+)#?[^"]*"/g)].map((m) => m[1] as string);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(link.startsWith('file:')).toBe(false);
        expect(existsSync(resolve(dir, decodeURIComponent(link))), link).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
