import { planWorkload } from '../../src/model/model.js';
import type { Workload } from '../../src/model/workload.js';
import type { CheckReport } from '../../src/verify/check.js';
import type { MessageReport, ReadReport, ScenarioReport } from '../../src/verify/scenario.js';
import type { Violation } from '../../src/verify/verdict.js';
import { graph } from './fixtures.js';

// Reports as check and run return them, written by hand so that the pages can be rendered and read
// without a database: what the reporters must show is in the data, not in how it was obtained.

const A = '00000000-0000-4000-8000-00000000000a';

/** Message `no` of a scenario, which had to take a/`domain` from `before` to `expected` and left it at `after`. */
export function message(
  no: number,
  domain: string,
  before: number,
  after: number,
  expected: number,
): MessageReport {
  const count = (n: number) => (n > 0 ? [{ tenant: A, domain, count: n }] : []);
  return {
    kind: 'message',
    message: no,
    sql: `INSERT INTO tv_${domain} ...`,
    statements: expected - before,
    error: null,
    functionCalls: [],
    trackerRows: after - before,
    expected: count(expected - before),
    observed: count(after - before),
    missed: count(expected - after),
    extra: count(after - expected),
    versions: [{ tenant: A, domain, before, after, expected }],
  };
}

/** A cached read of the machine overview, answered at `current` (the read path's version). */
export function read(current: number, cached: number | null, stale: boolean): ReadReport {
  return {
    kind: 'read',
    title: 'machine overview',
    tenant: A,
    sql: "turbo.fn_get_cached_response('machine_overview', 'all', ARRAY['allocation', 'maintenance'], 'turbo.fn_build_machine_overview', '{}')",
    outcome: cached === current ? 'hit' : 'miss',
    cacheVersion: cached,
    currentVersion: current,
    response: {},
    stale,
    error: null,
  };
}

/** A scenario report of `steps`, its summary added up from them. */
export function scenarioReport(
  scenario: string,
  design: string,
  readPath: 'base' | 'design',
  steps: ScenarioReport['steps'],
): ScenarioReport {
  const sent = steps.filter((s): s is MessageReport => s.kind === 'message');
  const sum = (f: (m: MessageReport) => { count: number }[]) =>
    sent.reduce((n, m) => n + f(m).reduce((k, x) => k + x.count, 0), 0);
  const reads = steps.filter((s): s is ReadReport => s.kind === 'read');
  const summary = {
    statements: sent.reduce((n, m) => n + m.statements, 0),
    expectedBumps: sum((m) => m.expected),
    observedBumps: sum((m) => m.observed),
    missed: sum((m) => m.missed),
    extra: sum((m) => m.extra),
    errors: 0,
    reads: reads.length,
    stale: reads.filter((r) => r.stale).length,
  };
  const ok = summary.missed + summary.extra + summary.stale === 0;
  return { scenario, description: scenario, design, backend: 'pglite', readPath, ok, steps, summary };
}

// A check whose transaction property failed at its third message (BEGIN, INSERT, INSERT): the second
// INSERT of the transaction bumped nothing. Diagnosed per-transaction from the split replays.
const workload: Workload = [
  {
    kind: 'transaction',
    items: [
      { kind: 'insert', domain: 'price', tenants: [0] },
      { kind: 'insert', domain: 'price', tenants: [0] },
    ],
    end: 'commit',
  },
];
const planned = planWorkload(graph, workload).messages.slice(0, 3);
const violation: Violation = {
  kind: 'MISSED',
  message: 2,
  statement: 'INSERT INTO tv_price ...',
  tenant: A,
  domain: 'price',
  expected: 2,
  observed: 1,
};

/** A failing check with its counterexample, account, split replays and diagnosis. */
export const failedCheck: CheckReport = {
  design: 'txid-dedup.sql',
  backend: 'pglite',
  ok: false,
  runs: 20,
  seed: 7,
  readPath: 'base',
  properties: [
    {
      name: 'transaction',
      description: 'transactions of several statements',
      ok: false,
      runs: 4,
      firstFailureMs: 10,
      counterexample: {
        workload,
        violations: [violation],
        messages: planned,
        source: {
          design: 'txid-dedup.sql',
          property: 'transaction',
          seed: 7,
          path: '3:0',
          pauseMs: 1,
          shrink: true,
          clockDependent: false,
        },
        statements: 2,
        shrinks: 2,
        account: planned.map((_, i) => ({
          message: i,
          error: null,
          firings: [],
          bumps: i === 2 ? [{ tenant: A, domain: 'price', expected: 1, observed: 0 }] : [],
        })),
        accountReproduced: true,
        replays: [
          { split: 'as-run', reproduced: true },
          { split: 'messages', reproduced: true },
          { split: 'transactions', reproduced: false },
        ],
      },
      diagnosis: { class: 'per-transaction', culprit: 'triggers', violation },
      statementsChecked: 30,
      readsChecked: 0,
      elapsedMs: 300,
    },
  ],
  skipped: [],
  statementsChecked: 30,
  readsChecked: 0,
  elapsedMs: 400,
};
