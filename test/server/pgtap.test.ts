import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesign, loadMutant } from '../../src/engine/design/designs.js';
import { cliHere } from '../support/fixtures.js';
import { useThrowawayServer } from '../support/pg-server.js';
import { anyFails, databaseWith, leftBehind, pgtapMissing, prove, robustSuite } from '../support/pgtap.js';

// The files `check --pgtap` writes, run with pg_prove on a throwaway PostgreSQL server: one server,
// one database per design, each file run once. Every mutant against robust's suite is
// test/long/pgtap.long.test.ts (a psql process per file adds up); here one mutant shows the suite
// can fail.
const server = useThrowawayServer();
const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-pgtap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pgTAP files run with pg_prove on PostgreSQL', () => {
  it("the seed's counterexamples fail on the seed, and leave nothing behind", async (ctx) => {
    const s = server.current;
    const why = s && pgtapMissing(s);
    if (why) console.warn(`skipped: ${why}`);
    if (!s || why) return ctx.skip();
    // Files of different shapes: a TRUNCATE, parameterized queries, base tables through the
    // harness, cached reads. Unshrunk: what is proved here is the files' shapes and that they fail
    // on the seed; shrinking (3.3 of the check's 8 s of CPU) is proved in test/pglite/scale.test.ts.
    const out = join(dir, 'seed');
    const properties = ['truncate', 'prepared', 'base-sync', 'coherence'];
    const run = await cliHere([
      'check',
      '--design',
      'seed',
      '--property',
      ...properties,
      '--no-shrink',
      '--pgtap',
      out,
    ]);
    expect(run.code).toBe(1);
    const files = readdirSync(out)
      .sort()
      .map((f) => join(out, f));
    expect(files).toEqual(properties.map((p) => join(out, `counterexample-${p}.sql`)).sort());
    const url = databaseWith(s, loadDesign('seed'));
    const proved = prove(url, files);
    expect(proved.code).not.toBe(0);
    expect(proved.failed, proved.out).toEqual(files);
    expect(leftBehind(s, url)).toBe('');
  });

  it("robust's regression suite passes on robust, leaves nothing behind, and fails on a mutant", (ctx) => {
    const s = server.current;
    if (!s || pgtapMissing(s)) return ctx.skip();
    const { files, written } = robustSuite(join(dir, 'robust'));
    expect(written.notes).toEqual([expect.stringMatching(/^back-to-back left out/)]);
    const robust = databaseWith(s, loadDesign('robust'));
    const proved = prove(robust, files);
    expect(proved.failed, proved.out).toEqual([]);
    expect(proved.code).toBe(0);
    expect(leftBehind(s, robust)).toBe('');
    expect(anyFails(databaseWith(s, loadMutant('new-tenant-only')), files)).toBe(true);
  });
});
