import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/input-error.js';
import { planWorkload } from '../../src/model/model.js';
import type { Workload } from '../../src/model/workload.js';
import { checkBlob, readCheckBlob } from '../../src/report/blob.js';
import { formatCheck } from '../../src/report/check.js';
import { checkJunit } from '../../src/report/junit.js';
import { checkTap } from '../../src/report/tap.js';
import type { CheckReport } from '../../src/verify/check.js';
import { graph } from '../support/fixtures.js';

// A report as check returns it: one property holding, one failing with its counterexample, one
// skipped. The reporters must give CI systems the structure they read.
const workload: Workload = [{ kind: 'statement', write: { kind: 'truncate', domains: ['price'] } }];
const plan = planWorkload(graph, workload);
const violation = {
  kind: 'MISSED' as const,
  message: 0,
  statement: 'TRUNCATE tv_price',
  tenant: 'a',
  domain: 'price',
  expected: 1,
  observed: 0,
};
const report: CheckReport = {
  design: 'mutant:no-truncate',
  backend: 'pglite',
  ok: false,
  runs: 100,
  seed: 42,
  readPath: 'base',
  properties: [
    {
      name: 'batch',
      description: '',
      ok: true,
      runs: 100,
      firstFailureMs: null,
      counterexample: null,
      diagnosis: null,
      statementsChecked: 400,
      readsChecked: 0,
      elapsedMs: 1200,
    },
    {
      name: 'truncate',
      description: '',
      ok: false,
      runs: 3,
      firstFailureMs: 10,
      counterexample: {
        workload,
        violations: [violation],
        messages: plan.messages,
        source: {
          design: 'mutant:no-truncate',
          property: 'truncate',
          seed: 42,
          path: '2:0',
          pauseMs: 1,
          shrink: true,
          clockDependent: false,
        },
        statements: 1,
        shrinks: 4,
      },
      diagnosis: { class: 'truncate-ignored', culprit: 'triggers', violation },
      statementsChecked: 12,
      readsChecked: 0,
      elapsedMs: 300,
    },
  ],
  skipped: [{ name: 'coherence', reason: 'the domain graph has no "reads"' }],
  statementsChecked: 500,
  readsChecked: 0,
  elapsedMs: 1600,
};

describe('reporters', () => {
  it('writes JUnit XML: a testsuite per design, a testcase per property, the counterexample in the failure', () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(checkJunit(report));
    const suite = xml.testsuites.testsuite;
    expect(suite.name).toBe('turbo-sim mutant:no-truncate');
    expect(suite.tests).toBe('3');
    expect(suite.failures).toBe('1');
    const cases = suite.testcase as Record<string, unknown>[];
    expect(cases.map((c) => c.name)).toEqual(['batch', 'truncate', 'coherence']);
    const failure = cases[1]?.failure as Record<string, string>;
    expect(failure.type).toBe('MISSED');
    expect(failure['#text']).toContain(
      'replay: npx turbo-sim check --design mutant:no-truncate --property truncate --seed 42 --path 2:0',
    );
    expect(failure['#text']).toContain('TRUNCATE tv_price;');
    expect(failure['#text']).toContain('docs/defects.md#d5-truncate-bumps-nothing');
    expect(cases[2]).toHaveProperty('skipped');
  });

  it('writes TAP version 14 with a plan, a YAML block for the failure and a SKIP directive', () => {
    const lines = checkTap(report).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'TAP version 14',
      '1..3',
      'ok 1 - mutant:no-truncate: batch',
      'not ok 2 - mutant:no-truncate: truncate',
    ]);
    expect(lines[4]).toBe('  ---');
    expect(lines).toContain('  ...');
    expect(lines.at(-1)).toBe('ok 3 - mutant:no-truncate: coherence # SKIP the domain graph has no "reads"');
  });

  // A shard's report as check --shard 2/3 gives it: its runs per property and its fingerprint.
  const shard: CheckReport = {
    ...report,
    shard: { index: 2, count: 3 },
    fingerprint: '0123456789abcdef',
    properties: report.properties.map((p) => ({
      ...p,
      shardRuns: { ran: [[1, 3, 0]], firstFailure: p.ok ? null : 1, shrinking: null },
    })),
  };

  it('says in the text report which runs a shard checked, and the blob gives the report back whole', () => {
    expect(formatCheck(shard, { shrunk: true }).split('\n')[0]).toContain(
      '(shard 2/3: run indices 1, 4, 7, ...; turbo-sim merge adds the shards up)',
    );
    expect(readCheckBlob(checkBlob(shard), 'x.blob')).toEqual(shard);
  });

  it('refuses a forged or partial blob as bad input, naming the file and what is missing', () => {
    const forged = (edit: (r: Record<string, unknown>) => void) => {
      const doc = JSON.parse(checkBlob(shard));
      edit(doc.report);
      return JSON.stringify(doc);
    };
    const cases: [string, string][] = [
      [forged((r) => delete r.fingerprint), 'no fingerprint'],
      [forged((r) => delete r.shard), 'no shard i/n'],
      [forged((r) => (r.properties = 'x')), 'no properties'],
      [
        forged((r) => delete (r.properties as { shardRuns?: unknown }[])[0]?.shardRuns),
        'property batch has no runs',
      ],
      [
        forged(
          (r) =>
            ((
              (r.properties as { counterexample: unknown }[])[1] as { counterexample: unknown }
            ).counterexample = null),
        ),
        'failed without its counterexample',
      ],
      [checkBlob(shard).slice(0, 200), 'f.blob is not JSON'],
    ];
    for (const [text, words] of cases) expect(() => readCheckBlob(text, 'f.blob'), words).toThrow(InputError);
    for (const [text, words] of cases) expect(() => readCheckBlob(text, 'f.blob')).toThrow(words);
  });
});
