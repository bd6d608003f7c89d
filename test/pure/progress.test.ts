import { describe, expect, it } from 'vitest';
import { checkProgress } from '../../src/cli/progress.js';

/** A stream that keeps what is written to it. */
function sink() {
  const written: string[] = [];
  return { written, stream: { write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

describe('the progress line', () => {
  it('shows the property, runs done of the total and the time left, redrawn in place, then the verdict', async () => {
    const { written, stream } = sink();
    const p = checkProgress(true, 100, stream);
    p.onProgress?.({ property: 'batch', done: false });
    await new Promise((r) => setTimeout(r, 120));
    p.onRun?.(25);
    p.onRun?.(26); // within 100 ms of the last drawing: not drawn
    p.onProgress?.({ property: 'upsert', done: false });
    p.interrupted(); // a signal: its message starts on a new line
    p.onProgress?.({ property: 'batch', done: true, ok: true });
    expect(written).toHaveLength(5);
    expect(written.filter((w) => w !== '\n').every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    expect(written[1]).toMatch(/checking batch {2}25\/100 runs {2}about \d+\.\d s left$/);
    expect(written[3]).toBe('\n');
    expect(written[4]).toMatch(/batch holds {2}\(\d+\.\d s\)\n$/);
  });

  it('draws nothing when not at a terminal', () => {
    const { written, stream } = sink();
    const p = checkProgress(false, 100, stream);
    p.onProgress?.({ property: 'batch', done: false });
    p.onRun?.(50);
    p.interrupted();
    p.onProgress?.({ property: 'batch', done: true, ok: false });
    expect(written).toEqual([]);
  });
});
