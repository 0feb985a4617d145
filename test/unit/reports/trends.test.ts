import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { change, risers, signedRootG, zFor } from '../../../src/reports/trends.js';

describe('what changed: rises ranked by evidence, not by raw counts', () => {
  const totals = { current: 100_000, baseline: 100_000 };

  it('ranks a new pattern of 50 above a big steady channel that grew 5 % (though that is z ≈ 5), and drops a doubling on 6', () => {
    const ranked = risers(
      [
        { key: 'partner-big', current: 21_000, baseline: 20_000 }, // steady, +5 %
        { key: 'proxy-region-x', current: 50, baseline: 0 }, // new
        { key: 'tiny', current: 4, baseline: 2 }, // doubled, but on 6 alerts
        { key: 'falling', current: 10, baseline: 400 },
      ],
      totals,
    );
    expect(ranked.map((c) => c.key)).toEqual(['proxy-region-x', 'partner-big']);
    expect(ranked[0]?.z).toBeGreaterThan(8);
    expect(ranked[1]?.z).toBeGreaterThan(4); // significant, but small: it ranks second
    expect(ranked[0]?.logRatioLow).toBeGreaterThan(10 * (ranked[1]?.logRatioLow ?? 0));
    expect(ranked[0]?.ratio).toBeCloseTo(101, 0); // smoothed: a value absent from the baseline has a finite ratio
  });

  it('scores no change as 0 and accounts for periods of different volume', () => {
    expect(signedRootG(100, 100, 0.5)).toBe(0);
    // twice the applications in the current period: twice the count is no change
    expect(change({ key: 'k', current: 200, baseline: 100 }, { current: 2000, baseline: 1000 }).z).toBeCloseTo(0, 10);
    expect(risers([{ key: 'k', current: 200, baseline: 100 }], { current: 2000, baseline: 1000 })).toEqual([]);
  });

  it('is about a z-score: the binomial normal approximation agrees on a large count', () => {
    const [c1, c0, p] = [5_300, 5_000, 0.5];
    const n = c1 + c0;
    const z = (c1 - n * p) / Math.sqrt(n * p * (1 - p));
    expect(signedRootG(c1, c0, p)).toBeCloseTo(z, 1);
  });

  it('grows with the evidence: the same ratio on more alerts scores and ranks higher', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 2, max: 5 }), (base, factor) => {
        const small = change({ key: 's', current: base * factor, baseline: base }, totals);
        const large = change({ key: 'l', current: base * factor * 10, baseline: base * 10 }, totals);
        return large.z > small.z && small.z > 0 && large.logRatioLow > small.logRatioLow;
      }),
    );
  });

  it('refuses negative or non-finite counts', () => {
    expect(() => change({ key: 'k', current: -1, baseline: 0 }, totals)).toThrow(RangeError);
    expect(() => change({ key: 'k', current: Number.NaN, baseline: 0 }, totals)).toThrow(RangeError);
  });
});

describe('many values compared at once', () => {
  it('asks more of z the more values are compared, so steady noise across thousands of values does not rank', () => {
    expect(zFor(1)).toBeCloseTo(2.448, 2);
    expect(zFor(5000)).toBeCloseTo(4.799, 2);
    // 28 against 8 alerts (z ≈ 3.4) is a rise for one value, chance among 5,000
    const noisy = { key: 'partner-070 × vpn', current: 28, baseline: 8 };
    const steady = Array.from({ length: 4999 }, (_, i) => ({ key: `v${i}`, current: 10, baseline: 10 }));
    const totals = { current: 1_000_000, baseline: 1_000_000 };
    expect(risers([noisy], totals).map((c) => c.key)).toEqual(['partner-070 × vpn']);
    expect(risers([noisy, ...steady], totals)).toEqual([]);
    expect(risers([{ key: 'burst', current: 108, baseline: 0 }, ...steady], totals).map((c) => c.key)).toEqual(['burst']);
  });
});
