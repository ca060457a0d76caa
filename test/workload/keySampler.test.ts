import { describe, expect, it } from 'vitest';
import type { KeyDistribution } from '../../src/config/types.ts';
import { formatDistribution as describeDistribution } from '../../src/config/values.ts';
import { createKeySampler } from '../../src/workload/keySampler.ts';
import { createRng, type Rng } from '../../src/workload/rng.ts';

const ZIPF: KeyDistribution = { kind: 'zipf', s: 0.99 };
const STEEP_ZIPF: KeyDistribution = { kind: 'zipf', s: 1.5 };
const HOTSPOT: KeyDistribution = { kind: 'hotspot', hotFraction: 0.2, hotOpsFraction: 0.8 };
const ALL: KeyDistribution[] = [{ kind: 'uniform' }, ZIPF, STEEP_ZIPF, HOTSPOT];

/** Upper tail of the standard normal, by Simpson's rule on [z, z + 12] (the rest is below 1e-30). */
function normalUpperTail(z: number): number {
  const steps = 4000;
  const h = 12 / steps;
  const pdf = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let sum = pdf(z) + pdf(z + 12);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * pdf(z + i * h);
  return (sum * h) / 3;
}

/** z with upper tail p, by bisection. */
function normalQuantileUpper(p: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalUpperTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Wilson–Hilferty: (χ²/k)^(1/3) is close to normal with mean 1 − 2/(9k) and variance 2/(9k). */
function chiSquareCritical(df: number, p: number): number {
  const v = 2 / (9 * df);
  return df * (1 - v + normalQuantileUpper(p) * Math.sqrt(v)) ** 3;
}

/**
 * Pearson's statistic of observed id counts against n·probabilities. Bins
 * are merged from the coldest up until each expects at least 5 draws (for
 * zipf that merges the tail).
 */
function chiSquare(counts: Float64Array, probabilities: Float64Array, n: number): { stat: number; df: number } {
  const order = Array.from(probabilities.keys()).sort((a, b) => (probabilities[a] ?? 0) - (probabilities[b] ?? 0));
  const bins: { expected: number; observed: number }[] = [];
  let expected = 0;
  let observed = 0;
  for (const i of order) {
    expected += n * (probabilities[i] ?? 0);
    observed += counts[i] ?? 0;
    if (expected >= 5) {
      bins.push({ expected, observed });
      expected = 0;
      observed = 0;
    }
  }
  const last = bins.at(-1);
  if (last) {
    last.expected += expected;
    last.observed += observed;
  }
  let stat = 0;
  for (const bin of bins) stat += (bin.observed - bin.expected) ** 2 / bin.expected;
  return { stat, df: bins.length - 1 };
}

function drawCounts(dist: KeyDistribution, keys: number, n: number, seed: number): Float64Array {
  const sampler = createKeySampler(dist, keys, createRng(seed));
  const counts = new Float64Array(keys);
  for (let i = 0; i < n; i++) {
    const id = sampler.next();
    counts[id - 1] = (counts[id - 1] ?? 0) + 1;
  }
  return counts;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

describe('chi-square machinery', () => {
  it('finds the 99.9th percentile of the normal distribution', () => {
    expect(normalQuantileUpper(0.001)).toBeCloseTo(3.0902, 4);
    expect(normalQuantileUpper(0.025)).toBeCloseTo(1.96, 2);
  });

  it('Wilson–Hilferty matches tabulated chi-square critical values at p = 0.001', () => {
    // Tables: χ²(10) = 29.588, χ²(100) = 149.449 at upper tail 0.001.
    expect(chiSquareCritical(10, 0.001)).toBeCloseTo(29.588, 0);
    expect(chiSquareCritical(100, 0.001)).toBeCloseTo(149.449, 0);
  });
});

describe('createKeySampler', () => {
  const keys = 1000;
  const n = 100_000;

  it.each(ALL.map((d) => [describeDistribution(d), d] as const))(
    '%s passes a chi-square goodness-of-fit test at p = 0.001',
    (_name, dist) => {
      const sampler = createKeySampler(dist, keys, createRng(20240601));
      const counts = drawCounts(dist, keys, n, 20240601);
      const { stat, df } = chiSquare(counts, sampler.probabilities, n);
      expect(df).toBeGreaterThan(50);
      expect(stat).toBeLessThan(chiSquareCritical(df, 0.001));
    },
  );

  it('the goodness-of-fit test rejects draws from the wrong profile', () => {
    const uniform = createKeySampler({ kind: 'uniform' }, keys, createRng(1)).probabilities;
    const zipfCounts = drawCounts(ZIPF, keys, n, 1);
    const { stat, df } = chiSquare(zipfCounts, uniform, n);
    expect(stat).toBeGreaterThan(chiSquareCritical(df, 0.001));
    // A milder mistake too: zipf 0.99 draws tested against zipf 0.9 with the same scramble.
    const near = createKeySampler({ kind: 'zipf', s: 0.9 }, keys, createRng(1)).probabilities;
    const mild = chiSquare(zipfCounts, near, n);
    expect(mild.stat).toBeGreaterThan(chiSquareCritical(mild.df, 0.001));
  });

  it.each([ZIPF, STEEP_ZIPF, HOTSPOT].map((d) => [describeDistribution(d), d] as const))(
    '%s alias table reproduces the probabilities exactly, up to the coin grid',
    (_name, dist) => {
      // A stand-in generator that walks every column with g evenly spaced coins
      // (the sampler takes a column uniform, then a coin uniform). Scrambling
      // still uses a real forked generator.
      const [k, g] = [50, 100_000];
      let call = 0;
      const grid: Rng = {
        next: () => {
          const draw = call++ >> 1;
          return call % 2 === 1 ? (Math.floor(draw / g) + 0.5) / k : ((draw % g) + 0.5) / g;
        },
        nextOpen: () => 1,
        exponential: () => 1,
        fork: (label) => createRng(5).fork(label),
      };
      const sampler = createKeySampler(dist, k, grid);
      const counts = new Float64Array(k);
      for (let i = 0; i < k * g; i++) {
        const id = sampler.next();
        counts[id - 1] = (counts[id - 1] ?? 0) + 1;
      }
      // Each column is off by at most one grid step (1/(k·g)) and an id sits in at most k + 1 columns.
      sampler.probabilities.forEach((p, i) => {
        expect(Math.abs((counts[i] ?? 0) / (k * g) - p)).toBeLessThan((k + 1) / (k * g));
      });
    },
  );

  it.each(ALL.map((d) => [describeDistribution(d), d] as const))('%s probabilities sum to 1', (_name, dist) => {
    for (const k of [1, 7, 1000]) {
      const { probabilities } = createKeySampler(dist, k, createRng(3));
      expect(probabilities).toHaveLength(k);
      expect(sum(probabilities)).toBeCloseTo(1, 12);
      expect(probabilities.every((p) => p >= 0)).toBe(true);
    }
  });

  it('is deterministic per seed', () => {
    for (const dist of ALL) {
      const draw = (seed: number) => {
        const sampler = createKeySampler(dist, keys, createRng(seed));
        return Array.from({ length: 10_000 }, () => sampler.next());
      };
      const first = draw(99);
      expect(draw(99)).toEqual(first);
      expect(draw(100)).not.toEqual(first);
      expect(first.every((id) => Number.isInteger(id) && id >= 1 && id <= keys)).toBe(true);
    }
  });

  it('scrambles zipf ranks over the id space', () => {
    const s = 0.99;
    const { probabilities } = createKeySampler({ kind: 'zipf', s }, keys, createRng(42));
    const hottest = probabilities.indexOf(Math.max(...probabilities)) + 1;
    expect(hottest).not.toBe(1);
    // Sorted by id-probability, the profile is exactly r^-s / Σ k^-s: every rank
    // landed on its own id, so the scramble is a permutation.
    let total = 0;
    for (let r = 1; r <= keys; r++) total += r ** -s;
    const sorted = Array.from(probabilities).sort((a, b) => b - a);
    sorted.forEach((p, r) => {
      expect(p).toBeCloseTo((r + 1) ** -s / total, 15);
    });
    expect(new Set(probabilities).size).toBe(keys);
    // The ten hottest ids are spread, not 1..10, and another seed puts them elsewhere.
    const top = (probs: Float64Array) =>
      Array.from(probs.keys())
        .sort((a, b) => (probs[b] ?? 0) - (probs[a] ?? 0))
        .slice(0, 10);
    expect(Math.max(...top(probabilities))).toBeGreaterThan(100);
    expect(top(createKeySampler({ kind: 'zipf', s }, keys, createRng(43)).probabilities)).not.toEqual(
      top(probabilities),
    );
  });

  it('draws the hottest zipf id as often as its probability says', () => {
    const sampler = createKeySampler(ZIPF, keys, createRng(5));
    const hottest = sampler.probabilities.indexOf(Math.max(...sampler.probabilities)) + 1;
    const p = sampler.probabilities[hottest - 1] ?? 0;
    let hits = 0;
    for (let i = 0; i < n; i++) if (sampler.next() === hottest) hits++;
    expect(Math.abs(hits - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
  });

  it('gives the hot set of a hotspot its share, spread over the id space', () => {
    const sampler = createKeySampler(HOTSPOT, keys, createRng(11));
    const hot = Array.from(sampler.probabilities.keys()).filter((i) => (sampler.probabilities[i] ?? 0) > 1 / keys);
    expect(hot).toHaveLength(200);
    for (const i of hot) expect(sampler.probabilities[i]).toBeCloseTo(0.8 / 200, 15);
    expect(Math.max(...hot)).toBeGreaterThan(500);
    const hotIds = new Set(hot.map((i) => i + 1));
    let inHot = 0;
    for (let i = 0; i < n; i++) if (hotIds.has(sampler.next())) inHot++;
    expect(Math.abs(inHot / n - 0.8)).toBeLessThan(4 * Math.sqrt((0.8 * 0.2) / n));
  });

  it('rounds the hot set size without floating-point surprises', () => {
    // 0.7 * 10 is 7.000000000000001 in binary floating point.
    const { probabilities } = createKeySampler(
      { kind: 'hotspot', hotFraction: 0.7, hotOpsFraction: 0.9 },
      10,
      createRng(1),
    );
    expect(probabilities.filter((p) => Math.abs(p - 0.9 / 7) < 1e-15)).toHaveLength(7);
    expect(probabilities.filter((p) => Math.abs(p - 0.1 / 3) < 1e-15)).toHaveLength(3);
  });

  it('handles one key and rejects invalid parameters', () => {
    for (const dist of ALL) {
      const sampler = createKeySampler(dist, 1, createRng(1));
      expect([sampler.next(), sampler.next()]).toEqual([1, 1]);
    }
    const rng = createRng(1);
    expect(() => createKeySampler({ kind: 'uniform' }, 0, rng)).toThrow(RangeError);
    expect(() => createKeySampler({ kind: 'uniform' }, 1.5, rng)).toThrow(RangeError);
    expect(() => createKeySampler({ kind: 'zipf', s: -1 }, 10, rng)).toThrow(RangeError);
    expect(() => createKeySampler({ kind: 'hotspot', hotFraction: 0, hotOpsFraction: 0.5 }, 10, rng)).toThrow(
      RangeError,
    );
    expect(() => createKeySampler({ kind: 'hotspot', hotFraction: 0.5, hotOpsFraction: 2 }, 10, rng)).toThrow(
      RangeError,
    );
  });

  it('builds a 1,000,000-key table in linear time', () => {
    for (const dist of ALL) {
      const started = performance.now();
      const sampler = createKeySampler(dist, 1_000_000, createRng(7));
      // About 0.3 s on an idle 2-core box; the bound only catches a quadratic build
      // (bench/samplerThroughput.ts measures the speed).
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(sum(sampler.probabilities)).toBeCloseTo(1, 10);
      const id = sampler.next();
      expect(id >= 1 && id <= 1_000_000).toBe(true);
    }
  });
});

describe('formatDistribution', () => {
  it('spells distributions as the --dist flag does', () => {
    expect(describeDistribution({ kind: 'uniform' })).toBe('uniform');
    expect(describeDistribution(ZIPF)).toBe('zipf:0.99');
    expect(describeDistribution(HOTSPOT)).toBe('hotspot:0.2:0.8');
  });
});

describe('withRng', () => {
  it('keeps the hot ids and draws its own sequence', () => {
    const reads = createKeySampler({ kind: 'zipf', s: 0.99 }, 1000, createRng(11));
    const writes = reads.withRng(createRng(12));
    expect(writes.probabilities).toBe(reads.probabilities);
    const top = reads.probabilities.indexOf(Math.max(...reads.probabilities)) + 1;
    const counts = new Map<number, number>();
    const first: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = writes.next();
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (i < 50) first.push(id);
    }
    const mostWritten = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    expect(mostWritten).toBe(top);
    expect(first).not.toEqual(Array.from({ length: 50 }, () => reads.next()));
  });
});
