/**
 * Mann–Whitney U against values computed by hand (exact null counts over
 * C(m+n, m) orderings) and SciPy 1.17.1's `mannwhitneyu`, including the
 * example in its documentation.
 */
import { describe, expect, it } from 'vitest';
import { mannWhitneyU, nullCdf, shiftInterval } from '../../src/metrics/mannWhitney.ts';
import { createRng } from '../../src/workload/rng.ts';
import { expectClose } from '../helpers/close.ts';

describe('mannWhitneyU, exact', () => {
  it('gives 2/C(m+n, m) when the samples do not overlap', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, pValue: 2 / 20, method: 'exact' });
    expectClose(mannWhitneyU([1, 2, 3, 4], [5, 6, 7, 8]).pValue, 2 / 70, 1e-12);
    expectClose(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).pValue, 2 / 252, 1e-12);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).u).toBe(25);
  });

  it('matches the SciPy documentation example (males vs females, U = 17, p = 0.1111)', () => {
    const result = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(result.u).toBe(17);
    expect(result.method).toBe('exact');
    expectClose(result.pValue, 0.1111111111111111, 1e-12);
  });

  it('counts the null distribution: for m = n = 2, U takes 0,1,2,2,3,4 over the 6 orderings', () => {
    expect([...nullCdf(2, 2)].map((p) => p * 6)).toEqual([1, 2, 4, 5, 6].map((c) => expect.closeTo(c, 12)));
  });

  it('matches SciPy on unequal sizes (4 vs 6, U = 4, p = 0.1143)', () => {
    expectClose(mannWhitneyU([1.1, 2.2, 3.3, 4.4], [2.5, 3.1, 5.0, 6.2, 7.7, 8.1]).pValue, 0.11428571428571428, 1e-12);
  });

  it('never exceeds 1 for identical orderings', () => {
    expect(mannWhitneyU([1, 4], [2, 3]).pValue).toBe(1);
  });
});

describe('mannWhitneyU, normal approximation', () => {
  it('is used with ties, with the tie and continuity corrections (SciPy: 0.11049202405566802)', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 4], [2, 3, 5, 6, 6]);
    expect(result).toMatchObject({ u: 4.5, method: 'normal' });
    expectClose(result.pValue, 0.11049202405566802, 1e-10);
  });

  it('is used above 50 a side (SciPy asymptotic: 0.014137969455911484)', () => {
    const x = Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7));
    const y = Array.from({ length: 60 }, (_, i) => Math.sin(i * 2 * 1.7) + 0.3);
    const result = mannWhitneyU(x, y);
    expect(result).toMatchObject({ u: 1332, method: 'normal' });
    expectClose(result.pValue, 0.014137969455911484, 1e-10);
  });

  it('gives p = 1 when every value is the same', () => {
    expect(mannWhitneyU([2, 2, 2], [2, 2])).toMatchObject({ pValue: 1, method: 'normal' });
  });

  it('rejects samples that cannot be ranked', () => {
    expect(() => mannWhitneyU([], [1])).toThrow('x is empty');
    expect(() => mannWhitneyU([1], [Number.NaN])).toThrow('y contains a value that is not finite');
  });
});

describe('shiftInterval', () => {
  it('takes the k-th smallest and largest pairwise difference (5 vs 5: k = 3)', () => {
    const result = shiftInterval([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    // Differences run 1..9 (1 once, 2 twice, ...): the 3rd smallest is 2, the 3rd largest 8.
    expect(result).toMatchObject({ estimate: 5, lower: 2, upper: 8 });
    // P(U ≤ 2) = (1 + 1 + 2)/252 ≤ 2.5% < P(U ≤ 3) = 7/252, so k = 3 and the coverage is 1 − 2·4/252.
    expectClose(result.coverage, 1 - (2 * 4) / 252, 1e-12);
  });

  it('falls back to min..max with the coverage it has when runs are too few (3 vs 3: 90%)', () => {
    const result = shiftInterval([1, 2, 3], [4, 5, 6]);
    expect(result).toMatchObject({ lower: 1, upper: 5 });
    expectClose(result.coverage, 0.9, 1e-12);
  });

  it('covers a known shift as often as it claims (seeded normal-ish runs, 6 vs 6)', () => {
    const rng = createRng(5).fork('shift');
    const noise = () => rng.exponential(1) - rng.exponential(1); // Laplace(0, 1)
    const trials = 3000;
    let covered = 0;
    let coverage = 0;
    for (let t = 0; t < trials; t++) {
      const x = Array.from({ length: 6 }, noise);
      const y = Array.from({ length: 6 }, () => noise() + 0.8);
      const interval = shiftInterval(x, y);
      coverage = interval.coverage;
      if (interval.lower <= 0.8 && 0.8 <= interval.upper) covered++;
    }
    const sd = Math.sqrt((coverage * (1 - coverage)) / trials);
    expect(Math.abs(covered / trials - coverage)).toBeLessThan(4 * sd);
  });

  it('uses the normal critical value above 50 a side', () => {
    const x = Array.from({ length: 60 }, (_, i) => i);
    const y = x.map((v) => v + 10);
    const result = shiftInterval(x, y);
    expect(result.estimate).toBe(10);
    expect(result.lower).toBeLessThan(10);
    expect(result.upper).toBeGreaterThan(10);
    expect(result.coverage).toBeCloseTo(0.95, 2);
  });
});
