import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/input-error.js';
import {
  allOrders,
  dropStep,
  formatPath,
  orderCount,
  parsePath,
  randomOrder,
} from '../../src/model/schedule.js';

// Orders of concurrent sessions' units: what --seed, --exhaustive and --path stand on.
describe('interleavings', () => {
  const counts = [
    [2, 1],
    [1, 2],
  ]; // session 0: a read (2 units) then a statement; session 1 the reverse

  it('draws the same order from the same seed, with every unit of every session once', () => {
    const a = randomOrder(counts, 7);
    expect(randomOrder(counts, 7)).toEqual(a);
    expect([a.filter((s) => s === 0).length, a.filter((s) => s === 1).length]).toEqual([3, 3]);
    const seen = new Set(Array.from({ length: 40 }, (_, i) => randomOrder(counts, i).join('')));
    expect(seen.size).toBeGreaterThan(5);
  });

  it('lists every interleaving once, as many as the multinomial says, and refuses too many', () => {
    const all = allOrders(counts, 100);
    expect(all.length).toBe(orderCount(counts));
    expect(all.length).toBe(20); // 6! / (3! 3!)
    expect(new Set(all.map((o) => o.join(''))).size).toBe(20);
    expect(() => allOrders([[5, 5], [5, 5], [5]], 100)).toThrow(InputError);
  });

  it('drops the units of one step and keeps the rest in order', () => {
    // session 0's step 0 is its first two units; step 1 its third
    expect(dropStep([0, 1, 0, 1, 1, 0], counts, 0, 0)).toEqual([1, 1, 1, 0]);
    expect(dropStep([0, 1, 0, 1, 1, 0], counts, 0, 1)).toEqual([0, 1, 0, 1, 1]);
    expect(dropStep([0, 1, 0, 1, 1, 0], counts, 1, 1)).toEqual([0, 1, 0, 0]);
  });

  it('writes a replay path it reads back, and names what is wrong with a bad one', () => {
    const path = { keep: [[1, 3], [0]], order: [0, 1, 1, 0] };
    expect(formatPath(path)).toBe('keep=0:1.3,1:0;order=0,1,1,0');
    expect(parsePath(formatPath(path), 2)).toEqual(path);
    expect(parsePath('order=1,0', 2)).toEqual({ keep: null, order: [1, 0] });
    expect(() => parsePath('order=0,2', 2)).toThrow(/session numbers below 2/);
    expect(() => parsePath('keep=5:1;order=0', 2)).toThrow(/keep names session 5/);
  });
});
