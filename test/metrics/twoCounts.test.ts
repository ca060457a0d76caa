/**
 * Two snapshots' counts compared. Newcombe's interval against the worked
 * examples of his paper (Statistics in Medicine 17, 1998, Table II, method
 * 10); p-values against exact counts and SciPy 1.17.1.
 */
import { describe, expect, it } from 'vitest';
import { loadsPerExpiryInterval } from '../../src/metrics/counts.ts';
import { loadsPerExpiryRatio, poissonRateRatio, proportionDifference } from '../../src/metrics/twoCounts.ts';
import { expectClose } from '../helpers/close.ts';

/** Newcombe's examples as (a, m, b, n) for a/m − b/n, with his method 10 limits to 4 decimals. */
const NEWCOMBE: Array<[number, number, number, number, number, number]> = [
  [56, 70, 48, 80, 0.0524, 0.3339],
  [9, 10, 3, 10, 0.1705, 0.809],
  [5, 56, 0, 29, -0.0381, 0.1926],
  [0, 10, 0, 20, -0.1611, 0.2775],
  [0, 10, 0, 10, -0.2775, 0.2775],
  [10, 10, 0, 20, 0.6791, 1],
  [10, 10, 0, 10, 0.6075, 1],
];

describe('proportionDifference', () => {
  it("reproduces Newcombe's worked examples to 4 decimals", () => {
    for (const [a, m, b, n, lower, upper] of NEWCOMBE) {
      // The old snapshot is b/n, the new a/m: the difference is new − old.
      const result = proportionDifference({ events: b, trials: n }, { events: a, trials: m });
      expect(result.estimate).toBeCloseTo(a / m - b / n, 12);
      expect(result.lower, `${a}/${m} − ${b}/${n}`).toBeCloseTo(lower, 4);
      expect(result.upper, `${a}/${m} − ${b}/${n}`).toBeCloseTo(upper, 4);
    }
  });

  it('tests with the pooled z when counts are large (ttl-sweep hit ratios: 0.657 vs 0.643 of 40,000 reads)', () => {
    // pooled p = 0.65, se = √(p(1 − p)·2/40000), z = 0.014/se = 4.151; 2Φ(−4.151) = 3.31e-5.
    const pooled = 0.65;
    const z = 0.014 / Math.sqrt((pooled * (1 - pooled) * 2) / 40000);
    const { pValue } = proportionDifference({ events: 26280, trials: 40000 }, { events: 25720, trials: 40000 });
    expectClose(z, 4.151, 1e-4);
    expectClose(pValue, 3.3107e-5, 1e-3);
  });

  it('tests small tables exactly (Fisher, 56/70 vs 48/80)', () => {
    // Twice SciPy's one-sided fisher_exact(alternative='greater'), 0.006324711129898369.
    const { pValue } = proportionDifference({ events: 48, trials: 80 }, { events: 56, trials: 70 });
    expectClose(pValue, 2 * 0.006324711129898369, 1e-9);
  });

  it('stays exact for rare events, where z would be off (2 vs 12 stale reads in 10,000)', () => {
    // Twice SciPy's fisher_exact(alternative='less'), 0.006454737725077613; the z-test would say 0.0075.
    const { pValue } = proportionDifference({ events: 2, trials: 10000 }, { events: 12, trials: 10000 });
    expectClose(pValue, 2 * 0.006454737725077613, 1e-9);
  });

  it('finds no difference in equal counts, and a 0.1-point wobble at 20,000 reads is not significant', () => {
    expect(proportionDifference({ events: 5, trials: 10 }, { events: 5, trials: 10 }).pValue).toBe(1);
    const wobble = proportionDifference({ events: 13140, trials: 20000 }, { events: 13120, trials: 20000 });
    expect(wobble.pValue).toBeGreaterThan(0.5);
    expect(wobble.lower).toBeLessThan(0);
    expect(wobble.upper).toBeGreaterThan(0);
  });
});

describe('poissonRateRatio', () => {
  it('tests equal rates exactly: 2 vs 12 over equal time is P(Bin(14, ½) ≤ 2)·2 = 2·106/16384', () => {
    const result = poissonRateRatio({ count: 2, exposure: 1 }, { count: 12, exposure: 1 });
    expect(result.estimate).toBe(6);
    expectClose(result.pValue, (2 * 106) / 16384, 1e-12);
    // The interval maps Clopper–Pearson for 2 of 14 (0.01779, 0.42813) through (1 − π)/π.
    expectClose(result.lower, (1 - 0.428129160909699) / 0.428129160909699, 1e-9);
    expectClose(result.upper, (1 - 0.017794515483191515) / 0.017794515483191515, 1e-9);
  });

  it('weighs exposures: the same rate over twice the time is no change', () => {
    const result = poissonRateRatio({ count: 50, exposure: 10 }, { count: 100, exposure: 20 });
    expect(result.estimate).toBe(1);
    expect(result.pValue).toBe(1);
  });

  it('leaves the interval open at a zero count', () => {
    expect(poissonRateRatio({ count: 0, exposure: 1 }, { count: 0, exposure: 1 })).toMatchObject({
      lower: 0,
      upper: Number.POSITIVE_INFINITY,
      pValue: 1,
    });
    expect(poissonRateRatio({ count: 0, exposure: 1 }, { count: 5, exposure: 1 }).upper).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('loadsPerExpiryRatio', () => {
  it('calls 9 extra loads over 60 expiries a significant rise from none (p = 2·½⁹)', () => {
    const result = loadsPerExpiryRatio({ loads: 60, expiries: 60 }, { loads: 69, expiries: 60 });
    expect(result.estimate).toBeCloseTo(1.15, 12);
    expectClose(result.pValue, 2 * 0.5 ** 9, 1e-12);
    expect(result.lower).toBeGreaterThan(1);
    expect(result.upper).toBeGreaterThan(1.15);
  });

  it('contains the per-side intervals’ ratio of estimates, and no change for equal counts', () => {
    const same = loadsPerExpiryRatio({ loads: 535, expiries: 44 }, { loads: 535, expiries: 44 });
    expect(same.estimate).toBeCloseTo(1, 12);
    expect(same.pValue).toBe(1);
    expect(same.lower).toBeLessThan(1);
    expect(same.upper).toBeGreaterThan(1);
    // One side's own interval is narrower than the ratio's (both sides add uncertainty).
    const side = loadsPerExpiryInterval(535, 44);
    expect(same.upper - same.lower).toBeGreaterThan((side.upper - side.lower) / (535 / 44));
  });

  it('is not significant for a 3% wobble in a herd of 12 loads per expiry', () => {
    const result = loadsPerExpiryRatio({ loads: 535, expiries: 44 }, { loads: 551, expiries: 44 });
    expect(result.pValue).toBeGreaterThan(0.3);
  });
});
