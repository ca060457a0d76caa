/**
 * The special functions behind the exact intervals and tests: ln Γ, the
 * regularized incomplete beta and gamma functions with their inverses, and
 * the standard normal. Each is the textbook method (Press et al., "Numerical
 * Recipes", 3rd ed., §6.1–6.4, §14.2), in double precision; the tests in
 * test/metrics/special.test.ts check them against closed forms and published
 * values to 10 significant digits or better.
 */

/** Godfrey's coefficients for Lanczos g = 7, n = 9 (relative error about 1e-15 for x > 0). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** (n − 1)! for n = 1..171, exact in doubles up to 22!, so ln Γ(1) = ln Γ(2) = 0 exactly. */
const FACTORIALS: number[] = [1];
for (let n = 1; n <= 170; n++) FACTORIALS.push((FACTORIALS[n - 1] as number) * n);

/** ln Γ(x) for x > 0; integers take the factorial table, which keeps binomial sums exact at small n. */
export function lnGamma(x: number): number {
  if (Number.isInteger(x) && x >= 1 && x <= 171) return Math.log(FACTORIALS[x - 1] as number);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < 9; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return HALF_LN_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fractions and series stop when a step changes the value by less than this. */
const EPS = 1e-15;
const TINY = 1e-300;
/** The fractions converge in O(√max(a, b)) steps; this covers counts into the 10^9s. */
const MAX_ITERATIONS = 100_000;

/** I_x(a, b), the regularized incomplete beta function (the Beta(a, b) CDF at x). */
export function regularizedBeta(x: number, a: number, b: number): number {
  checkShape(a, 'a');
  checkShape(b, 'b');
  if (!(x >= 0 && x <= 1)) throw new RangeError(`x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  // The fraction converges fast below the mean; above it, use I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b)) / a;
  return front * betaFraction(x, a, b);
}

/** The continued fraction of I_x(a, b) (Numerical Recipes `betacf`, modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = nonZero(1 - ((a + b) * x) / (a + 1));
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return h;
  }
  throw new RangeError(`incomplete beta did not converge for x=${x}, a=${a}, b=${b}`);
}

/** x with I_x(a, b) = p: the p-quantile of Beta(a, b). */
export function betaQuantile(p: number, a: number, b: number): number {
  checkShape(a, 'a');
  checkShape(b, 'b');
  checkProbability(p);
  if (p === 0 || p === 1) return p;
  const lnB = lnBeta(a, b);
  const density = (x: number) => Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB);
  return increasingRoot((x) => regularizedBeta(x, a, b) - p, density, 0, 1, a / (a + b));
}

/** P(a, x), the regularized lower incomplete gamma function (the Gamma(a, 1) CDF at x). */
export function regularizedGammaP(a: number, x: number): number {
  checkShape(a, 'a');
  if (!(x >= 0)) throw new RangeError(`x must be >= 0, got ${x}`);
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaFraction(a, x);
}

/** Q(a, x) = 1 − P(a, x), computed without cancellation in the upper tail. */
export function regularizedGammaQ(a: number, x: number): number {
  checkShape(a, 'a');
  if (!(x >= 0)) throw new RangeError(`x must be >= 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

/** P(a, x) by its series Σ xⁿ / (a(a+1)…(a+n)), for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n <= MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }
  throw new RangeError(`incomplete gamma series did not converge for a=${a}, x=${x}`);
}

/** Q(a, x) by its continued fraction (Numerical Recipes `gcf`, modified Lentz), for x ≥ a + 1. */
function gammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = 1 / nonZero(an * d + b);
    c = nonZero(b + an / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
  }
  throw new RangeError(`incomplete gamma fraction did not converge for a=${a}, x=${x}`);
}

/** x with P(a, x) = p: the p-quantile of Gamma(shape a, scale 1). χ²_ν quantile = 2·gammaQuantile(p, ν/2). */
export function gammaQuantile(p: number, a: number): number {
  checkShape(a, 'a');
  checkProbability(p);
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let hi = Math.max(1, 2 * a);
  while (regularizedGammaP(a, hi) < p) hi *= 2;
  const lnGammaA = lnGamma(a);
  const density = (x: number) => Math.exp((a - 1) * Math.log(x) - x - lnGammaA);
  return increasingRoot((x) => regularizedGammaP(a, x) - p, density, 0, hi, Math.min(a, hi / 2));
}

/** Φ(z), the standard normal CDF: Φ(z) = Q(½, z²/2)/2 for z < 0, accurate in both tails. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const half = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? half : 1 - half;
}

/** Acklam's rational approximation (relative error 1.15e-9), refined below by one Halley step. */
const ACKLAM_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** z with Φ(z) = p. */
export function normalQuantile(p: number): number {
  checkProbability(p);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(ACKLAM_A, r) * q) / (poly(ACKLAM_B, r) * r + 1);
  }
  // Halley's step on Φ(x) − p brings the 1e-9 approximation to full precision (Acklam's own refinement).
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** P(B ≤ k) for B ~ Binomial(n, p), through I_{1−p}(n − k, k + 1). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return regularizedBeta(1 - p, n - Math.floor(k), Math.floor(k) + 1);
}

/**
 * The root of an increasing function g on [lo, hi], with g(lo) ≤ 0 ≤ g(hi):
 * Newton steps, with a bisection whenever a step leaves the bracket or does
 * not halve the last step (Numerical Recipes `rtsafe`). Stops at full
 * double precision.
 */
function increasingRoot(g: (x: number) => number, dg: (x: number) => number, lo: number, hi: number, x0: number) {
  let x = x0 > lo && x0 < hi ? x0 : (lo + hi) / 2;
  let lastStep = hi - lo;
  for (let i = 0; i < 400; i++) {
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else hi = x;
    let next = x - gx / dg(x);
    if (!(next > lo && next < hi) || Math.abs(next - x) > lastStep / 2) next = (lo + hi) / 2;
    lastStep = Math.abs(next - x);
    if (lastStep <= 2 * Number.EPSILON * Math.abs(next) || hi - lo <= 2 * Number.EPSILON * hi) return next;
    x = next;
  }
  return x;
}

function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** Horner's rule, highest coefficient first. */
function poly(coefficients: number[], x: number): number {
  let sum = 0;
  for (const c of coefficients) sum = sum * x + c;
  return sum;
}

function nonZero(v: number): number {
  return Math.abs(v) < TINY ? TINY : v;
}

function checkShape(v: number, name: string): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be finite and > 0, got ${v}`);
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
}
