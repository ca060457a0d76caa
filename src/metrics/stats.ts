/**
 * The statistics behind repeated-run summaries, single-run count intervals
 * and compare's verdicts, in one import. Each concept lives in its own file:
 *
 * - sample.ts: median/quantile (type 7), order-statistic and bootstrap intervals;
 * - mannWhitney.ts: Mann–Whitney U and the matching shift interval;
 * - counts.ts: Clopper–Pearson, Wilson, Garwood, loads per expiry;
 * - twoCounts.ts: two snapshots' counts compared (proportions, Poisson rates, loads per expiry);
 * - verdict.ts: `~` / improved / regressed from significance and a threshold;
 * - smallSample.ts: the fewer-than-30-events rule;
 * - special.ts: incomplete beta and gamma, the normal, and their inverses.
 */
export { clopperPearson, garwood, loadsPerExpiryInterval, wilson } from './counts.ts';
export { type MannWhitneyResult, mannWhitneyU, type ShiftInterval, shiftInterval } from './mannWhitney.ts';
export {
  type BootstrapInterval,
  bootstrapMedianInterval,
  type Interval,
  median,
  type OrderStatisticInterval,
  orderStatisticInterval,
  orderStatisticRanks,
  quantile,
} from './sample.ts';
export { SMALL_SAMPLE_EVENTS, smallSample } from './smallSample.ts';
export {
  betaQuantile,
  binomialCdf,
  gammaQuantile,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from './special.ts';
export {
  type CountComparison,
  type LoadCounts,
  loadsPerExpiryRatio,
  type ProportionCounts,
  poissonRateRatio,
  proportionDifference,
  type RateCounts,
} from './twoCounts.ts';
export { judgeChange, type Verdict, type VerdictInput, type VerdictLabel, type VerdictOptions } from './verdict.ts';
