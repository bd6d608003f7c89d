import type { PlannedMessage } from '../model/plan.js';
import type { Workload } from '../model/workload.js';
import type { Split } from './experiment.js';
import type { Violation } from './verdict.js';

/** Everything needed to replay a counterexample exactly: `check` with these flags. */
export interface ReplaySource {
  design: string;
  property: string;
  seed: number;
  /** fast-check's path to the shrunk value. */
  path: string;
  /** Least pause between messages the property used (0: back to back). */
  pauseMs: number;
  /** The domain file the run used, when not the seed graph; `null`: a graph built in code, no file. */
  domains?: string | null;
  /** A user's schema (--schema): the flags that read its graph again, and the query that lists its versions. */
  schema?: { flags: string; versions: string; setup: string[] };
  /** False when the run reported the first failure unshrunk (the path then must not be shrunk further). */
  shrink: boolean;
  /** The failure depends on the clock (back to back under PGlite's millisecond clock). */
  clockDependent: boolean;
}

/** The smallest failing workload of one property, with what it was planned as and what broke. */
export interface Counterexample {
  workload: Workload;
  violations: Violation[];
  /** The planned messages up to the one that broke the promise. */
  messages: PlannedMessage[];
  source: ReplaySource;
  /** Statements in the messages run (what "at most 3 statements" counts). */
  statements: number;
  shrinks: number;
  /** What each message set off when replayed with function statistics on (filled in by check). */
  account?: MessageAccount[];
  /** Whether the account showed the broken bumps again (false: the replay did not reproduce them). */
  accountReproduced?: boolean;
  /** How it fared sent again split up (experiment.ts), what its diagnosis rests on; absent when not split. */
  replays?: { split: Split; reproduced: boolean }[];
}

/** A counterexample from a failing run: its messages up to the last one run, and where it came from. */
export function counterexampleOf(
  failure: { workload: Workload; messages: PlannedMessage[]; violations: Violation[]; messagesRun: number },
  source: ReplaySource,
  shrinks: number,
): Counterexample {
  const run = failure.messages.slice(0, failure.messagesRun);
  const last = Math.max(0, ...failure.violations.map((v) => v.message));
  return {
    workload: failure.workload,
    violations: failure.violations,
    messages: failure.messages.slice(0, last + 1),
    source,
    statements: run.reduce((n, m) => n + m.statements.length, 0),
    shrinks,
  };
}

/** One (tenant, domain) around one message: how often it had to be bumped and how often it was. */
export interface PairBumps {
  tenant: string;
  domain: string;
  expected: number;
  observed: number;
}

/** What one message of a counterexample set off in the database: the cause behind the symptom. */
export interface MessageAccount {
  /** 0-based index of the message. */
  message: number;
  error: string | null;
  /**
   * Functions that ran while the message ran, in every schema (triggers marked), most calls first;
   * null where the server does not let turbo-sim track them.
   */
  firings: { name: string; calls: number; trigger: boolean }[] | null;
  /** Every pair the message had to bump or did bump. */
  bumps: PairBumps[];
}
