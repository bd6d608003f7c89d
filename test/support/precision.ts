import { type Design, loadDesign, loadMutant } from '../../src/engine/design/designs.js';
import type { CheckReport } from '../../src/verify/check.js';
import type { DiagnosisClass } from '../../src/verify/diagnosis.js';

// The table test/pglite/precision.test.ts and test/long/precision.long.test.ts measure diagnoses
// against: every built-in design, mutant and fixture design, each with the properties that expose
// what it is known to do and the classes a counterexample of each may rightly get. The classes come
// from what each design's SQL does, not from a run. An empty list: no catalogued class describes
// the design's mistake, so only "no known class" (unknown) is right.

/** Property -> the classes its counterexamples may get. */
export type Expected = Record<string, DiagnosisClass[]>;

/** A design of test/fixtures/designs/, written apart from turbo-sim's own. */
export const fixture = (name: string) => loadDesign(`test/fixtures/designs/${name}.sql`);

const SEED: Expected = {
  // COALESCE(NEW.tenant_id, OLD.tenant_id): the tenant a row moved away from is never bumped
  merge: ['old-tenant'],
  // statement_timestamp() is the client message's
  'multi-statement-message': ['message-key'],
  'do-block': ['message-key'],
  'tenant-move': ['old-tenant'],
  // no TRUNCATE trigger
  truncate: ['truncate-ignored'],
  // millisecond clock under PGlite
  'back-to-back': ['clock-key'],
};

/** Design name, how to load it, what its counterexamples may be diagnosed as. */
export const DESIGNS: [string, () => Design, Expected][] = [
  // Right designs: no counterexample, nothing to diagnose.
  ['robust', () => loadDesign('robust'), { batch: [], mixed: [] }],
  ['row-ledger', () => loadDesign('row-ledger'), { batch: [], mixed: [] }],
  ['row-set', () => fixture('row-set'), { batch: [], mixed: [] }],
  // No trigger: every pair missed, no catalogued mistake describes "nothing at all".
  ['none', () => loadDesign('none'), { batch: [] }],
  // Bumps applied at COMMIT: inside a transaction nothing shows yet; no catalogued class.
  ['deferred', () => loadDesign('deferred'), { transaction: [] }],
  ['seed', () => loadDesign('seed'), SEED],
  ['seed-on-conflict', () => loadDesign('seed-on-conflict'), SEED],
  // One statement trigger per event: an upsert fires two.
  ['statement-per-event', () => fixture('statement-per-event'), { upsert: ['per-trigger'] }],
  // Keyed on txid_current(): every statement after the first of a transaction finds its pairs taken.
  [
    'txid-dedup',
    () => fixture('txid-dedup'),
    Object.fromEntries(
      ['multi-statement-message', 'do-block', 'transaction', 'prepared', 'base-sync', 'mixed'].map((p) => [
        p,
        ['per-transaction'],
      ]),
    ),
  ],
  // The published exception variant: keyed on the message's statement_timestamp() (and the
  // transaction), tenant from COALESCE(NEW, OLD), no TRUNCATE trigger.
  [
    'exception-tracker',
    () => fixture('exception-tracker'),
    {
      merge: ['old-tenant'],
      'tenant-move': ['old-tenant'],
      'do-block': ['message-key'],
      truncate: ['truncate-ignored'],
    },
  ],
  // The mutants, each with the one defect it was written to have (properties/mutants.test.ts);
  // those pinned to no class may only get none.
  ['before-row-insert', () => loadMutant('before-row-insert'), { 'on-conflict-do-nothing': [] }],
  [
    'guard-statement-start',
    () => loadMutant('guard-statement-start'),
    { 'foreign-key-cascade': ['per-trigger'] },
  ],
  ['skip-nested-triggers', () => loadMutant('skip-nested-triggers'), { 'base-sync': [] }],
  [
    'dedup-per-transaction',
    () => loadMutant('dedup-per-transaction'),
    { transaction: ['per-transaction'], 'do-block': ['per-transaction'] },
  ],
  ['extra-cascade-edge', () => loadMutant('extra-cascade-edge'), { batch: ['extra-cascade-edge'] }],
  ['forget-overlap', () => loadMutant('forget-overlap'), { 'writable-cte': ['per-trigger'] }],
  ['insert-only', () => loadMutant('insert-only'), { batch: [] }],
  ['missing-cascade-edge', () => loadMutant('missing-cascade-edge'), { batch: ['missing-cascade-edge'] }],
  [
    'new-tenant-only',
    () => loadMutant('new-tenant-only'),
    { 'tenant-move': ['old-tenant'], merge: ['old-tenant'] },
  ],
  ['no-truncate', () => loadMutant('no-truncate'), { truncate: ['truncate-ignored'] }],
  ['per-row-no-dedup', () => loadMutant('per-row-no-dedup'), { batch: ['per-row'] }],
  [
    'statement-timestamp-identity',
    () => loadMutant('statement-timestamp-identity'),
    { 'multi-statement-message': ['message-key'], 'do-block': ['message-key'] },
  ],
];

/** One counterexample of the table: what it may be, what it was diagnosed as. */
export interface PrecisionRow {
  design: string;
  property: string;
  expected: DiagnosisClass[];
  diagnosed: DiagnosisClass | null;
}

/** The rows of one design's check report. */
export function precisionRows(design: string, report: CheckReport, expected: Expected): PrecisionRow[] {
  return report.properties
    .filter((p) => !p.ok)
    .map((p) => ({
      design,
      property: p.name,
      expected: expected[p.name] ?? [],
      diagnosed: p.diagnosis?.class ?? null,
    }));
}

/** Rows whose diagnosis names a class the design does not have ("no known class" is never wrong). */
export function wrongRows(rows: PrecisionRow[]): PrecisionRow[] {
  return rows.filter((r) => r.diagnosed !== 'unknown' && !r.expected.includes(r.diagnosed as DiagnosisClass));
}
