/**
 * Pausing between messages, in one place. A design that keys statements on statement_timestamp()
 * (the seed) can only be judged on its statement kind when consecutive messages start at different
 * times; PGlite's clock has millisecond resolution, so a pause of 1 ms of real time suffices.
 */

/** The wall clock in milliseconds, with the sub-millisecond precision Date.now() lacks. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Waits until {@link wallClockMs} reaches `due`. Yields with setImmediate rather than setTimeout,
 * whose 1 ms granularity would double every pause; usually the version reads after the previous
 * message have already taken most of it.
 */
export async function waitUntil(due: number): Promise<void> {
  while (wallClockMs() < due) await new Promise((r) => setImmediate(r));
}

/** Remembers when the last message ended, and holds the next one back until a pause has passed. */
export class Pacer {
  private lastEnd = Number.NEGATIVE_INFINITY;

  /** Waits until `pauseMs` after the end of the last message (0: not at all). */
  async before(pauseMs: number): Promise<void> {
    if (pauseMs > 0) await waitUntil(this.lastEnd + pauseMs);
  }

  /** Marks the end of a message. */
  ended(): void {
    this.lastEnd = wallClockMs();
  }
}
