/**
 * How Zipf-like a trace's reads are. The keys are ranked by read count
 * (rank 1 the most read) and a discrete power law p(r) = r^−s / H(N, s),
 * H(N, s) = Σ_{r=1..N} r^−s, is fitted to the ranks of all reads by maximum
 * likelihood (Clauset, Shalizi, Newman, "Power-law distributions in empirical
 * data", SIAM Review 51(4), 2009, eq. 3.5, with the sum bounded at N).
 *
 * The log-likelihood −s·Σ f_r ln r − R·ln H(N, s) is concave in s, and its
 * derivative R·(E_s[ln r] − mean of ln r over the reads) falls as s grows
 * (its slope is −R·Var_s[ln r]), so Newton's method from s = 1, kept inside a
 * shrinking bracket, finds the root in a handful of O(N) passes.
 *
 * R² says how well the fitted line, log f = log(R / H) − s·log r, explains the
 * log-frequencies of the N ranks (it can be negative for a poor fit).
 */

export interface ZipfFit {
  exponent: number;
  r2: number;
}

/** Exponents beyond this mean "all reads on one key" for any practical purpose. */
const MAX_EXPONENT = 10;
const TOLERANCE = 1e-7;

/** Read counts of each key (any order, zeros ignored); undefined when fewer than 2 keys were read. */
export function fitZipf(readCounts: ArrayLike<number>): ZipfFit | undefined {
  const freq = rankFrequencies(readCounts);
  const n = freq.length;
  if (n < 2) return undefined;
  const logRank = new Float64Array(n);
  let total = 0;
  let weighted = 0;
  for (let r = 0; r < n; r++) {
    logRank[r] = Math.log(r + 1);
    total += freq[r] as number;
    weighted += (freq[r] as number) * (logRank[r] as number);
  }
  const exponent = solveExponent(logRank, weighted / total);
  return { exponent, r2: rSquared(freq, logRank, total, exponent) };
}

/** The non-zero counts, most read first. */
function rankFrequencies(readCounts: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < readCounts.length; i++) if ((readCounts[i] as number) > 0) n++;
  const freq = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < readCounts.length; i++) if ((readCounts[i] as number) > 0) freq[j++] = readCounts[i] as number;
  return freq.sort().reverse();
}

interface Moments {
  logH: number;
  mean: number;
  variance: number;
}

/** ln H(N, s) and the mean and variance of ln r under p(r) ∝ r^−s. */
function moments(logRank: Float64Array, s: number): Moments {
  let h = 0;
  let m1 = 0;
  let m2 = 0;
  // Sum from the tail up, so the small terms are not lost to rounding.
  for (let r = logRank.length - 1; r >= 0; r--) {
    const l = logRank[r] as number;
    const w = Math.exp(-s * l);
    h += w;
    m1 += w * l;
    m2 += w * l * l;
  }
  const mean = m1 / h;
  return { logH: Math.log(h), mean, variance: Math.max(0, m2 / h - mean * mean) };
}

/** The s where E_s[ln r] equals the observed mean of ln r, within [0, MAX_EXPONENT]. */
function solveExponent(logRank: Float64Array, observedMean: number): number {
  let lo = 0;
  let hi = MAX_EXPONENT;
  // E_s[ln r] falls with s: at or above the uniform mean the MLE is s = 0.
  if (moments(logRank, lo).mean <= observedMean) return 0;
  if (moments(logRank, hi).mean >= observedMean) return MAX_EXPONENT;
  let s = 1;
  for (let i = 0; i < 100 && hi - lo > TOLERANCE; i++) {
    const { mean, variance } = moments(logRank, s);
    const gap = mean - observedMean;
    if (gap > 0) lo = s;
    else hi = s;
    // Newton step on g(s) = E_s[ln r] − observed, g'(s) = −Var_s[ln r]; bisect when it leaves the bracket.
    const next = variance > 0 ? s + gap / variance : Number.NaN;
    const newS = next > lo && next < hi ? next : (lo + hi) / 2;
    if (Math.abs(newS - s) < TOLERANCE) return newS;
    s = newS;
  }
  return s;
}

function rSquared(freq: Float64Array, logRank: Float64Array, total: number, s: number): number {
  const intercept = Math.log(total) - moments(logRank, s).logH;
  let meanLog = 0;
  for (let r = 0; r < freq.length; r++) meanLog += Math.log(freq[r] as number);
  meanLog /= freq.length;
  let residual = 0;
  let spread = 0;
  for (let r = 0; r < freq.length; r++) {
    const y = Math.log(freq[r] as number);
    const e = y - (intercept - s * (logRank[r] as number));
    residual += e * e;
    spread += (y - meanLog) * (y - meanLog);
  }
  if (spread === 0) return residual < 1e-12 * freq.length ? 1 : 0;
  return 1 - residual / spread;
}
