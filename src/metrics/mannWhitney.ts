/**
 * Mann–Whitney U (Wilcoxon rank-sum) test, the test benchstat runs on the
 * repeats of two snapshots, and the shift interval that goes with it.
 *
 * p-values follow R's `wilcox.test` and SciPy's `mannwhitneyu`: the exact
 * null distribution when there are no ties and both samples have at most 50
 * values (R's rule), else the normal approximation with the tie correction
 * and a continuity correction. Note the floor the exact test sets: with 3
 * runs a side the smallest two-sided p is 2/20 = 0.1, so nothing can be
 * significant at 0.05; 4 a side reach 2/70 = 0.029, 5 a side 2/252 = 0.008.
 */
import { normalCdf, normalQuantile } from './special.ts';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (xᵢ, yⱼ) with xᵢ > yⱼ, a tie counting ½. */
  u: number;
  /** Two-sided. */
  pValue: number;
  method: 'exact' | 'normal';
}

export interface ShiftInterval {
  /** Hodges–Lehmann estimate of the shift y − x: the median of all yⱼ − xᵢ. */
  estimate: number;
  lower: number;
  upper: number;
  /** Coverage under the shift model: exact without ties, approximate with them or above 50 a side. */
  coverage: number;
}

/** Largest sample size, per side, for the exact distribution. */
const EXACT_MAX = 50;
/** The shift interval sorts all m·n differences. */
const MAX_PAIRS = 4_000_000;

export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = checkSample(x, 'x');
  const n = checkSample(y, 'y');
  const { rankSumX, tieTerm } = rankSum(x, y);
  const u = rankSumX - (m * (m + 1)) / 2;
  const mean = (m * n) / 2;
  if (tieTerm === 0 && m <= EXACT_MAX && n <= EXACT_MAX) {
    const cdf = nullCdf(m, n);
    // Symmetric null: P(U ≤ min(U, mn − U)) is the smaller tail.
    const tail = cdf[Math.min(u, m * n - u)] as number;
    return { u, pValue: Math.min(1, 2 * tail), method: 'exact' };
  }
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  if (variance === 0) return { u, pValue: 1, method: 'normal' }; // every value tied: no evidence either way
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, pValue: Math.min(1, 2 * normalCdf(-z)), method: 'normal' };
}

/**
 * Interval for the shift Δ in "y is distributed as x + Δ": the Δ₀ that the
 * two-sided test does not reject, which are the k-th smallest to the k-th
 * largest of the m·n differences yⱼ − xᵢ (Lehmann, "Nonparametrics", 1975,
 * §2.6; Bauer, JASA 67, 1972). k is the largest with 2·P(U < k) ≤ 1 − level
 * under the exact null, or from the normal approximation above 50 a side.
 * Too few runs for the level (3 a side can reach only 90%) give the widest
 * interval, min to max, with the coverage it achieves.
 */
export function shiftInterval(x: readonly number[], y: readonly number[], level = 0.95): ShiftInterval {
  const m = checkSample(x, 'x');
  const n = checkSample(y, 'y');
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (m * n > MAX_PAIRS) throw new RangeError(`shiftInterval sorts m·n differences; ${m}·${n} is over ${MAX_PAIRS}`);
  const differences = new Float64Array(m * n);
  let at = 0;
  for (const yj of y) for (const xi of x) differences[at++] = yj - xi;
  differences.sort();
  const alpha = 1 - level;
  const mn = m * n;
  let k = 1;
  let coverage: number;
  if (m <= EXACT_MAX && n <= EXACT_MAX) {
    const cdf = nullCdf(m, n);
    while (k < (mn + 1) / 2 && 2 * (cdf[k] as number) <= alpha) k++;
    coverage = 1 - 2 * (cdf[k - 1] as number);
  } else {
    const sd = Math.sqrt((mn * (m + n + 1)) / 12);
    k = Math.max(1, Math.floor(mn / 2 - normalQuantile(1 - alpha / 2) * sd));
    coverage = 1 - 2 * normalCdf((k - 0.5 - mn / 2) / sd);
  }
  const middle = (mn - 1) / 2;
  const estimate = ((differences[Math.floor(middle)] as number) + (differences[Math.ceil(middle)] as number)) / 2;
  return { estimate, lower: differences[k - 1] as number, upper: differences[mn - k] as number, coverage };
}

/** Rank sum of x in the pooled sample (midranks for ties) and Σ(t³ − t) over tie groups. */
function rankSum(x: readonly number[], y: readonly number[]) {
  const pooled = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))];
  pooled.sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i + 1;
    while (j < pooled.length && (pooled[j] as { v: number }).v === (pooled[i] as { v: number }).v) j++;
    const midrank = (i + 1 + j) / 2; // ranks i+1 .. j
    for (let k = i; k < j; k++) if ((pooled[k] as { fromX: boolean }).fromX) rankSumX += midrank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  return { rankSumX, tieTerm };
}

const nullCdfs = new Map<string, Float64Array>();

/**
 * P(U ≤ u), u = 0..mn, under H₀ without ties. The largest of the m + n values
 * is an x with probability m/(m + n), and then beats all n y's:
 * P_{m,n}(u) = m/(m+n)·P_{m−1,n}(u − n) + n/(m+n)·P_{m,n−1}(u). Only sums of
 * positive terms, so it stays accurate; O(m²n²) time, memoized.
 */
export function nullCdf(m: number, n: number): Float64Array {
  const key = `${m}x${n}`;
  const cached = nullCdfs.get(key);
  if (cached) return cached;
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1)); // i = 0: U = 0
  for (let i = 1; i <= m; i++) {
    const row: Float64Array[] = [Float64Array.of(1)]; // j = 0: U = 0
    for (let j = 1; j <= n; j++) {
      const pmf = new Float64Array(i * j + 1);
      const xLargest = previous[j] as Float64Array;
      const wx = i / (i + j);
      for (let u = 0; u < xLargest.length; u++) pmf[u + j] = wx * (xLargest[u] as number);
      const yLargest = row[j - 1] as Float64Array;
      const wy = j / (i + j);
      for (let u = 0; u < yLargest.length; u++) pmf[u] = (pmf[u] as number) + wy * (yLargest[u] as number);
      row.push(pmf);
    }
    previous = row;
  }
  const cdf = previous[n] as Float64Array;
  for (let u = 1; u < cdf.length; u++) cdf[u] = (cdf[u] as number) + (cdf[u - 1] as number);
  nullCdfs.set(key, cdf);
  return cdf;
}

function checkSample(sample: readonly number[], name: string): number {
  if (sample.length === 0) throw new RangeError(`${name} is empty; the test needs at least one value a side`);
  if (sample.some((v) => !Number.isFinite(v))) throw new RangeError(`${name} contains a value that is not finite`);
  return sample.length;
}
