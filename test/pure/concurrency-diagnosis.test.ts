import { describe, expect, it } from 'vitest';
import { concurrencyDiagnosisLine, interleavingColumns } from '../../src/report/interleaving.js';
import type { InterleavingRun, StoredRead } from '../../src/verify/interleaving.js';
import { diagnose } from '../../src/verify/interleaving-checks.js';

// The stale-set diagnosis rests on the account the scheduler recorded: a read that built, another
// session's COMMIT between its build and its store, and a stored version newer than the one it built
// at. Without all three it says it does not know.
const A = '00000000-0000-4000-8000-00000000000a';
const store: StoredRead = {
  session: 0,
  event: 1,
  read: 'allocations',
  tenant: A,
  versionAtBuild: 0,
  storedVersion: 1,
  commitsBetween: [{ session: 1, event: 2 }],
};
const run = (stores: StoredRead[]): InterleavingRun => ({
  order: [0, 1, 0],
  events: [
    { session: 0, step: 0, text: 'read allocations as a', outcome: 'sent', sql: 'SELECT 1' },
    { session: 0, step: 0, text: 'built; paused before storing', outcome: 'paused' },
    {
      session: 1,
      step: 0,
      text: 'INSERT INTO tv_allocation',
      outcome: 'sent',
      sql: 'INSERT INTO tv_allocation',
    },
    { session: 0, step: 0, text: 'resume: stores', outcome: 'sent' },
    { session: 0, step: 0, text: 'stored; read ended', outcome: 'done' },
  ],
  violations: [
    {
      kind: 'STALE',
      property: 'no-stale-set',
      message: 4,
      statement: '(quiet point)',
      tenant: A,
      read: 'allocations',
    },
  ],
  stores,
  committedStatements: 1,
  deadlocks: 0,
  serializationFailures: 0,
  readsServed: 1,
  quietChecks: 1,
});

describe('concurrent diagnosis', () => {
  it('names the order of a stale set from the recorded build, COMMIT and store', () => {
    const d = diagnose(run([store]));
    expect(d.class).toBe('stale-set');
    expect(concurrencyDiagnosisLine(d)).toMatch(
      /session 0 built allocations .* at version 0 \(row 2\), then the COMMIT of session 1 \(row 3\) .* stored .* under the version read after it \(1\)/,
    );
  });

  it('does not know without a COMMIT between build and store, or with the version it built at', () => {
    expect(diagnose(run([{ ...store, commitsBetween: [] }])).class).toBe('unknown');
    expect(diagnose(run([{ ...store, storedVersion: 0 }])).class).toBe('unknown');
    expect(concurrencyDiagnosisLine({ class: 'unknown' })).toMatch(/^diagnosis: unknown/);
  });

  it('prints one column per session, a row per event, and the SQL of each numbered row', () => {
    const lines = interleavingColumns(run([store]), [0, 1]);
    expect(lines[0]).toMatch(/session 0 +\| session 1/);
    expect(lines[4]).toMatch(/^ {3}3 {2} +\| INSERT INTO tv_allocation/);
    expect(lines).toContain('   3  session 1: INSERT INTO tv_allocation');
  });
});
