/**
 * Summaries of repeated runs: the median (or any quantile) of one figure over
 * N repeats, with a 95% interval. Two intervals:
 *
 * - exact order statistics: distribution-free, valid for any continuous
 *   figure and any N, with the coverage it really achieves (for the median of
 *   5 runs the widest possible interval, min to max, covers only 93.75%);
 * - the percentile bootstrap of the median, seeded through rng.ts so that a
 *   snapshot's summary is the same on every machine.
 */
import type { Rng } from '../workload/rng.ts';
import { binomialCdf } from './special.ts';

export interface Interval {
  lower: number;
  upper: number;
}

export interface OrderStatisticInterval extends Interval {
  /** 1-based ranks of the order statistics used: lower = x₍lowerRank₎, upper = x₍upperRank₎. */
  lowerRank: number;
  upperRank: number;
  /** P(x₍lowerRank₎ ≤ true quantile ≤ x₍upperRank₎) for continuous figures; may fall short of the level for small N. */
  coverage: number;
}

export interface BootstrapInterval extends Interval {
  resamples: number;
  level: number;
}

/**
 * The p-quantile by linear interpolation between order statistics:
 * h = (n − 1)·p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) (0-based). This is
 * Hyndman & Fan's type 7, the default of R, NumPy and Excel's PERCENTILE.INC.
 */
export function quantile(sample: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  return sortedQuantile(sortedCopy(sample), p);
}

/** The middle value, or the mean of the two middle values (type 7 at p = ½). */
export function median(sample: readonly number[]): number {
  return quantile(sample, 0.5);
}

/**
 * Distribution-free interval for the p-quantile from the sample's own order
 * statistics. The count B of runs at or below the true quantile is
 * Binomial(n, p), and x₍l₎ ≤ ξ_p < x₍u₎ exactly when l ≤ B < u, so the
 * coverage is P(l ≤ B ≤ u − 1). The ranks are the narrowest equal-tailed
 * pair with each tail ≤ (1 − level)/2 (Conover, "Practical Nonparametric
 * Statistics", 3rd ed., §3.2). When n is too small for that, the interval is
 * the whole sample, min to max, and `coverage` says how much less it is.
 */
export function orderStatisticInterval(sample: readonly number[], p = 0.5, level = 0.95): OrderStatisticInterval {
  const sorted = sortedCopy(sample);
  const ranks = orderStatisticRanks(sorted.length, p, level);
  return {
    lower: sorted[ranks.lowerRank - 1] as number,
    upper: sorted[ranks.upperRank - 1] as number,
    ...ranks,
  };
}

/** The ranks and coverage of `orderStatisticInterval` for a sample of n: they depend on n, p and level only. */
export function orderStatisticRanks(n: number, p = 0.5, level = 0.95) {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`need at least one value, got n=${n}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  checkLevel(level);
  const tail = (1 - level) / 2;
  // Largest l with P(B ≤ l − 1) ≤ tail; smallest u with P(B ≥ u) ≤ tail.
  let lowerRank = 1;
  while (lowerRank < n && binomialCdf(lowerRank, n, p) <= tail) lowerRank++;
  let upperRank = n;
  // P(B ≥ u) = P(n − B ≤ n − u), with n − B ~ Binomial(n, 1 − p): no cancellation in 1 − CDF.
  const upperTail = (u: number) => binomialCdf(n - u, n, 1 - p);
  while (upperRank > lowerRank && upperTail(upperRank - 1) <= tail) upperRank--;
  const coverage = Math.max(0, 1 - binomialCdf(lowerRank - 1, n, p) - upperTail(upperRank)); // rounding dust at n = 1
  return { lowerRank, upperRank, coverage };
}

/**
 * Percentile bootstrap of the median (Efron & Tibshirani, "An Introduction
 * to the Bootstrap", 1993, §13.3): resample the runs with replacement,
 * take each resample's median, and return the (1 ± level)/2 quantiles of
 * those medians. With few runs it can only return values the sample
 * contains, and it under-covers: prefer `orderStatisticInterval` below 10.
 */
export function bootstrapMedianInterval(
  sample: readonly number[],
  rng: Rng,
  options: { resamples?: number; level?: number } = {},
): BootstrapInterval {
  const { resamples = 2000, level = 0.95 } = options;
  checkLevel(level);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be >= 1, got ${resamples}`);
  const n = sample.length;
  if (n === 0) throw new RangeError('need at least one value, got an empty sample');
  const draw = new Float64Array(n);
  const medians = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) draw[i] = sample[Math.floor(rng.next() * n)] as number;
    medians[b] = sortedQuantile(draw.sort(), 0.5);
  }
  medians.sort();
  const tail = (1 - level) / 2;
  return { lower: sortedQuantile(medians, tail), upper: sortedQuantile(medians, 1 - tail), resamples, level };
}

/** Type 7 on an already sorted, non-empty array. */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const below = sorted[i] as number;
  return i + 1 < sorted.length ? below + (h - i) * ((sorted[i + 1] as number) - below) : below;
}

/** A sorted copy; rejects an empty sample and NaN, which would sort anywhere. */
export function sortedCopy(sample: readonly number[]): Float64Array {
  if (sample.length === 0) throw new RangeError('need at least one value, got an empty sample');
  const sorted = Float64Array.from(sample);
  if (sorted.some(Number.isNaN)) throw new RangeError('the sample contains NaN');
  return sorted.sort();
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
}
