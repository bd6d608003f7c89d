/**
 * Where a check's time goes, part by part, for `bench --verifier`. The parts are measured on the
 * main thread, so with several simulators side by side they add up to more than the wall clock.
 */
export const TIMING_PARTS = [
  'startup',
  'generation',
  'plan',
  'resets',
  'pauses',
  'database',
  'versions',
  'shrinking',
] as const;

/** One part of {@link TIMING_PARTS}: `plan` is the model and the SQL rendering, which it does as one step. */
export type TimingPart = (typeof TIMING_PARTS)[number];

/** Milliseconds spent per part, summed over every simulator. */
export class Timings {
  readonly ms: Record<TimingPart, number> = Object.fromEntries(TIMING_PARTS.map((p) => [p, 0])) as Record<
    TimingPart,
    number
  >;

  /** Adds `ms` to `part`. */
  add(part: TimingPart, ms: number): void {
    this.ms[part] += ms;
  }

  /** Runs `f`, adding its time to `part`. */
  async time<T>(part: TimingPart, f: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await f();
    } finally {
      this.add(part, performance.now() - start);
    }
  }

  /** The same for a synchronous `f`. */
  timeSync<T>(part: TimingPart, f: () => T): T {
    const start = performance.now();
    try {
      return f();
    } finally {
      this.add(part, performance.now() - start);
    }
  }
}
