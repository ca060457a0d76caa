/**
 * Intervals for figures that are counts from one run: hit ratio and stale
 * ratio (events out of reads), an event count, and loads per expiry. They
 * need no repeats, which is what lets a single-run snapshot be judged.
 *
 * The binomial ones assume reads are independent trials. They are not quite
 * (a miss on a key makes its next reads of it hits until the TTL ends), but
 * the error is on the safe side: in a seeded simulation of the default
 * ttl-sweep (Zipf 0.99 over 10,000 keys, 2,000 reads/s, 10 s windows, 200
 * seeds) the hit ratio's spread between runs was 0.96, 0.89 and 0.82 of the
 * binomial spread at TTL 100 ms, 500 ms and 2 s.
 */
import type { Interval } from './sample.ts';
import { betaQuantile, gammaQuantile, normalQuantile } from './special.ts';

/**
 * Clopper–Pearson interval for a binomial proportion k/n (Biometrika 26,
 * 1934): the p whose one-sided binomial tails at k are each (1 − level)/2,
 * through the beta quantiles. Exact, hence conservative: it covers at least
 * the level for every p. At k = 0 the upper end is 1 − ((1 − level)/2)^(1/n).
 */
export function clopperPearson(k: number, n: number, level = 0.95): Interval {
  checkCounts(k, n);
  const tail = tailOf(level);
  return {
    lower: k === 0 ? 0 : betaQuantile(tail, k, n - k + 1),
    upper: k === n ? 1 : betaQuantile(1 - tail, k + 1, n - k),
  };
}

/**
 * Wilson score interval for k/n (JASA 22, 1927): the p the score test does
 * not reject. Near-nominal coverage, never outside [0, 1]; the building
 * block of Newcombe's interval for a difference (twoCounts.ts).
 */
export function wilson(k: number, n: number, level = 0.95): Interval {
  checkCounts(k, n);
  const z = normalQuantile(1 - tailOf(level));
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
  // At k = 0 and k = n the ends are exactly 0 and 1; the formula leaves rounding dust.
  return { lower: k === 0 ? 0 : centre - half, upper: k === n ? 1 : centre + half };
}

/**
 * Garwood's exact interval for the mean of a Poisson count k (Biometrika 28,
 * 1936): the gamma (χ²/2) quantiles, lower = Gamma(k).quantile(tail),
 * upper = Gamma(k + 1).quantile(1 − tail). At k = 0 the upper end is
 * −ln((1 − level)/2), 3.689 at 95%.
 */
export function garwood(k: number, level = 0.95): Interval {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`count must be an integer >= 0, got ${k}`);
  const tail = tailOf(level);
  return { lower: k === 0 ? 0 : gammaQuantile(tail, k), upper: gammaQuantile(1 - tail, k + 1) };
}

/**
 * Interval for loads per expiry, L/E, from one run.
 *
 * Why not the usual interval for a ratio of two Poisson counts (L given
 * L + E is binomial)? It treats loads and expiries as independent, but every
 * expiry brings its own first load, so L ≥ E and most of L moves with E.
 * Under that model single-flight's 48 loads over 48 expiries would get
 * [0.74, 1.35], an interval mostly made of impossible values.
 *
 * The model used instead follows ttl-model.md, "Stampede": each expiry costs
 * its first load plus the reads that arrive while that load is in flight,
 * Poisson with mean λΔ. Given E expiries, the extra loads X = L − E are then
 * Poisson(E·λΔ), so L/E = 1 + X/E has the exact interval 1 + Garwood(X)/E.
 * It is exact for coordinated strategies too (X = 0: [1, 1 + 3.69/E]).
 * It is narrower than reality when Δ itself varies a lot between expiries
 * (pool queueing under a herd); repeats, not one run, show that spread.
 *
 * A window edge can leave an expiry whose load ends after the window, so L
 * can fall short of E by a little; the shortfall is counted as X = 0.
 */
export function loadsPerExpiryInterval(loads: number, expiries: number, level = 0.95): Interval {
  checkLoads(loads, expiries);
  const extra = garwood(Math.max(0, loads - expiries), level);
  return { lower: 1 + extra.lower / expiries, upper: 1 + extra.upper / expiries };
}

export function checkLoads(loads: number, expiries: number): void {
  if (!Number.isInteger(loads) || loads < 0) throw new RangeError(`loads must be an integer >= 0, got ${loads}`);
  if (!Number.isInteger(expiries) || expiries < 1) {
    throw new RangeError(`expiries must be an integer >= 1, got ${expiries}`);
  }
}

export function checkCounts(k: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`trials must be an integer >= 1, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`events must be an integer in 0..${n}, got ${k}`);
}

/** (1 − level)/2, the probability left in each tail. */
export function tailOf(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return (1 - level) / 2;
}
