import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from '../../server/src/node/pacer';

describe('Pacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const pacer = (runs: number[]) => new Pacer(10, 150, () => runs.push(Date.now()), Date.now);

  it('runs the first request after a quiet spell after the short delay', () => {
    const runs: number[] = [];
    const start = Date.now();
    pacer(runs).request();
    vi.advanceTimersByTime(9);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([start + 10]);
  });

  it('gathers a burst of requests into one run per interval', () => {
    const runs: number[] = [];
    const start = Date.now();
    const paced = pacer(runs);
    // A keystroke every 20 ms for a second.
    for (let t = 0; t < 1000; t += 20) {
      paced.request();
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(200);
    expect(runs[0]).toBe(start + 10);
    const gaps = runs.slice(1).map((at, i) => at - (runs[i] ?? 0));
    expect(gaps.every((gap) => gap >= 150 && gap < 170)).toBe(true);
    // The last keystroke (at 980 ms) is not left behind.
    expect(runs.at(-1)).toBeGreaterThanOrEqual(start + 980);
  });

  it('lets a run ask again, which waits a whole interval', () => {
    const runs: number[] = [];
    const start = Date.now();
    let again = 2;
    const paced: Pacer = new Pacer(
      10,
      150,
      () => {
        runs.push(Date.now());
        if (again-- > 0) paced.request();
      },
      Date.now,
    );
    paced.request();
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual([start + 10, start + 160, start + 310]);
  });
});
