/**
 * One figure, old snapshot `a` against new snapshot `b`: is it better, worse,
 * or within noise? Like benchstat, a change is only called when it is
 * significant (p < alpha) and, like criterion.rs's noise threshold, only
 * when it is also larger than the threshold the user cares about. Both
 * conditions apply to improvements too, so `~` is symmetric.
 *
 * Repeats are judged with Mann–Whitney U and the matching shift interval;
 * single-run counts with their exact count tests (twoCounts.ts).
 */
import { mannWhitneyU, shiftInterval } from './mannWhitney.ts';
import { type Interval, median } from './sample.ts';
import {
  type CountComparison,
  type LoadCounts,
  loadsPerExpiryRatio,
  type ProportionCounts,
  poissonRateRatio,
  proportionDifference,
  type RateCounts,
} from './twoCounts.ts';

export type VerdictLabel = '~' | 'improved' | 'regressed';

export type VerdictInput =
  /** Repeats of one figure per side; `points` for ratios (delta in percentage points), else `percent`. */
  | { kind: 'samples'; change: 'points' | 'percent'; a: readonly number[]; b: readonly number[] }
  /** A single-run ratio of counts (hit ratio, stale ratio): delta in points. */
  | { kind: 'proportion'; a: ProportionCounts; b: ProportionCounts }
  /** Single-run loads per expiry: delta in percent. */
  | { kind: 'loadsPerExpiry'; a: LoadCounts; b: LoadCounts }
  /** A single-run Poisson rate (count over time or reads): delta in percent. */
  | { kind: 'rate'; a: RateCounts; b: RateCounts };

export interface VerdictOptions {
  /** The smallest change that counts: in points for `points`/`proportion`, in percent otherwise. */
  threshold: number;
  /** Which direction is worse: up for latency and source load, down for hit ratio and ops/s. */
  worse: 'up' | 'down';
  /** Significance level, default 0.05; the interval's level is 1 − alpha. */
  alpha?: number;
  /**
   * The two sides' own intervals (each covering at least 1 − alpha) do not
   * overlap: significant whatever the test's p (the issue's "or the
   * intervals not overlapping").
   */
  disjoint?: boolean;
}

export interface Verdict {
  verdict: VerdictLabel;
  /** Two-sided. */
  pValue: number;
  /** Change from a to b in `unit`: b's median over a's for samples, the count estimate otherwise. */
  delta: number;
  unit: 'points' | 'percent';
  /** Interval for the change at level 1 − alpha, in `unit`; null when a percentage of 0 is undefined. */
  interval: Interval | null;
  /** Which test gave the p-value, for a footnote. */
  method: string;
}

/** Float noise (0.90 − 0.85 = 0.05000000000000004) must not turn "exactly at the threshold" into a change. */
const EPSILON = 1e-9;

export function judgeChange(input: VerdictInput, options: VerdictOptions): Verdict {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(options.threshold >= 0)) throw new RangeError(`threshold must be >= 0, got ${options.threshold}`);
  const change = measureChange(input, 1 - alpha);
  const worsening = options.worse === 'up' ? change.delta : -change.delta;
  const significant = change.pValue < alpha || options.disjoint === true;
  let verdict: VerdictLabel = '~';
  if (significant && worsening > options.threshold + EPSILON) verdict = 'regressed';
  else if (significant && -worsening > options.threshold + EPSILON) verdict = 'improved';
  return { verdict, ...change };
}

type Change = Omit<Verdict, 'verdict'>;

function measureChange(input: VerdictInput, level: number): Change {
  switch (input.kind) {
    case 'samples':
      return input.change === 'points'
        ? samplesInPoints(input.a, input.b, level)
        : samplesInPercent(input.a, input.b, level);
    case 'proportion':
      return fromCounts(proportionDifference(input.a, input.b, level), 'points', 'two-proportion');
    case 'loadsPerExpiry':
      return fromCounts(loadsPerExpiryRatio(input.a, input.b, level), 'percent', 'extra loads, exact Poisson');
    case 'rate':
      return fromCounts(poissonRateRatio(input.a, input.b, level), 'percent', 'exact Poisson');
  }
}

function samplesInPoints(a: readonly number[], b: readonly number[], level: number): Change {
  const test = mannWhitneyU(a, b);
  const shift = shiftInterval(a, b, level);
  return {
    pValue: test.pValue,
    delta: (median(b) - median(a)) * 100,
    unit: 'points',
    interval: { lower: shift.lower * 100, upper: shift.upper * 100 },
    method: `Mann-Whitney U (${test.method})`,
  };
}

/**
 * Percent of a's median. The interval is the shift interval of the logs
 * (a change of scale, which is how latency and throughput move) when every
 * value is positive; otherwise the plain shift over a's median.
 */
function samplesInPercent(a: readonly number[], b: readonly number[], level: number): Change {
  const test = mannWhitneyU(a, b);
  const method = `Mann-Whitney U (${test.method})`;
  const [ma, mb] = [median(a), median(b)];
  if (ma === 0) {
    // No percentage of zero: any rise from 0 is past every threshold, like compare.ts.
    return {
      pValue: test.pValue,
      delta: mb === 0 ? 0 : Math.sign(mb) * Infinity,
      unit: 'percent',
      interval: null,
      method,
    };
  }
  let interval: Interval;
  if ([...a, ...b].every((v) => v > 0)) {
    const shift = shiftInterval(a.map(Math.log), b.map(Math.log), level);
    interval = { lower: Math.expm1(shift.lower) * 100, upper: Math.expm1(shift.upper) * 100 };
  } else {
    const shift = shiftInterval(a, b, level);
    interval = { lower: (shift.lower / Math.abs(ma)) * 100, upper: (shift.upper / Math.abs(ma)) * 100 };
  }
  return { pValue: test.pValue, delta: ((mb - ma) / Math.abs(ma)) * 100, unit: 'percent', interval, method };
}

function fromCounts(c: CountComparison, unit: 'points' | 'percent', method: string): Change {
  if (unit === 'points') {
    return {
      pValue: c.pValue,
      delta: c.estimate * 100,
      unit,
      interval: { lower: c.lower * 100, upper: c.upper * 100 },
      method,
    };
  }
  // A ratio b/a as a percent change; 0/0 (no events on either side) is no change.
  const delta = Number.isNaN(c.estimate) ? 0 : (c.estimate - 1) * 100;
  return {
    pValue: c.pValue,
    delta,
    unit,
    interval: { lower: (c.lower - 1) * 100, upper: (c.upper - 1) * 100 },
    method,
  };
}
