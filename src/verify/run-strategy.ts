import type { SqlError } from '../engine/database.js';
import type { PlannedMessage } from '../model/plan.js';
import type { Judge, Timing } from '../model/properties.js';
import type { Versions } from '../model/versions.js';

/** What the design did to one message, for scenario output. */
export interface MessageObservation {
  index: number;
  message: PlannedMessage;
  error: SqlError | null;
  before: Versions;
  after: Versions;
}

/**
 * How {@link Simulator.runPlan} sends a plan: the property's {@link Timing}, and for paused runs how
 * versions are judged and who hears about each message. Back to back has nothing to judge between
 * messages, so it takes neither.
 */
export type RunStrategy =
  | {
      kind: 'paused';
      pauseMs: number;
      /** How versions are judged after a message (default exact). */
      judge?: Judge;
      /** Called after each message with what it did. */
      onMessage?: (o: MessageObservation) => Promise<void> | void;
    }
  | { kind: 'back-to-back' };

/** The strategy of a property's timing and judge. */
export function strategyOf(timing: Timing, judge: Judge): RunStrategy {
  return timing.kind === 'paused' ? { kind: 'paused', pauseMs: timing.pauseMs, judge } : timing;
}
