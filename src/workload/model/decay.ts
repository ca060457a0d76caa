/**
 * Averages of exponential decays over a window, with the small-argument
 * series that keep them exact where the closed forms cancel. Shared by the
 * per-key formulas of the TTL model.
 */

/** Mean of e^{−rt} over t in [a, a + w]. */
export function windowMeanExp(r: number, a: number, w: number): number {
  return Math.exp(-r * a) * avgDecay(r * w);
}

/** Mean of t·e^{−rt} over t in [a, a + w]. */
export function windowMeanTExp(r: number, a: number, w: number): number {
  return Math.exp(-r * a) * (a * avgDecay(r * w) + w * rampDecay(r * w));
}

/**
 * (1 − e^{−x})/x: the mean of e^{−xv} for v in [0, 1]. 1 at x = 0. Below
 * 0.01 the series 1 − x/2 + x²/6 − … (remainder under 1e-16); above, the
 * cancellation in 1 − e^{−x} costs about 1e-14 relative at worst.
 */
export function avgDecay(x: number): number {
  if (x >= 0.01) return (1 - Math.exp(-x)) / x;
  return 1 - (x / 2) * (1 - (x / 3) * (1 - (x / 4) * (1 - (x / 5) * (1 - x / 6))));
}

/**
 * 1 − (1 − e^{−x})/x = x/2 − x²/6 + x³/24 − …: the stale share of hits with
 * fixed TTL. Below 0.25 the closed form cancels, so use the series (Horner,
 * terms to x^12: the remainder is below 1e-16 relative).
 */
export function oneMinusAvgDecay(x: number): number {
  if (x >= 0.25) return (x - 1 + Math.exp(-x)) / x; // loses at most 4 bits at 0.25
  let sum = 0;
  for (let n = 14; n >= 2; n--) sum = sum * -x + (INVERSE_FACTORIALS[n] as number);
  return x * sum;
}

/** ∫₀¹ v·e^{−xv} dv = (1 − (1 + x)e^{−x})/x², series 1/2 − x/3 + x²/8 − … below 0.5. */
export function rampDecay(x: number): number {
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
