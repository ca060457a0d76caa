/**
 * The predictions of /work/shared/ttl-model.md, printed beside every
 * measurement: aggregates over a popularity vector (`probabilities[i]` of key
 * i, as `KeySampler.probabilities`); rates are per second, times in ms. The
 * per-key formulas are in model/perKey.ts, the stampede's in model/stampede.ts.
 *
 * Finite TTLs are steady-state predictions (warm up for at least the TTL). No
 * expiry (`null`) never reaches a steady state worth predicting (h → 1), so
 * it is predicted over the measurement window: the cache starts empty at
 * time 0 and the window is [warmup, warmup + duration].
 */
import {
  checkWrites,
  type FreshnessPrediction,
  type HitRatioInput,
  type Resolved,
  resolve,
  type StaleReadInput,
  type WritesInput,
} from './model/inputs.ts';
import { deleteHit, staleShare, ttlHit, ttlMiss, writeThroughHit } from './model/perKey.ts';

export type {
  FreshnessPrediction,
  HitRatioInput,
  MeasurementWindow,
  StaleReadInput,
  WritesInput,
} from './model/inputs.ts';
export {
  predictLoadsPerExpiry,
  predictLoadsPerExpiryOver,
  predictStampedeHitRatio,
  xfetchExpectedLeadMs,
  xfetchRecomputeProbability,
} from './model/stampede.ts';

/** Aggregate hit ratio H = Σ p_i·h_i with TTL-only invalidation. */
export function predictHitRatio(input: HitRatioInput): number {
  const k = resolve(input);
  return sumOverKeys(input, (p, lambda) => p * ttlHit(k, lambda));
}

/** Σ λ_i·(1 − h_i): reads per second that reach the source (TTL-only). */
export function predictSourceReadsPerSec(input: HitRatioInput): number {
  const k = resolve(input);
  return sumOverKeys(input, (_p, lambda) => lambda * ttlMiss(k, lambda));
}

/** Hit ratio with delete-on-write: an entry lives min(T, time to the next write). */
export function predictHitRatioWithDeletes(input: WritesInput): number {
  const k = resolve(input);
  return sumWithWrites(checkWrites(input), (p, lambda, mu) => p * deleteHit(k, lambda, mu));
}

/**
 * Stale reads over all reads. TTL only: hits older than the row. Delete and
 * write-through: only the reader–writer race, to first order in μδ:
 * Σ p_i·μ_i·δ·h_i (zero when δ is not given).
 */
export function predictStaleReadRatio(input: StaleReadInput): number {
  const k = resolve(input);
  checkWrites(input);
  if (input.invalidation === 'ttl') {
    return sumWithWrites(input, (p, lambda, mu) => (mu > 0 ? p * staleShare(k, lambda, mu) : 0));
  }
  const race = (input.raceMs ?? 0) / 1000;
  if (!(race > 0)) return 0;
  const hit = hitOf(input.invalidation, k);
  return sumWithWrites(input, (p, lambda, mu) => p * Math.min(1, mu * race) * hit(lambda, mu));
}

/** Hit ratio, source reads and stale share for one invalidation strategy. */
export function predictFreshness(input: StaleReadInput): FreshnessPrediction {
  const k = resolve(input);
  checkWrites(input);
  const hit = hitOf(input.invalidation, k);
  const hitRatio = sumWithWrites(input, (p, lambda, mu) => p * hit(lambda, mu));
  return {
    hitRatio,
    sourceReadsPerSec: input.rate * Math.max(0, 1 - hitRatio),
    staleReadRatio: predictStaleReadRatio(input),
  };
}

function hitOf(invalidation: StaleReadInput['invalidation'], k: Resolved): (lambda: number, mu: number) => number {
  switch (invalidation) {
    case 'ttl':
      return (lambda) => ttlHit(k, lambda);
    case 'delete':
      return (lambda, mu) => deleteHit(k, lambda, mu);
    case 'write-through':
      return (lambda, mu) => writeThroughHit(k, lambda, mu);
  }
}

function sumOverKeys(input: HitRatioInput, term: (p: number, lambda: number) => number): number {
  const { probabilities, rate } = input;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) sum += term(p, rate * p);
  }
  return sum;
}

function sumWithWrites(input: WritesInput, term: (p: number, lambda: number, mu: number) => number): number {
  const { probabilities, rate, writeProbabilities, writeRate } = input;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) sum += term(p, rate * p, writeRate * (writeProbabilities[i] as number));
  }
  return sum;
}

/** Where a no-expiry cache stands at one instant after starting empty. */
export interface Filling {
  /** Share of the key space resident: Σ_i (1 − e^{−λ_i·t}) / N. */
  residentShare: number;
  /** Hit ratio a read sees at that instant: Σ_i p_i·(1 − e^{−λ_i·t}). */
  hitRatioNow: number;
  /** Where it is climbing to once every key read is resident: Σ_{p_i > 0} p_i (1 without writes). */
  steadyHitRatio: number;
}

/**
 * No expiry has no steady state within a run: a key is loaded by its first
 * read and stays, so the hit ratio keeps rising as the cold tail arrives
 * (ttl-model.md, "No expiry"). `atMs` is the time since the cache was empty.
 */
export function predictFilling(probabilities: Float64Array, rate: number, atMs: number): Filling {
  const t = atMs / 1000;
  let resident = 0;
  let hitNow = 0;
  let steady = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (!(p > 0)) continue;
    const filled = -Math.expm1(-rate * p * t);
    resident += filled;
    hitNow += p * filled;
    steady += p;
  }
  return { residentShare: resident / probabilities.length, hitRatioNow: hitNow, steadyHitRatio: steady };
}
