/**
 * The stampede side of the TTL model: loads per expiry without coalescing
 * (1 + λΔ), aggregated over the hot keys' own rates, and XFetch's early
 * recompute (Vattani, Chierichetti, Lowenstein, PVLDB 8(8), 2015).
 */
import type { TtlMs } from '../../config/types.ts';
import { checkRate, checkTtl, seconds } from './inputs.ts';

/** Without coalescing every read during a load of Δ also loads: 1 + λΔ per expiry. */
export function predictLoadsPerExpiry(lambdaPerSec: number, loadMs: number): number {
  checkRate(lambdaPerSec, 'lambdaPerSec');
  return 1 + lambdaPerSec * seconds(loadMs, 'loadMs');
}

/** One key without coalescing: λT / (1 + λ(T + Δ)); the first loader's SET starts the TTL. */
export function predictStampedeHitRatio(lambdaPerSec: number, ttlMs: TtlMs, loadMs: number): number {
  checkRate(lambdaPerSec, 'lambdaPerSec');
  const delta = seconds(loadMs, 'loadMs');
  const t = checkTtl(ttlMs);
  if (lambdaPerSec === 0 || t === 0) return 0;
  if (t === Number.POSITIVE_INFINITY) return 1;
  return (lambdaPerSec * t) / (1 + lambdaPerSec * (t + delta));
}

/** XFetch: a read τ ms before expiry recomputes with probability exp(−τ/(βΔ)). */
export function xfetchRecomputeProbability(tauMs: number, beta: number, deltaMs: number): number {
  if (!(beta > 0) || !Number.isFinite(beta)) throw new RangeError(`beta must be > 0, got ${beta}`);
  seconds(deltaMs, 'deltaMs');
  if (!(tauMs > 0)) return 1; // at or past expiry everyone recomputes
  if (deltaMs === 0) return 0;
  return Math.exp(-tauMs / (beta * deltaMs));
}

/**
 * How long before expiry the first XFetch recompute happens with Poisson
 * readers: βΔ·(ln(λβΔ) + γ). The approximation needs λβΔ ≫ 1; below that
 * the entry usually expires first, so it is clamped at 0.
 */
export function xfetchExpectedLeadMs(lambdaPerSec: number, beta: number, deltaMs: number): number {
  checkRate(lambdaPerSec, 'lambdaPerSec');
  const betaDelta = beta * seconds(deltaMs, 'deltaMs');
  const n = lambdaPerSec * betaDelta;
  if (!(n > 0)) return 0;
  return Math.max(0, betaDelta * (Math.log(n) + EULER_GAMMA) * 1000);
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * Loads per expiry over several keys read at their own rates: each key
 * expires about λ_i/(1 + λ_i(T + Δ)) times a second (one cycle is T, then Δ
 * of misses, then the wait for the next read) and costs 1 + λ_iΔ loads each
 * time, so the aggregate is Σ c_i(1 + λ_iΔ) / Σ c_i.
 */
export function predictLoadsPerExpiryOver(
  probabilities: Float64Array,
  rate: number,
  ttlMs: number,
  loadMs: number,
): number {
  const t = seconds(ttlMs, 'ttlMs');
  const d = seconds(loadMs, 'loadMs');
  let expiries = 0;
  let loads = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const lambda = rate * (probabilities[i] as number);
    if (!(lambda > 0)) continue;
    const cycles = lambda / (1 + lambda * (t + d));
    expiries += cycles;
    loads += cycles * (1 + lambda * d);
  }
  return expiries > 0 ? loads / expiries : 1;
}
