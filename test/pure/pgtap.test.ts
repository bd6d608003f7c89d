import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { propertyWorkloads } from '../../src/model/arbitraries.js';
import { planWorkload } from '../../src/model/model.js';
import { findProperty } from '../../src/model/properties.js';
import type { Workload } from '../../src/model/workload.js';
import { regressionPgtap } from '../../src/report/pgtap-files.js';
import {
  type RegressionWorkload,
  regressionWorkloads,
  workloadFeatures,
} from '../../src/verify/regression-suite.js';
import { cliHere, graph } from '../support/fixtures.js';

// The pgTAP files as text, without a database (test/server/pgtap.test.ts runs them with pg_prove).
// Three classes whose files differ in shape: transactions (tests kept in psql variables until the
// transaction is over), parameterized queries, cached reads.
const PROPERTIES = ['transaction', 'prepared', 'coherence'];
const suite = (seed: number) =>
  PROPERTIES.flatMap((p) => regressionWorkloads(findProperty(p), graph, seed, 20));
const files = (ws: RegressionWorkload[]) =>
  ws.map((w, i) => regressionPgtap(w, i, ws.length, { design: 'robust', seed: 42 }, graph));
const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-pgtap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pgTAP regression files', () => {
  const first = suite(42);

  it('are the same for the same seed, and others for another', () => {
    expect(files(suite(42))).toEqual(files(first));
    expect(suite(7).map((w) => w.workload)).not.toEqual(first.map((w) => w.workload));
  });

  it('plan exactly the tests they run, and send parameterized queries with their values', () => {
    for (const f of files(first)) {
      const planned = Number(/SELECT plan\((\d+)\);/.exec(f.sql)?.[1]);
      const run = f.sql.split('\n').filter((l) => /^SELECT (is|ok)\(/.test(l)).length;
      expect(run, f.name).toBe(planned);
      // psql 15 cannot bind a `$n` placeholder: only PREPARE (and dollar-quoted bodies) may hold one.
      const sent = f.sql.replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, '').split('\n');
      expect(
        sent.filter((l) => !l.startsWith('PREPARE ') && /\$\d/.test(l)),
        f.name,
      ).toEqual([]);
    }
    expect(first.map((w) => w.property)).toEqual(expect.arrayContaining(PROPERTIES));
  });

  it('are shrunk from what the check drew, keeping every feature they were picked for', () => {
    for (const w of first) {
      const drawn = fc.sample(propertyWorkloads(findProperty(w.property), graph), { seed: 42, numRuns: 20 })[
        w.run
      ];
      const statements = (x: Workload) => planWorkload(graph, x).messages.flatMap((m) => m.statements).length;
      expect(statements(w.workload), w.property).toBeLessThanOrEqual(statements(drawn as Workload));
      expect([...workloadFeatures(planWorkload(graph, w.workload), graph)]).toEqual(
        expect.arrayContaining(w.features),
      );
    }
    // Parameterized queries are among them, so the placeholder test above has something to test.
    expect(first.some((w) => w.workload.some((s) => s.kind === 'prepared' && s.via === 'bind'))).toBe(true);
  });
});

describe('check --pgtap', () => {
  it('refuses a file for a folder, and a shard, before checking anything', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const notDir = await cliHere(['check', '--pgtap', file]);
    expect([notDir.code, notDir.stderr.trim()]).toEqual([
      2,
      expect.stringMatching(/--pgtap .* is not a folder$/),
    ]);
    const shard = await cliHere(['check', '--pgtap', dir, '--shard', '1/2']);
    expect([shard.code, shard.stderr]).toEqual([2, expect.stringMatching(/--pgtap needs the whole check/)]);
  });
});
