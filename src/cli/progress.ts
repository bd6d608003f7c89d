import type { CheckOptions } from '../verify/check.js';

/** Seconds as a person reads them. */
const secondsText = (ms: number) =>
  ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;

/**
 * A check's progress on stderr: the property it is on, runs done of the total, and an estimate of
 * the time left for the property, redrawn in place at most every 100 ms. Only for a person at a
 * terminal: `live` false draws nothing (stdout piped, or a machine reporter).
 */
export function checkProgress(
  live: boolean,
  totalRuns: number,
  stream: NodeJS.WriteStream = process.stderr,
): Pick<CheckOptions, 'onProgress' | 'onRun'> & { interrupted: () => void } {
  let property = '';
  let started = 0;
  let drawn = 0;
  const draw = (text: string) => stream.write(`\r\x1b[2K${text}`);
  return {
    // A signal's message goes on a line of its own, not after the half-drawn progress line.
    interrupted: () => {
      if (live && property) stream.write('\n');
    },
    onProgress: (e) => {
      if (!live) return;
      if (!e.done) {
        property = e.property;
        started = performance.now();
        draw(`checking ${property}  0/${totalRuns} runs`);
      } else {
        draw(`${e.property} ${e.ok ? 'holds' : 'FAILS'}  (${secondsText(performance.now() - started)})\n`);
        property = '';
      }
    },
    onRun: (runs) => {
      const now = performance.now();
      if (!live || !property || now - drawn < 100) return;
      drawn = now;
      const left = ((now - started) / runs) * Math.max(0, totalRuns - runs);
      draw(`checking ${property}  ${runs}/${totalRuns} runs  about ${secondsText(left)} left`);
    },
  };
}
