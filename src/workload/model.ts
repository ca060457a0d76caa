/**
 * The predictions of /work/shared/ttl-model.md, printed beside every
 * measurement. Pure functions over a popularity vector (`probabilities[i]` of
 * key i, as `KeySampler.probabilities`); rates are per second, times in ms.
 *
 * Finite TTLs are steady-state predictions (warm up for at least the TTL). No
 * expiry (`null`) never reaches a steady state that is worth predicting (h → 1),
 * so it is predicted over the measurement window: the cache starts empty at
 * time 0 and the window is [warmup, warmup + duration].
 *
 * Every per-key formula is written in a form that stays finite at λ = 0,
 * μ = 0, T = 0 and huge arguments; the helpers below carry the small-argument
 * series.
 */
import type { Invalidation, TtlMs } from '../config/types.ts';

export interface MeasurementWindow {
  warmupMs: number;
  durationMs: number;
}

export interface HitRatioInput {
  /** Read popularity of each key; sums to 1. */
  probabilities: Float64Array;
  /** Total read rate Λ, per second. */
  rate: number;
  ttlMs: TtlMs;
  /** TTL refreshed on every hit (GETEX ... PX). */
  sliding?: boolean;
  /** Required when `ttlMs` is null. */
  windowMs?: MeasurementWindow;
  /**
   * Load time Δ (ms) of a miss. Reads that arrive while a load is in flight
   * miss too, and the first loader's SET starts the TTL, so with a fixed TTL
   * h = λT / (1 + λ(T + Δ)) (ttl-model.md, "Stampede"). Omitted: Δ = 0.
   */
  loadMs?: number;
}

export interface WritesInput extends HitRatioInput {
  /** Write popularity of each key; same length as `probabilities`. */
  writeProbabilities: Float64Array;
  /** Total source update rate, per second. */
  writeRate: number;
}

export interface StaleReadInput extends WritesInput {
  invalidation: Invalidation;
}

export interface FreshnessPrediction {
  hitRatio: number;
  sourceReadsPerSec: number;
  /** Stale reads over all reads. */
  staleReadRatio: number;
}

/** Aggregate hit ratio H = Σ p_i·h_i with TTL-only invalidation. */
export function predictHitRatio(input: HitRatioInput): number {
  const k = resolve(input);
  const { probabilities, rate } = input;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) sum += p * ttlHit(k, rate * p);
  }
  return sum;
}

/** Σ λ_i·(1 − h_i): reads per second that reach the source (TTL-only). */
export function predictSourceReadsPerSec(input: HitRatioInput): number {
  const k = resolve(input);
  const { probabilities, rate } = input;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const lambda = rate * (probabilities[i] as number);
    if (lambda > 0) sum += lambda * ttlMiss(k, lambda);
  }
  return sum;
}

/** Hit ratio with delete-on-write: an entry lives min(T, time to the next write). */
export function predictHitRatioWithDeletes(input: WritesInput): number {
  const k = resolve(input);
  const { probabilities, rate, writeProbabilities, writeRate } = checkWrites(input);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) sum += p * deleteHit(k, rate * p, writeRate * (writeProbabilities[i] as number));
  }
  return sum;
}

/** Stale reads over all reads. Delete-on-write and write-through predict none. */
export function predictStaleReadRatio(input: StaleReadInput): number {
  const k = resolve(input);
  const { probabilities, rate, writeProbabilities, writeRate } = checkWrites(input);
  if (input.invalidation !== 'ttl') return 0;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    const mu = writeRate * (writeProbabilities[i] as number);
    if (p > 0 && mu > 0) sum += p * staleShare(k, rate * p, mu);
  }
  return sum;
}

/** Hit ratio, source reads and stale share for one invalidation strategy. */
export function predictFreshness(input: StaleReadInput): FreshnessPrediction {
  const hitRatio = input.invalidation === 'delete' ? predictHitRatioWithDeletes(input) : predictHitRatio(input);
  const sourceReadsPerSec =
    input.invalidation === 'delete' ? input.rate * Math.max(0, 1 - hitRatio) : predictSourceReadsPerSec(input);
  return { hitRatio, sourceReadsPerSec, staleReadRatio: predictStaleReadRatio(input) };
}

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

/** The inputs every per-key formula needs, validated once per call; times in seconds. */
interface Resolved {
  mode: 'off' | 'fixed' | 'sliding' | 'forever';
  t: number;
  /** Load time Δ (fixed TTL only). */
  d: number;
  /** The window (no expiry only). */
  a: number;
  w: number;
}

function resolve(input: HitRatioInput): Resolved {
  checkRate(input.rate, 'rate');
  const t = checkTtl(input.ttlMs);
  const d = input.loadMs !== undefined && input.loadMs > 0 ? input.loadMs / 1000 : 0;
  if (input.ttlMs === null) return { mode: 'forever', t, d: 0, ...checkWindow(input.windowMs) };
  const mode = t === 0 ? 'off' : input.sliding ? 'sliding' : 'fixed';
  return { mode, t, d, a: 0, w: 0 };
}

/*
 * Per-key formulas. Ratios need absolute, not relative, precision, so
 * 1 − e^{−x} is fine here and cheaper than expm1 at 10^6 keys per call. The
 * stale share of a fixed TTL keeps full relative precision as μT → 0 (rarely
 * written keys), through a series.
 */

function ttlHit(k: Resolved, lambda: number): number {
  switch (k.mode) {
    case 'off':
      return 0;
    case 'fixed':
      return (lambda * k.t) / (1 + lambda * (k.t + k.d));
    case 'sliding':
      return 1 - Math.exp(-lambda * k.t);
    case 'forever':
      return 1 - windowMeanExp(lambda, k.a, k.w);
  }
}

function ttlMiss(k: Resolved, lambda: number): number {
  switch (k.mode) {
    case 'off':
      return 1;
    case 'fixed':
      return (1 + lambda * k.d) / (1 + lambda * (k.t + k.d));
    case 'sliding':
      return Math.exp(-lambda * k.t);
    case 'forever':
      // Only the first request misses: the share of window reads that miss is e^{−λa}·avgDecay(λW).
      return windowMeanExp(lambda, k.a, k.w);
  }
}

function deleteHit(k: Resolved, lambda: number, mu: number): number {
  switch (k.mode) {
    case 'off':
      return 0;
    case 'fixed': {
      // Hits per cycle m = λ·(1 − e^{−μT})/μ = λT·avgDecay(μT).
      const m = lambda * k.t * avgDecay(mu * k.t);
      return m / (1 + m);
    }
    case 'sliding':
      return slidingWithDeletesHit(lambda, mu, k.t);
    case 'forever':
      return foreverWithDeletesHit(lambda, mu, k);
  }
}

function staleShare(k: Resolved, lambda: number, mu: number): number {
  switch (k.mode) {
    case 'off':
      return 0;
    case 'fixed': {
      // Hit ages are uniform on (0, T): stale share of hits s = 1 − (1 − e^{−μT})/(μT).
      return ttlHit(k, lambda) * oneMinusAvgDecay(mu * k.t);
    }
    case 'sliding':
      return slidingStaleShare(lambda, mu, k.t);
    case 'forever':
      return foreverStaleShare(lambda, mu, k);
  }
}

/** No expiry, delete on write: P(hit at t) = λ/(λ+μ)·(1 − e^{−(λ+μ)t}), averaged over the window. */
function foreverWithDeletesHit(lambda: number, mu: number, { a, w }: Window): number {
  if (lambda === 0) return 0;
  const r = lambda + mu;
  return (lambda / r) * (1 - windowMeanExp(r, a, w));
}

/**
 * Sliding TTL with delete on write: each read is a hit when it comes within T
 * of the previous one and no write fell in between, independently (memoryless
 * writes), so h = c = λ/(λ+μ)·(1 − e^{−(λ+μ)T}).
 */
function slidingWithDeletesHit(lambda: number, mu: number, t: number): number {
  if (lambda === 0) return 0;
  const r = lambda + mu;
  return (lambda / r) * (1 - Math.exp(-r * t));
}

/**
 * Sliding TTL, no invalidation: the k-th hit of a cycle has age G_1 + … + G_k
 * (gaps < T), fresh with probability L^k, L = E[e^{−μG} | G < T]. With
 * q = 1 − e^{−λT} and c = qL, stale reads / reads = q − e^{−λT}·c/(1 − c).
 */
function slidingStaleShare(lambda: number, mu: number, t: number): number {
  const r = lambda + mu;
  const decay = Math.exp(-r * t);
  const c = (lambda / r) * (1 - decay);
  const oneMinusC = (mu + lambda * decay) / r; // without cancellation: c → 1 for hot, rarely written keys
  const q = Math.exp(-lambda * t);
  return Math.max(0, 1 - q - (q * c) / oneMinusC);
}

/**
 * No expiry, no invalidation: the entry is loaded by the first read (time s)
 * and a read at t is a fresh hit iff no write fell in (s, t):
 * P = λ·(e^{−μt} − e^{−λt})/(λ − μ). Stale share = hit share − λ·J/W with
 * J = ∫ over the window of (e^{−μt} − e^{−λt})/(λ − μ) dt.
 */
function foreverStaleShare(lambda: number, mu: number, { a, w }: Window): number {
  const meanLambda = windowMeanExp(lambda, a, w);
  const spread = Math.abs(lambda - mu) / Math.max(lambda, mu);
  let j: number;
  if (spread > 1e-3) {
    // Far apart, the difference quotient loses at most 3 of 16 digits.
    j = (windowMeanExp(mu, a, w) - meanLambda) / (lambda - mu);
  } else {
    // Close together J/W is the mean of windowMeanTExp(r) over r in [μ, λ]: 2-point Gauss–Legendre.
    const mid = (lambda + mu) / 2;
    const half = Math.abs(lambda - mu) / 2 / Math.sqrt(3);
    j = (windowMeanTExp(mid - half, a, w) + windowMeanTExp(mid + half, a, w)) / 2;
  }
  return Math.max(0, 1 - meanLambda - lambda * j);
}

/** Mean of e^{−rt} over t in [a, a + w]. */
function windowMeanExp(r: number, a: number, w: number): number {
  return Math.exp(-r * a) * avgDecay(r * w);
}

/** Mean of t·e^{−rt} over t in [a, a + w]. */
function windowMeanTExp(r: number, a: number, w: number): number {
  return Math.exp(-r * a) * (a * avgDecay(r * w) + w * rampDecay(r * w));
}

/**
 * (1 − e^{−x})/x: the mean of e^{−xv} for v in [0, 1]. 1 at x = 0. Below
 * 0.01 the series 1 − x/2 + x²/6 − … (remainder under 1e-16); above, the
 * cancellation in 1 − e^{−x} costs about 1e-14 relative at worst.
 */
function avgDecay(x: number): number {
  if (x >= 0.01) return (1 - Math.exp(-x)) / x;
  return 1 - (x / 2) * (1 - (x / 3) * (1 - (x / 4) * (1 - (x / 5) * (1 - x / 6))));
}

/**
 * 1 − (1 − e^{−x})/x = x/2 − x²/6 + x³/24 − …: the stale share of hits with
 * fixed TTL. Below 0.25 the closed form cancels, so use the series (Horner,
 * terms to x^12: the remainder is below 1e-16 relative).
 */
function oneMinusAvgDecay(x: number): number {
  if (x >= 0.25) return (x - 1 + Math.exp(-x)) / x; // loses at most 4 bits at 0.25
  let sum = 0;
  for (let n = 14; n >= 2; n--) sum = sum * -x + (INVERSE_FACTORIALS[n] as number);
  return x * sum;
}

/** ∫₀¹ v·e^{−xv} dv = (1 − (1 + x)e^{−x})/x², series 1/2 − x/3 + x²/8 − … below 0.5. */
function rampDecay(x: number): number {
  if (x >= 0.5) return (-Math.expm1(-x) - x * Math.exp(-x)) / (x * x);
  let sum = 0;
  let term = 1; // (−x)^n / n!
  for (let n = 0; n <= 18; n++) {
    sum += term / (n + 2);
    term *= -x / (n + 1);
  }
  return sum;
}

/** 1/n! for n = 0..14. */
const INVERSE_FACTORIALS: number[] = [1];
for (let n = 1; n <= 14; n++) INVERSE_FACTORIALS.push((INVERSE_FACTORIALS[n - 1] as number) / n);

interface Window {
  /** Seconds from the empty cache to the window's start. */
  a: number;
  /** Window length in seconds. */
  w: number;
}

function checkWindow(windowMs: MeasurementWindow | undefined): Window {
  if (!windowMs) throw new RangeError('a prediction for TTL none (no expiry) needs windowMs');
  return { a: seconds(windowMs.warmupMs, 'warmupMs'), w: seconds(windowMs.durationMs, 'durationMs') };
}

/** TTL in seconds; null (no expiry) is +Infinity. */
function checkTtl(ttlMs: TtlMs): number {
  return ttlMs === null ? Number.POSITIVE_INFINITY : seconds(ttlMs, 'ttlMs');
}

function seconds(ms: number, name: string): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`${name} must be finite and >= 0, got ${ms}`);
  return ms / 1000;
}

function checkRate(rate: number, name: string): void {
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`${name} must be finite and >= 0, got ${rate}`);
}

function checkWrites<T extends WritesInput>(input: T): T {
  const { probabilities, writeProbabilities, writeRate } = input;
  if (writeProbabilities.length !== probabilities.length) {
    throw new RangeError(
      `writeProbabilities has ${writeProbabilities.length} keys, probabilities ${probabilities.length}`,
    );
  }
  checkRate(writeRate, 'writeRate');
  return input;
}
