import type { ReadPath } from '../engine/design/install.js';
import type { Counterexample } from './counterexample.js';
import type { Diagnosis } from './diagnosis.js';

/** Which slice of the runs a check runs: run index i belongs to shard (i mod count) + 1. */
export interface Shard {
  index: number;
  count: number;
}

/** The run indices of `shard` among `runs` runs, ascending (all of them without a shard). */
export function shardIndices(runs: number, shard?: Shard): number[] {
  const all = Array.from({ length: runs }, (_, i) => i);
  return shard ? all.filter((i) => i % shard.count === shard.index - 1) : all;
}

/**
 * The statements and cached reads of the runs in `ran` before run index `first` (all of them when
 * null): what a check counts for a property before it shrinks, sharded or not.
 */
export function countBefore(
  ran: ShardRuns['ran'],
  first: number | null,
): { statements: number; reads: number } {
  const before = ran.filter(([i]) => first === null || i < first);
  return {
    statements: before.reduce((n, [, s]) => n + s, 0),
    reads: before.reduce((n, [, , r]) => n + r, 0),
  };
}

/** What one shard did for one property, beyond its verdict: enough to add it up with the other shards. */
export interface ShardRuns {
  /** The run indices it ran up to its first failure, with the statements and cached reads of each. */
  ran: [index: number, statements: number, reads: number][];
  /** Its first failing run index, or null. */
  firstFailure: number | null;
  /** What shrinking its first failure checked (the failing run replayed included), or null. */
  shrinking: { statements: number; reads: number } | null;
}

/** The verdict of one property. */
export interface PropertyResult {
  name: string;
  description: string;
  ok: boolean;
  /** Runs executed (stops at the first failure, before shrinking). */
  runs: number;
  /** Milliseconds from the start of the property to its first failing run (before shrinking), or null. */
  firstFailureMs: number | null;
  counterexample: Counterexample | null;
  /** Why the counterexample broke the promise, where a known pattern says (null when it holds). */
  diagnosis: Diagnosis | null;
  /** With --path: how many replays it took (a clock-dependent failure may need several). */
  replayTries?: number;
  /** Statements checked for this property (the runs up to the first failure, then shrinking). */
  statementsChecked: number;
  /** Of those, cached reads compared with a fresh build. */
  readsChecked: number;
  elapsedMs: number;
  /** In a shard's report only: what `merge` needs to give the unsharded report. */
  shardRuns?: ShardRuns;
}

/** What `turbo-sim check` found. */
export interface CheckReport {
  design: string;
  backend: string;
  ok: boolean;
  runs: number;
  seed: number;
  /** The read path cached reads went through: the base layer's, or the design's own. */
  readPath: ReadPath;
  properties: PropertyResult[];
  /** Properties not run, and why (a graph without cached reads skips the read properties). */
  skipped: { name: string; reason: string }[];
  statementsChecked: number;
  /** Of those, cached reads compared with a fresh build. */
  readsChecked: number;
  elapsedMs: number;
  /** Set in a shard's report: this is shard `index` of `count` (1-based), to be merged. */
  shard?: Shard;
  /**
   * Set in a shard's report: a hash of what decides the verdict (the design's SQL, the graph, runs,
   * seed, shrinking, the properties), so that `merge` refuses shards of different checks.
   */
  fingerprint?: string;
}
