import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planWorkload } from '../../src/model/model.js';
import { findProperty } from '../../src/model/properties.js';
import type { Workload } from '../../src/model/workload.js';
import { counterexampleScript } from '../../src/report/counterexample.js';
import { counterexampleOf } from '../../src/verify/counterexample.js';
import { explainAndDiagnose } from '../../src/verify/property-check.js';
import { Simulator } from '../../src/verify/simulator.js';
import { graph } from '../support/fixtures.js';
import { fixture } from '../support/precision.js';

// Diagnoses of fixed counterexamples of issue 25, each on the design written apart that showed it:
// the evidence (which pairs were missed, which split of the statements made the MISSED go away),
// not the property that found it, names the class.
const B = 1;
const A = 0;

/** Runs `workload` on `sim` as `property` would, and diagnoses its failure. */
async function diagnoseRun(sim: Simulator, property: string, workload: Workload) {
  const plan = planWorkload(graph, workload);
  await sim.reset();
  const verdict = await sim.runPlan(plan, { kind: 'paused', pauseMs: 1 });
  expect(verdict.ok).toBe(false);
  const cx = counterexampleOf(
    { workload, messages: plan.messages, ...verdict },
    {
      design: sim.design.name,
      property,
      seed: 0,
      path: '',
      pauseMs: 1,
      shrink: false,
      clockDependent: false,
    },
    0,
  );
  const diagnosis = await explainAndDiagnose(sim, findProperty(property), cx);
  return { cx, diagnosis };
}

describe('diagnoses from evidence', () => {
  let exception: Simulator;
  let txid: Simulator;
  beforeAll(async () => {
    exception = await Simulator.create(fixture('exception-tracker'), graph);
    txid = await Simulator.create(fixture('txid-dedup'), graph);
  });
  afterAll(async () => {
    await exception.close();
    await txid.close();
  });

  it('a MERGE moving a tv_machine row from tenant b to a forgets b: old tenant (D4), not a cascade edge', async () => {
    const { cx, diagnosis } = await diagnoseRun(exception, 'merge', [
      { kind: 'statement', write: { kind: 'insert', domain: 'machine', tenants: [B] } },
      {
        kind: 'statement',
        write: {
          kind: 'merge',
          domain: 'machine',
          rows: [{ existing: 0, tenant: A }],
          matched: 'update',
          insert: false,
        },
      },
    ]);
    const missed = cx.violations.map((v) => `${v.kind} ${v.tenant?.slice(-1)}/${v.domain}`);
    expect(missed).toEqual(['MISSED b/allocation', 'MISSED b/machine', 'MISSED b/maintenance']);
    expect(diagnosis?.class).toBe('old-tenant');
  });

  it('a txid_current() dedup missing the second statement of a message is per transaction: split into messages it still misses, into transactions it does not', async () => {
    const { cx, diagnosis } = await diagnoseRun(txid, 'multi-statement-message', [
      {
        kind: 'message',
        writes: [
          { kind: 'insert', domain: 'price', tenants: [A] },
          { kind: 'insert', domain: 'price', tenants: [A] },
        ],
      },
    ]);
    expect(cx.replays).toEqual([
      { split: 'as-run', reproduced: true },
      { split: 'messages', reproduced: true },
      { split: 'transactions', reproduced: false },
    ]);
    expect(diagnosis?.class).toBe('per-transaction');
  });

  it('the published exception variant on the same message is keyed on the message (D1): split into messages it holds', async () => {
    const { cx, diagnosis } = await diagnoseRun(exception, 'multi-statement-message', [
      {
        kind: 'message',
        writes: [
          { kind: 'insert', domain: 'price', tenants: [A] },
          { kind: 'insert', domain: 'price', tenants: [A] },
        ],
      },
    ]);
    expect(cx.replays?.map((r) => r.reproduced)).toEqual([true, false, false]);
    expect(diagnosis?.class).toBe('message-key');
  });

  it('an account inside a transaction shows what fired, and the script ends as the run did', async () => {
    const { cx, diagnosis } = await diagnoseRun(txid, 'transaction', [
      {
        kind: 'transaction',
        items: [
          { kind: 'insert', domain: 'user', tenants: [A] },
          { kind: 'insert', domain: 'user', tenants: [A] },
        ],
        end: 'commit',
      },
    ]);
    expect(diagnosis?.class).toBe('per-transaction');
    // BEGIN, the first INSERT (bumps made), the second (bumps missed): both fired the row trigger.
    const fired = cx.account?.slice(1).map((a) => a.firings?.find((f) => f.name === 'public.txd_row')?.calls);
    expect(fired).toEqual([1, 1]);
    expect(cx.accountReproduced).toBe(true);
    const script = counterexampleScript(cx).trimEnd().split('\n');
    expect(script.at(-1)).toMatch(/^ROLLBACK; -- the run stopped here, inside the transaction/);
    expect(script.some((l) => l === 'COMMIT;')).toBe(false);
  });
});
