/**
 * The per-key formulas of ../../../shared/ttl-model.md (see the README's
 * "The model"): hit ratio and stale share of one key read at rate λ and
 * written at rate μ, per TTL mode and invalidation strategy. Every formula is
 * written to stay finite at λ = 0, μ = 0, T = 0 and huge arguments.
 */
import { avgDecay, oneMinusAvgDecay, windowMeanExp, windowMeanTExp } from './decay.ts';
import type { Resolved, Window } from './inputs.ts';

/*
 * Ratios need absolute, not relative, precision, so
 * 1 − e^{−x} is fine here and cheaper than expm1 at 10^6 keys per call. The
 * stale share of a fixed TTL keeps full relative precision as μT → 0 (rarely
 * written keys), through a series.
 */

export function ttlHit(k: Resolved, lambda: number): number {
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

export function ttlMiss(k: Resolved, lambda: number): number {
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

export function deleteHit(k: Resolved, lambda: number, mu: number): number {
  switch (k.mode) {
    case 'off':
      return 0;
    case 'fixed': {
      // Hits per cycle m = λ·(1 − e^{−μT})/μ = λT·avgDecay(μT); reads during a load (λΔ of them) miss too.
      const m = lambda * k.t * avgDecay(mu * k.t);
      return m / (1 + lambda * k.d + m);
    }
    case 'sliding':
      return slidingWithDeletesHit(lambda, mu, k.t);
    case 'forever':
      return foreverWithDeletesHit(lambda, mu, k);
  }
}

export function staleShare(k: Resolved, lambda: number, mu: number): number {
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

/**
 * Write-through: every write stores the new row with a fresh TTL, so an
 * entry lives until T passes with no write, A = (e^{μT} − 1)/μ on average;
 * once gone, the next store comes from a read miss or a write, whichever is
 * first (1/(λ+μ)), plus Δ when a read starts it. Reads see the time-average:
 * h = A / (A + 1/(λ+μ) + Δ·λ/(λ+μ)) — λT/(1 + λ(T+Δ)) again as μ → 0.
 * Sliding: any read or write in the last T keeps it, h = 1 − e^{−(λ+μ)T}.
 * No expiry: stored at the first read or write, h = 1 − e^{−(λ+μ)t}.
 */
export function writeThroughHit(k: Resolved, lambda: number, mu: number): number {
  if (lambda === 0) return 0;
  const r = lambda + mu;
  switch (k.mode) {
    case 'off':
      return 0;
    case 'fixed': {
      // expm1 keeps A exact as μT → 0; past e^700 the entry never expires in practice.
      const alive = mu === 0 ? k.t : mu * k.t > 700 ? Number.MAX_VALUE : Math.expm1(mu * k.t) / mu;
      return alive / (alive + 1 / r + (k.d * lambda) / r);
    }
    case 'sliding':
      return 1 - Math.exp(-r * k.t);
    case 'forever':
      return 1 - windowMeanExp(r, k.a, k.w);
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
