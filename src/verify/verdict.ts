import type { SqlError } from '../engine/database.js';
import { harnessFinding } from '../engine/harness.js';
import type { PlannedMessage } from '../model/plan.js';
import type { Judge } from '../model/properties.js';
import { type PairKey, splitPair, unionKeys, type Versions, versionDelta } from '../model/versions.js';

/** How a design broke the promise at one message. */
export type ViolationKind = 'MISSED' | 'EXTRA' | 'STALE' | 'LEAK' | 'ERROR';

/**
 * One broken expectation. MISSED: fewer bumps than the statement required (a cache can serve stale
 * data). EXTRA: more bumps than required (wasted invalidation). STALE: a cached read returned
 * something other than a fresh build. LEAK: a cached read or a bump reached another tenant. ERROR:
 * the design made a statement fail that should succeed, or succeed that should fail.
 */
export interface Violation {
  kind: ViolationKind;
  /** 0-based index of the client message in the plan (-1: judged at the end of a concurrent run). */
  message: number;
  /** The SQL of that message. */
  statement: string;
  tenant?: string;
  domain?: string;
  expected?: number;
  observed?: number;
  detail?: string;
}

/** The outcome of running one plan. */
export interface Verdict {
  ok: boolean;
  /** Violations at the first message that broke an expectation (later messages are not judged). */
  violations: Violation[];
  /** Messages sent, including the failing one. */
  messagesRun: number;
}

/** Where a violation was seen. */
export type At = Pick<Violation, 'message' | 'statement'>;

/** Expected vs observed, one violation per (tenant, domain) that differs: MISSED below, EXTRA above. */
export function compareVersions(expected: Versions, observed: Versions, at: At): Violation[] {
  const out: Violation[] = [];
  for (const k of unionKeys(expected, observed)) {
    const e = expected.get(k) ?? 0;
    const o = observed.get(k) ?? 0;
    if (e === o) continue;
    const { tenant, domain } = splitPair(k);
    out.push({ kind: o < e ? 'MISSED' : 'EXTRA', ...at, tenant, domain, expected: e, observed: o });
  }
  return out;
}

/** Versions that changed for a tenant none of the message's statements touched: LEAK. */
export function isolationViolations(
  message: PlannedMessage,
  before: Versions,
  after: Versions,
  at: At,
): Violation[] {
  // A ROLLBACK touches no row but takes back the bumps of the statements it undoes.
  const keys = [...message.statements.flatMap((s) => s.bumps), ...(message.undoes ?? [])];
  const touched = new Set(keys.map((k) => splitPair(k).tenant));
  const out: Violation[] = [];
  for (const k of unionKeys(before, after)) {
    const b = before.get(k) ?? 0;
    const a = after.get(k) ?? 0;
    const { tenant, domain } = splitPair(k);
    if (a !== b && !touched.has(tenant))
      out.push({ kind: 'LEAK', ...at, tenant, domain, expected: b, observed: a });
  }
  return out;
}

/** Whether a message failed exactly when it had to; a harness finding is a STALE or LEAK. */
export function judgeError(message: PlannedMessage, error: SqlError | null, at: At): Violation[] {
  const finding = error ? harnessFinding(error) : null;
  if (finding) return [{ kind: finding.kind, ...at, detail: finding.message }];
  if (error && !message.expectError)
    return [{ kind: 'ERROR', ...at, detail: `unexpected error: ${error.message}` }];
  if (!error && message.expectError)
    return [{ kind: 'ERROR', ...at, detail: 'the statement was expected to fail but succeeded' }];
  return [];
}

/** What one message did, as observed around it. */
export interface MessageOutcome {
  error: SqlError | null;
  before: Versions;
  after: Versions;
}

/** The violations of one message: its error first, then its versions as `judge` says. */
export function judgeMessage(
  message: PlannedMessage,
  outcome: MessageOutcome,
  judge: Judge,
  at: At,
): Violation[] {
  const errors = judgeError(message, outcome.error, at);
  if (errors.length > 0) return errors;
  if (judge === 'reads') return [];
  if (judge === 'isolation') return isolationViolations(message, outcome.before, outcome.after, at);
  return compareVersions(message.versions, outcome.after, at);
}

/** Bumps per pair: how often a message moved (or had to move) each version. */
export type BumpCounts = Map<PairKey, number>;

/** A message's bumps, expected against observed, and the differences either way. */
export interface BumpComparison {
  expected: BumpCounts;
  observed: BumpCounts;
  missed: BumpCounts;
  extra: BumpCounts;
}

/** Compares the bumps a message had to make (from the model's versions) with those it made. */
export function compareBumps(
  expectedBefore: Versions,
  expectedAfter: Versions,
  observedBefore: Versions,
  observedAfter: Versions,
): BumpComparison {
  const expected = versionDelta(expectedBefore, expectedAfter);
  const observed = versionDelta(observedBefore, observedAfter);
  const missed: BumpCounts = new Map();
  const extra: BumpCounts = new Map();
  for (const k of unionKeys(expected, observed)) {
    const d = (observed.get(k) ?? 0) - (expected.get(k) ?? 0);
    if (d < 0) missed.set(k, -d);
    if (d > 0) extra.set(k, d);
  }
  return { expected, observed, missed, extra };
}
