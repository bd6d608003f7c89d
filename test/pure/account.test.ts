import { describe, expect, it } from 'vitest';
import { ACCOUNT_NOT_REPRODUCED, checkJson, formatCheck } from '../../src/report/check.js';
import type { CheckReport } from '../../src/verify/check.js';
import type { Counterexample, MessageAccount } from '../../src/verify/counterexample.js';
import { accountReproduces } from '../../src/verify/explain.js';

// A clock-dependent counterexample replayed for its account with pauses and reads between messages
// may come out right: the account must then say it is not what the run did.
const cx = {
  workload: [],
  violations: [
    { kind: 'MISSED', message: 1, statement: '', tenant: 'a', domain: 'price', expected: 2, observed: 1 },
  ],
  messages: [],
  source: {
    design: 'seed',
    property: 'back-to-back',
    seed: 1,
    path: '0',
    pauseMs: 0,
    shrink: true,
    clockDependent: true,
  },
  statements: 2,
  shrinks: 0,
} satisfies Counterexample;

const bumps = (observed: number) => [{ tenant: 'a', domain: 'price', expected: 1, observed }];

/** A check report of the one counterexample above, with `account`. */
const reportOf = (account: MessageAccount[]) =>
  ({
    design: 'seed',
    backend: 'pglite',
    ok: false,
    runs: 1,
    seed: 1,
    readPath: 'design',
    properties: [
      {
        name: 'back-to-back',
        description: '',
        ok: false,
        runs: 1,
        firstFailureMs: 0,
        counterexample: { ...cx, account, accountReproduced: false },
        diagnosis: null,
        statementsChecked: 2,
        readsChecked: 0,
        elapsedMs: 1,
      },
    ],
    skipped: [],
    statementsChecked: 2,
    readsChecked: 0,
    elapsedMs: 1,
  }) as unknown as CheckReport;

describe('an account that did not reproduce', () => {
  it('is told apart from one that did', () => {
    const account = [0, 1].map((message) => ({ message, error: null, firings: [], bumps: bumps(1) }));
    expect(accountReproduces(cx, account)).toBe(false);
    expect(
      accountReproduces(cx, [...account, { message: 2, error: null, firings: [], bumps: bumps(0) }]),
    ).toBe(true);
  });

  it('says so under the account in the report', () => {
    const account = [0, 1].map((message) => ({ message, error: null, firings: [], bumps: bumps(1) }));
    const report = reportOf(account);
    expect(formatCheck(report)).toContain(ACCOUNT_NOT_REPRODUCED);
  });

  it('numbers messages in JSON as the text does', () => {
    const account = [0, 1].map((message) => ({ message, error: null, firings: [], bumps: bumps(1) }));
    const report = reportOf(account);
    const json = checkJson(report);
    expect(formatCheck(report)).toContain('(message 2)');
    expect(json.violations[0]?.message).toBe(2);
    expect(json.properties[0]?.counterexample?.violations[0]?.message).toBe(2);
    expect(json.properties[0]?.counterexample?.account?.map((a) => a.message)).toEqual([1, 2]);
  });
});
