/**
 * Pausing between messages, in one place. A design that keys statements on statement_timestamp()
 * (the seed) can only be judged on its statement kind when consecutive messages start at different
 * times; PGlite's clock has millisecond resolution, so a message that starts on a later tick of
 * that clock (engine/database.ts: clockMs) than the last one ended suffices.
 */

import { clockMs, waitUntil } from '../engine/database.js';

/** Remembers when the last message ended, and holds the next one back until a pause has passed. */
export class Pacer {
  private lastEnd = Number.NEGATIVE_INFINITY;

  /** Waits until the clock reads `pauseMs` more than at the end of the last message (0: not at all). */
  async before(pauseMs: number): Promise<void> {
    if (pauseMs > 0) await waitUntil(this.lastEnd + pauseMs);
  }

  /** When the next message may start, given a pause of `pauseMs` (0: now). */
  due(pauseMs: number): number {
    return pauseMs > 0 ? this.lastEnd + pauseMs : 0;
  }

  /** Marks the end of a message: now, or `at` (a {@link clockMs} time) when it is known. */
  ended(at = clockMs()): void {
    this.lastEnd = at;
  }
}
