/**
 * Comparing one count-based figure between two single-run snapshots: a hit
 * or stale ratio (difference of two proportions), a rate (ratio of two
 * Poisson rates), loads per expiry (ratio of two such figures). Each gives a
 * two-sided p-value and an interval for the change; `a` is the old snapshot,
 * `b` the new one.
 */
import { checkCounts, checkLoads, loadsPerExpiryInterval, tailOf, wilson } from './counts.ts';
import { betaQuantile, binomialCdf, lnGamma, normalCdf } from './special.ts';

export interface ProportionCounts {
  events: number;
  trials: number;
}

export interface RateCounts {
  count: number;
  /** Time, reads or expiries the count accrued over; the rate is count / exposure. */
  exposure: number;
}

export interface LoadCounts {
  loads: number;
  expiries: number;
}

export interface CountComparison {
  /** b − a for proportions, b / a for rates. */
  estimate: number;
  lower: number;
  upper: number;
  pValue: number;
}

/**
 * b − a for two proportions. Interval: Newcombe's hybrid score interval
 * (Statistics in Medicine 17, 1998, method 10), Wilson intervals combined
 * per side, which keeps near-nominal coverage down to a handful of events.
 * p-value: Fisher's exact test (doubled smaller tail), which stays right
 * for stale reads that number in the tens out of thousands, where the z-test
 * is not (2 vs 12 in 10,000: z gives 0.0075, exact 0.013). Past
 * `EXACT_TERMS` possible tables every margin is that large and the pooled
 * two-proportion z-test agrees with it, at a fraction of the cost.
 */
export function proportionDifference(a: ProportionCounts, b: ProportionCounts, level = 0.95): CountComparison {
  checkCounts(a.events, a.trials);
  checkCounts(b.events, b.trials);
  const pa = a.events / a.trials;
  const pb = b.events / b.trials;
  const wa = wilson(a.events, a.trials, level);
  const wb = wilson(b.events, b.trials, level);
  const estimate = pb - pa;
  return {
    estimate,
    lower: estimate - Math.hypot(pb - wb.lower, wa.upper - pa),
    upper: estimate + Math.hypot(wb.upper - pb, pa - wa.lower),
    pValue: twoProportionP(a, b),
  };
}

/** Fisher's test sums one term per possible table: up to this many. */
const EXACT_TERMS = 20_000;

function twoProportionP(a: ProportionCounts, b: ProportionCounts): number {
  const events = a.events + b.events;
  const trials = a.trials + b.trials;
  const tables = Math.min(events, a.trials) - Math.max(0, events - b.trials) + 1;
  if (tables <= EXACT_TERMS) return fisherExactP(a, b);
  const pooled = events / trials;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const z = Math.abs(b.events / b.trials - a.events / a.trials) / se;
  return Math.min(1, 2 * normalCdf(-z));
}

/**
 * Fisher's exact test on the 2×2 table: given all the events, a's share is
 * hypergeometric. Two-sided by doubling the smaller tail, the convention
 * that agrees with the Clopper–Pearson-style intervals used here.
 */
function fisherExactP(a: ProportionCounts, b: ProportionCounts): number {
  const events = a.events + b.events;
  const trials = a.trials + b.trials;
  const lo = Math.max(0, events - b.trials);
  const hi = Math.min(events, a.trials);
  const lnTotal = lnChoose(trials, a.trials);
  let below = 0;
  let above = 0;
  for (let x = lo; x <= hi; x++) {
    const p = Math.exp(lnChoose(events, x) + lnChoose(trials - events, a.trials - x) - lnTotal);
    if (x <= a.events) below += p;
    if (x >= a.events) above += p;
  }
  return Math.min(1, 2 * Math.min(below, above));
}

/**
 * b's rate over a's, (count_b/exposure_b)/(count_a/exposure_a), for Poisson
 * counts. Given the total S, a's count is Binomial(S, π) with
 * π = e_a/(e_a + R·e_b), so the exact conditional test and the
 * Clopper–Pearson interval for π carry over to R (Cox, "Some simple
 * approximate tests for Poisson variates", Biometrika 40, 1953). A zero
 * count leaves the interval open at that end (0 or Infinity).
 */
export function poissonRateRatio(a: RateCounts, b: RateCounts, level = 0.95): CountComparison {
  checkRate(a);
  checkRate(b);
  const total = a.count + b.count;
  const estimate = (b.count / b.exposure) * (a.exposure / a.count); // NaN when both are 0
  if (total === 0) return { estimate, lower: 0, upper: Number.POSITIVE_INFINITY, pValue: 1 };
  const tail = tailOf(level);
  const piLower = a.count === 0 ? 0 : betaQuantile(tail, a.count, total - a.count + 1);
  const piUpper = a.count === total ? 1 : betaQuantile(1 - tail, a.count + 1, total - a.count);
  const toRatio = (pi: number) => (a.exposure * (1 - pi)) / (pi * b.exposure); // π = 0 gives Infinity
  const pi0 = a.exposure / (a.exposure + b.exposure);
  const below = binomialCdf(a.count, total, pi0);
  const above = 1 - binomialCdf(a.count - 1, total, pi0);
  return {
    estimate,
    lower: toRatio(piUpper),
    upper: toRatio(piLower),
    pValue: Math.min(1, 2 * Math.min(below, above)),
  };
}

/**
 * b's loads per expiry over a's. Same model as `loadsPerExpiryInterval`:
 * extra loads X = L − E are Poisson with exposure E, so "no change" is the
 * exact conditional test of equal extra-load rates (`poissonRateRatio` on
 * X). The interval for the ratio of ρ = 1 + X/E combines the two exact
 * per-side intervals by MOVER on the log scale (Zou & Donner, "Construction
 * of confidence limits about effect measures: a general approach",
 * Statistics in Medicine 27, 2008), the same recovery Newcombe's interval
 * uses for a difference.
 */
export function loadsPerExpiryRatio(a: LoadCounts, b: LoadCounts, level = 0.95): CountComparison {
  checkLoads(a.loads, a.expiries);
  checkLoads(b.loads, b.expiries);
  const extraA = Math.max(0, a.loads - a.expiries);
  const extraB = Math.max(0, b.loads - b.expiries);
  const { pValue } = poissonRateRatio(
    { count: extraA, exposure: a.expiries },
    { count: extraB, exposure: b.expiries },
    level,
  );
  const rhoA = 1 + extraA / a.expiries;
  const rhoB = 1 + extraB / b.expiries;
  const ia = loadsPerExpiryInterval(a.loads, a.expiries, level);
  const ib = loadsPerExpiryInterval(b.loads, b.expiries, level);
  const logRatio = Math.log(rhoB / rhoA);
  const down = Math.hypot(Math.log(rhoB / ib.lower), Math.log(ia.upper / rhoA));
  const up = Math.hypot(Math.log(ib.upper / rhoB), Math.log(rhoA / ia.lower));
  return {
    estimate: (b.loads / b.expiries) * (a.expiries / a.loads),
    lower: Math.exp(logRatio - down),
    upper: Math.exp(logRatio + up),
    pValue,
  };
}

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

function checkRate(r: RateCounts): void {
  if (!Number.isInteger(r.count) || r.count < 0) throw new RangeError(`count must be an integer >= 0, got ${r.count}`);
  if (!(r.exposure > 0) || !Number.isFinite(r.exposure)) {
    throw new RangeError(`exposure must be finite and > 0, got ${r.exposure}`);
  }
}
