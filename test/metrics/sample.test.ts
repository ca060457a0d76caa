import { describe, expect, it } from 'vitest';
import {
  bootstrapMedianInterval,
  median,
  orderStatisticInterval,
  orderStatisticRanks,
  quantile,
} from '../../src/metrics/sample.ts';
import { createRng } from '../../src/workload/rng.ts';
import { expectClose } from '../helpers/close.ts';

describe('quantile (type 7, as R and NumPy)', () => {
  it('interpolates between order statistics', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expectClose(quantile([10, 20, 30, 40], 0.9), 37); // h = 2.7: 30 + 0.7·10 (numpy.quantile gives 37.0)
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([5, 1], 0)).toBe(1);
    expect(quantile([5, 1], 1)).toBe(5);
  });

  it('rejects what has no quantile', () => {
    expect(() => median([])).toThrow('need at least one value, got an empty sample');
    expect(() => median([1, Number.NaN])).toThrow('the sample contains NaN');
    expect(() => quantile([1], 1.5)).toThrow('p must be in [0, 1], got 1.5');
  });
});

describe('orderStatisticInterval', () => {
  it('uses the textbook ranks for the median, with their exact binomial coverage', () => {
    // n = 10: P(B ≤ 1) = 11/1024 ≤ 2.5% < P(B ≤ 2), so x(2)..x(9), coverage 1 − 22/1024.
    expect(orderStatisticRanks(10)).toEqual({ lowerRank: 2, upperRank: 9, coverage: 1 - 22 / 1024 });
    // n = 20: P(B ≤ 5) = 21700/2^20, so x(6)..x(15).
    const twenty = orderStatisticRanks(20);
    expect([twenty.lowerRank, twenty.upperRank]).toEqual([6, 15]);
    expectClose(twenty.coverage, 1 - (2 * 21700) / 2 ** 20, 1e-12);
  });

  it('says when too few runs cannot reach the level', () => {
    // n = 5: min..max is all there is, and it covers 1 − 2/32.
    const five = orderStatisticRanks(5);
    expect([five.lowerRank, five.upperRank]).toEqual([1, 5]);
    expectClose(five.coverage, 0.9375, 1e-12);
    expect(orderStatisticRanks(6).coverage).toBeCloseTo(1 - 2 / 64, 12);
    expect(orderStatisticRanks(1).coverage).toBe(0);
  });

  it('handles other quantiles: p90 of 20 runs cannot get a 2.5% upper tail (0.9²⁰ = 12%)', () => {
    const p90 = orderStatisticRanks(20, 0.9);
    expect(p90.upperRank).toBe(20);
    expect(p90.coverage).toBeLessThan(0.95);
    expect(p90.coverage).toBeGreaterThan(0.85);
  });

  it('returns the sample values at those ranks', () => {
    const runs = [9, 3, 7, 1, 5, 10, 2, 8, 4, 6];
    expect(orderStatisticInterval(runs)).toMatchObject({ lower: 2, upper: 9 });
  });

  it('covers the true median as often as it claims (seeded exponential runs)', () => {
    const rng = createRng(7).fork('coverage');
    const trueMedian = Math.LN2; // median of Exp(1)
    const trials = 4000;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const runs = Array.from({ length: 12 }, () => rng.exponential(1));
      const interval = orderStatisticInterval(runs);
      if (interval.lower <= trueMedian && trueMedian <= interval.upper) covered++;
    }
    const claimed = orderStatisticRanks(12).coverage; // 0.9807
    const sd = Math.sqrt((claimed * (1 - claimed)) / trials);
    expect(Math.abs(covered / trials - claimed)).toBeLessThan(4 * sd);
  });
});

describe('bootstrapMedianInterval', () => {
  const runs = [1.21, 1.35, 1.18, 1.42, 1.29, 1.25, 1.5, 1.31, 1.27, 1.22, 1.38, 1.19];

  it('is reproducible from the seed', () => {
    const a = bootstrapMedianInterval(runs, createRng(1).fork('bootstrap'));
    const b = bootstrapMedianInterval(runs, createRng(1).fork('bootstrap'));
    expect(b).toEqual(a);
    expect(a).toMatchObject({ resamples: 2000, level: 0.95 });
  });

  it('brackets the median within the sample range', () => {
    const { lower, upper } = bootstrapMedianInterval(runs, createRng(3).fork('bootstrap'));
    expect(lower).toBeLessThanOrEqual(median(runs));
    expect(upper).toBeGreaterThanOrEqual(median(runs));
    expect(lower).toBeGreaterThanOrEqual(Math.min(...runs));
    expect(upper).toBeLessThanOrEqual(Math.max(...runs));
    expect(upper).toBeGreaterThan(lower);
  });

  it('agrees with the exact interval on a large sample', () => {
    const rng = createRng(11).fork('sample');
    const large = Array.from({ length: 400 }, () => rng.exponential(1));
    const boot = bootstrapMedianInterval(large, createRng(11).fork('bootstrap'));
    const exact = orderStatisticInterval(large);
    const width = exact.upper - exact.lower;
    expect(Math.abs(boot.lower - exact.lower)).toBeLessThan(0.35 * width);
    expect(Math.abs(boot.upper - exact.upper)).toBeLessThan(0.35 * width);
  });
});
