import fc from 'fast-check';
import { backoffDelay, createBackoff } from './backoff';

describe('backoff', () => {
  it('doubles from the start delay up to the cap', () => {
    const policy = { startMs: 20, capMs: 250 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([20, 40, 80, 160, 250, 250]);
  });

  it('uses the given factor', () => {
    expect([0, 1, 2].map((n) => backoffDelay({ startMs: 100, capMs: 10_000, factor: 3 }, n))).toEqual([100, 300, 900]);
  });

  it('is never negative, never above the cap, and never decreasing (any policy, any attempt)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 60_000 }), fc.double({ min: 1, max: 10, noNaN: true }), fc.nat(5000), (startMs, capMs, factor, n) => {
        const policy = { startMs, capMs, factor };
        const d = backoffDelay(policy, n);
        expect(Number.isFinite(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.max(capMs, 0));
        expect(backoffDelay(policy, n + 1)).toBeGreaterThanOrEqual(d);
      }),
    );
  });

  it('a Backoff walks the delays and starts over after reset()', () => {
    const b = createBackoff({ startMs: 20, capMs: 100 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([20, 40, 80, 100]);
    b.reset();
    expect(b.next()).toBe(20);
  });
});
