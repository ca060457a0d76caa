import { describe, expect, it } from 'vitest';
import type { Invalidation, TtlMs } from '../../src/config/types.ts';
import {
  predictFilling,
  predictFreshness,
  predictHitRatio,
  predictHitRatioWithDeletes,
  predictLoadsPerExpiry,
  predictSourceReadsPerSec,
  predictStaleReadRatio,
  predictStampedeHitRatio,
  xfetchExpectedLeadMs,
  xfetchRecomputeProbability,
} from '../../src/workload/model.ts';
import { createRng, type Rng } from '../../src/workload/rng.ts';

const ONE = Float64Array.of(1);

/** The model's inputs for a single key read at λ/s and written at μ/s. */
function oneKey(
  lambda: number,
  ttlMs: TtlMs,
  extra: { mu?: number; sliding?: boolean; warmupMs?: number; durationMs?: number } = {},
) {
  return {
    probabilities: ONE,
    rate: lambda,
    writeProbabilities: ONE,
    writeRate: extra.mu ?? 0,
    ttlMs,
    sliding: extra.sliding ?? false,
    windowMs:
      extra.durationMs === undefined ? undefined : { warmupMs: extra.warmupMs ?? 0, durationMs: extra.durationMs },
  };
}

interface SimSpec {
  lambda: number;
  mu: number;
  /** Seconds; Infinity for no expiry. */
  ttl: number;
  sliding: boolean;
  invalidation: Invalidation;
  /** Reads in [from, to) seconds are counted. */
  from: number;
  to: number;
}

/**
 * One key of a cache-aside cache, event by event: Poisson reads and writes,
 * SET with TTL on a miss, optional refresh on hit, optional delete on write.
 * A hit is stale when the source changed since the entry was loaded.
 */
function simulate(rng: Rng, spec: SimSpec, totals = { reads: 0, hits: 0, stale: 0 }) {
  let cached = false;
  let expiresAt = 0;
  let version = 0;
  let cachedVersion = 0;
  let nextRead = rng.exponential(1 / spec.lambda);
  let nextWrite = spec.mu > 0 ? rng.exponential(1 / spec.mu) : Number.POSITIVE_INFINITY;
  while (Math.min(nextRead, nextWrite) < spec.to) {
    if (nextWrite < nextRead) {
      version++;
      if (spec.invalidation === 'delete') cached = false;
      if (spec.invalidation === 'write-through') {
        cached = true;
        cachedVersion = version;
        expiresAt = nextWrite + spec.ttl;
      }
      nextWrite += rng.exponential(1 / spec.mu);
      continue;
    }
    const t = nextRead;
    const counted = t >= spec.from;
    if (cached && t < expiresAt) {
      if (counted) {
        totals.hits++;
        if (cachedVersion !== version) totals.stale++;
      }
      if (spec.sliding) expiresAt = t + spec.ttl;
    } else {
      cached = true;
      cachedVersion = version;
      expiresAt = t + spec.ttl;
    }
    if (counted) totals.reads++;
    nextRead += rng.exponential(1 / spec.lambda);
  }
  return totals;
}

/** Steady state: warm up for 50 TTLs, then count about 200,000 reads. */
function steadyState(seed: number, spec: Omit<SimSpec, 'from' | 'to'>) {
  const from = 50 * spec.ttl;
  const t = simulate(createRng(seed), { ...spec, from, to: from + 200_000 / spec.lambda });
  return { hitRatio: t.hits / t.reads, staleRatio: t.stale / t.reads };
}

/** No expiry: many independent runs from an empty cache, counting reads in one window. */
function windowed(seed: number, spec: Omit<SimSpec, 'ttl' | 'sliding'>, runs: number) {
  const rng = createRng(seed);
  const totals = { reads: 0, hits: 0, stale: 0 };
  for (let i = 0; i < runs; i++) simulate(rng, { ...spec, ttl: Number.POSITIVE_INFINITY, sliding: false }, totals);
  return {
    hitRatio: totals.hits / totals.reads,
    staleRatio: totals.stale / totals.reads,
    misses: totals.reads - totals.hits,
  };
}

describe('hit ratio: closed forms', () => {
  it('matches λT/(1+λT) and 1 − e^{−λT} for one key', () => {
    expect(predictHitRatio(oneKey(10, 100))).toBeCloseTo(0.5, 15);
    expect(predictHitRatio(oneKey(10, 300))).toBeCloseTo(0.75, 15);
    expect(predictHitRatio(oneKey(10, 100, { sliding: true }))).toBeCloseTo(1 - Math.exp(-1), 15);
    expect(predictSourceReadsPerSec(oneKey(10, 100))).toBeCloseTo(5, 12);
  });

  it('aggregates over keys by popularity (hand-computed)', () => {
    // λ = 3/s and 1/s, T = 1 s: h = 3/4 and 1/2, H = 0.75·0.75 + 0.25·0.5.
    const input = { probabilities: Float64Array.of(0.75, 0.25), rate: 4, ttlMs: 1000 };
    expect(predictHitRatio(input)).toBeCloseTo(0.6875, 15);
    expect(predictSourceReadsPerSec(input)).toBeCloseTo(3 / 4 + 1 / 2, 12);
    // Source load never exceeds min(Λ, N/T).
    const hot = { probabilities: Float64Array.of(0.5, 0.5), rate: 1e6, ttlMs: 1000 };
    expect(predictSourceReadsPerSec(hot)).toBeLessThanOrEqual(2);
    expect(predictSourceReadsPerSec(hot)).toBeGreaterThan(1.99);
  });

  it('predicts no hits at TTL 0 and requires a window for no expiry', () => {
    expect(predictHitRatio(oneKey(100, 0))).toBe(0);
    expect(predictSourceReadsPerSec(oneKey(100, 0))).toBe(100);
    expect(() => predictHitRatio(oneKey(1, null))).toThrow(RangeError);
    expect(() => predictHitRatio(oneKey(1, -5))).toThrow(RangeError);
  });

  it('uses the finite window for no expiry', () => {
    // λ = 1/s over [0, 10 s]: misses 1 − e^{−10} out of 10 reads.
    const from0 = oneKey(1, null, { durationMs: 10_000 });
    expect(predictHitRatio(from0)).toBeCloseTo(1 - (1 - Math.exp(-10)) / 10, 14);
    expect(predictSourceReadsPerSec(from0)).toBeCloseTo((1 - Math.exp(-10)) / 10, 14);
    // Over [5 s, 15 s]: misses e^{−5} − e^{−15}.
    const later = oneKey(1, null, { warmupMs: 5000, durationMs: 10_000 });
    expect(predictHitRatio(later)).toBeCloseTo(1 - (Math.exp(-5) - Math.exp(-15)) / 10, 14);
    // A zero-length window is the instant: the hit probability at w is 1 − e^{−λw}.
    expect(predictHitRatio(oneKey(2, null, { warmupMs: 500, durationMs: 0 }))).toBeCloseTo(1 - Math.exp(-1), 14);
  });

  it('evaluates 10^6 keys quickly', () => {
    const n = 1_000_000;
    const probabilities = new Float64Array(n).fill(1 / n);
    const input = { probabilities, rate: 1e5, writeProbabilities: probabilities, writeRate: 100, ttlMs: 1000 };
    // About 30 ms for both calls on an idle 2-core box. Other test files share
    // the cores, so the bound, with a wide margin, only catches regressions in
    // kind (per-key work that is not O(1)).
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      predictStaleReadRatio({ ...input, invalidation: 'ttl' });
      predictHitRatio(input);
      best = Math.min(best, performance.now() - started);
    }
    expect(predictHitRatio(input)).toBeCloseTo(0.1 / 1.1, 10);
    expect(best).toBeLessThan(2000);
  });
});

describe('staleness and delete-on-write: closed forms', () => {
  it('stale share of hits is 1 − (1 − e^{−μT})/(μT)', () => {
    // λ = 10, μ = 1, T = 1 s: h = 10/11, s = e^{−1}.
    const input = { ...oneKey(10, 1000, { mu: 1 }), invalidation: 'ttl' as const };
    expect(predictStaleReadRatio(input)).toBeCloseTo((10 / 11) * Math.exp(-1), 14);
    expect(predictStaleReadRatio({ ...input, invalidation: 'delete' })).toBe(0);
    expect(predictStaleReadRatio({ ...input, invalidation: 'write-through' })).toBe(0);
  });

  it('keeps precision as μT → 0 and is continuous across the series threshold', () => {
    for (const mu of [1e-15, 1e-9, 1e-4]) {
      const x = mu; // T = 1 s
      const expected = 0.5 * (x / 2 - (x * x) / 6 + (x * x * x) / 24);
      const got = predictStaleReadRatio({ ...oneKey(1, 1000, { mu }), invalidation: 'ttl' });
      expect(Math.abs(got - expected) / expected).toBeLessThan(1e-12);
    }
    const at = (mu: number) => predictStaleReadRatio({ ...oneKey(1, 1000, { mu }), invalidation: 'ttl' });
    // The values differ by ~5e-16 in truth; a wrong series would jump by far more.
    expect(Math.abs(at(0.25 * (1 - 1e-14)) - at(0.25 * (1 + 1e-14)))).toBeLessThan(5e-15);
  });

  it('delete-on-write hit ratio is m/(1+m) with m = λ(1 − e^{−μT})/μ', () => {
    const m = (5 * (1 - Math.exp(-2))) / 2;
    expect(predictHitRatioWithDeletes(oneKey(5, 1000, { mu: 2 }))).toBeCloseTo(m / (1 + m), 14);
    // No writes: the TTL-only hit ratio.
    expect(predictHitRatioWithDeletes(oneKey(5, 1000))).toBeCloseTo(predictHitRatio(oneKey(5, 1000)), 15);
    expect(predictHitRatioWithDeletes(oneKey(5, 1000, { mu: 1e-300 }))).toBeCloseTo(5 / 6, 15);
  });

  it('predictFreshness picks the hit ratio of the invalidation strategy', () => {
    const input = oneKey(5, 1000, { mu: 2 });
    const del = predictFreshness({ ...input, invalidation: 'delete' });
    expect(del.hitRatio).toBe(predictHitRatioWithDeletes(input));
    expect(del.sourceReadsPerSec).toBeCloseTo(5 * (1 - del.hitRatio), 12);
    expect(del.staleReadRatio).toBe(0);
    const ttl = predictFreshness({ ...input, invalidation: 'ttl' });
    expect(ttl.hitRatio).toBe(predictHitRatio(input));
    expect(ttl.staleReadRatio).toBeGreaterThan(0);
    // Write-through renews the entry on every write: more hits than TTL only.
    const through = predictFreshness({ ...input, invalidation: 'write-through' });
    expect(through.hitRatio).toBeGreaterThan(ttl.hitRatio);
    expect(through.staleReadRatio).toBe(0);
  });

  it('write-through: A/(A + 1/(λ+μ) + Δλ/(λ+μ)) with A = (e^{μT} − 1)/μ, and 1 − e^{−(λ+μ)T} sliding', () => {
    // ttl-model.md's simulated points: λ=2, μ=0.5, T=1 → 0.7644; λ=0.5, μ=2 → 0.8887; sliding 0.9179.
    const at = (lambda: number, mu: number, sliding = false) =>
      predictFreshness({ ...oneKey(lambda, 1000, { mu, sliding }), invalidation: 'write-through' }).hitRatio;
    expect(at(2, 0.5)).toBeCloseTo(0.7644, 3);
    expect(at(0.5, 2)).toBeCloseTo(0.8887, 3);
    expect(at(2, 0.5, true)).toBeCloseTo(1 - Math.exp(-2.5), 12);
    // No writes: the TTL-only form.
    expect(at(2, 0)).toBeCloseTo(predictHitRatio(oneKey(2, 1000)), 12);
  });

  it('delete and write-through with the load time Δ, and the race window δ', () => {
    // ttl-model.md: λ=50, μ=20, T=1, Δ=2.2 ms, δ=1.1 ms → hit 0.6925, stale 0.0152 (first order).
    const input = { ...oneKey(50, 1000, { mu: 20 }), loadMs: 2.2, raceMs: 1.1 };
    const del = predictFreshness({ ...input, invalidation: 'delete' });
    expect(del.hitRatio).toBeCloseTo(0.6925, 3);
    expect(del.staleReadRatio).toBeCloseTo(0.0152, 3);
    expect(predictFreshness({ ...input, raceMs: 0, invalidation: 'delete' }).staleReadRatio).toBe(0);
  });
});

describe('model against a seeded Monte Carlo simulation of one key', () => {
  it('fixed TTL', () => {
    const sim = steadyState(1, { lambda: 10, mu: 0, ttl: 0.3, sliding: false, invalidation: 'ttl' });
    expect(Math.abs(sim.hitRatio - predictHitRatio(oneKey(10, 300)))).toBeLessThan(0.01);
  });

  it('sliding TTL', () => {
    const sim = steadyState(2, { lambda: 10, mu: 0, ttl: 0.1, sliding: true, invalidation: 'ttl' });
    expect(Math.abs(sim.hitRatio - predictHitRatio(oneKey(10, 100, { sliding: true })))).toBeLessThan(0.01);
  });

  it('stale reads with TTL only (fixed and sliding)', () => {
    for (const sliding of [false, true]) {
      const sim = steadyState(3, { lambda: 5, mu: 0.5, ttl: 1, sliding, invalidation: 'ttl' });
      const input = oneKey(5, 1000, { mu: 0.5, sliding });
      const predicted = predictStaleReadRatio({ ...input, invalidation: 'ttl' });
      expect(predicted).toBeGreaterThan(0.1);
      expect(Math.abs(sim.staleRatio - predicted)).toBeLessThan(0.01);
      expect(Math.abs(sim.hitRatio - predictHitRatio(input))).toBeLessThan(0.01);
    }
  });

  it('write-through (fixed and sliding)', () => {
    for (const sliding of [false, true]) {
      const sim = steadyState(6, { lambda: 2, mu: 0.5, ttl: 1, sliding, invalidation: 'write-through' });
      const predicted = predictFreshness({ ...oneKey(2, 1000, { mu: 0.5, sliding }), invalidation: 'write-through' });
      expect(Math.abs(sim.hitRatio - predicted.hitRatio)).toBeLessThan(0.01);
      expect(sim.staleRatio).toBe(0);
    }
  });

  it('delete on write (fixed and sliding)', () => {
    for (const sliding of [false, true]) {
      const sim = steadyState(4, { lambda: 5, mu: 2, ttl: 1, sliding, invalidation: 'delete' });
      const predicted = predictHitRatioWithDeletes(oneKey(5, 1000, { mu: 2, sliding }));
      expect(Math.abs(sim.hitRatio - predicted)).toBeLessThan(0.01);
      expect(sim.staleRatio).toBe(0);
    }
  });

  it('no expiry over a finite window, with and without writes', () => {
    const window = { warmupMs: 2000, durationMs: 4000 };
    const spec = { from: 2, to: 6 };
    const plain = windowed(5, { lambda: 0.5, mu: 0, invalidation: 'ttl', ...spec }, 20_000);
    const input = oneKey(0.5, null, window);
    expect(Math.abs(plain.hitRatio - predictHitRatio(input))).toBeLessThan(0.01);
    // Expected misses per run: e^{−λw} − e^{−λ(w+W)}.
    expect(Math.abs(plain.misses / 20_000 - (Math.exp(-1) - Math.exp(-3)))).toBeLessThan(0.01);
    // λ ≠ μ and λ = μ take different branches of the stale prediction.
    for (const mu of [0.3, 0.5]) {
      const stale = windowed(6, { lambda: 0.5, mu, invalidation: 'ttl', ...spec }, 20_000);
      const predicted = predictStaleReadRatio({ ...oneKey(0.5, null, { mu, ...window }), invalidation: 'ttl' });
      expect(predicted).toBeGreaterThan(0.2);
      expect(Math.abs(stale.staleRatio - predicted)).toBeLessThan(0.01);
      const deleted = windowed(7, { lambda: 0.5, mu, invalidation: 'delete', ...spec }, 20_000);
      const predictedHits = predictHitRatioWithDeletes(oneKey(0.5, null, { mu, ...window }));
      expect(Math.abs(deleted.hitRatio - predictedHits)).toBeLessThan(0.01);
    }
  });

  it('no-expiry staleness matches numerical integration, on both sides of the λ ≈ μ switch', () => {
    const [a, w] = [2, 4];
    const at = (lambda: number, mu: number) =>
      predictStaleReadRatio({
        ...oneKey(lambda, null, { mu, warmupMs: a * 1000, durationMs: w * 1000 }),
        invalidation: 'ttl',
      });
    // P(stale hit at t) = P(hit at t) − P(fresh hit at t), with P(hit) = 1 − e^{−λt} and
    // P(fresh hit) = λ(e^{−μt} − e^{−λt})/(λ − μ), or λte^{−λt} at λ = μ; Simpson over the window.
    const reference = (lambda: number, mu: number) => {
      const fresh = (t: number) =>
        lambda === mu
          ? lambda * t * Math.exp(-lambda * t)
          : (lambda * (Math.exp(-mu * t) - Math.exp(-lambda * t))) / (lambda - mu);
      const stale = (t: number) => 1 - Math.exp(-lambda * t) - fresh(t);
      const steps = 2000;
      const h = w / steps;
      let sum = stale(a) + stale(a + w);
      for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * stale(a + i * h);
      return (sum * h) / 3 / w;
    };
    for (const [lambda, mu] of [
      [0.5, 0.5],
      [0.5, 0.3],
      [0.5, 0.5 * (1 - 2e-3)],
      [0.5, 0.5 * (1 - 5e-4)],
      [3, 0.01],
    ] as const) {
      expect(Math.abs(at(lambda, mu) - reference(lambda, mu))).toBeLessThan(1e-10);
    }
    // Either side of the switch at |λ − μ|/max = 1e-3 the two methods agree.
    const below = at(0.5, 0.5 * (1 - 1e-3 * (1 - 1e-9)));
    const above = at(0.5, 0.5 * (1 - 1e-3 * (1 + 1e-9)));
    expect(Math.abs(below - above)).toBeLessThan(1e-11);
  });
});

describe('stampede and XFetch', () => {
  it('matches the hand-computed values', () => {
    expect(predictLoadsPerExpiry(100, 50)).toBeCloseTo(6, 14);
    expect(predictStampedeHitRatio(100, 1000, 50)).toBeCloseTo(100 / 106, 14);
    expect(predictStampedeHitRatio(100, 0, 50)).toBe(0);
    expect(predictStampedeHitRatio(100, null, 50)).toBe(1);
    expect(predictStampedeHitRatio(0, 1000, 50)).toBe(0);
    expect(xfetchRecomputeProbability(100, 1, 100)).toBeCloseTo(Math.exp(-1), 15);
    expect(xfetchRecomputeProbability(200, 2, 50)).toBeCloseTo(Math.exp(-2), 15);
    expect(xfetchRecomputeProbability(0, 1, 100)).toBe(1);
    expect(xfetchRecomputeProbability(10, 1, 0)).toBe(0);
    expect(xfetchExpectedLeadMs(1000, 1, 100)).toBeCloseTo(100 * (Math.log(100) + 0.5772156649), 6);
    expect(xfetchExpectedLeadMs(0, 1, 100)).toBe(0);
  });

  it('XFetch probability agrees with the rule t − Δβ·ln(U) ≥ expiry', () => {
    const rng = createRng(8);
    const [tau, beta, delta, n] = [150, 1.5, 100, 200_000];
    let early = 0;
    for (let i = 0; i < n; i++) if (-delta * beta * Math.log(rng.nextOpen()) >= tau) early++;
    expect(Math.abs(early / n - xfetchRecomputeProbability(tau, beta, delta))).toBeLessThan(0.005);
  });

  it('stampede hit ratio agrees with a simulation where the first loader sets the TTL', () => {
    const [lambda, ttl, delta] = [50, 0.2, 0.05];
    const rng = createRng(9);
    let [reads, hits, loads, expiries] = [0, 0, 0, 0];
    let loadedAt = Number.NEGATIVE_INFINITY; // when the first in-flight load's SET lands
    let expiresAt = Number.NEGATIVE_INFINITY;
    for (let t = rng.exponential(1 / lambda); reads < 200_000; t += rng.exponential(1 / lambda)) {
      reads++;
      if (t >= loadedAt && t < expiresAt) hits++;
      else {
        loads++;
        if (t >= expiresAt) {
          expiries++;
          loadedAt = t + delta;
          expiresAt = loadedAt + ttl;
        }
      }
    }
    expect(Math.abs(hits / reads - predictStampedeHitRatio(lambda, ttl * 1000, delta * 1000))).toBeLessThan(0.01);
    expect(Math.abs(loads / expiries - predictLoadsPerExpiry(lambda, delta * 1000))).toBeLessThan(0.05);
  });
});

describe('no NaN or Infinity at the edges', () => {
  it('stays finite and within [0, 1] for every combination', () => {
    const ttls: TtlMs[] = [0, 1e-9, 1, 1000, 1e12, null];
    const rates = [0, 1e-12, 1, 1e9];
    const invalidations: Invalidation[] = ['ttl', 'delete', 'write-through'];
    const probabilities = Float64Array.of(0, 1e-300, 0.5, 0.5 - 1e-300);
    for (const ttlMs of ttls)
      for (const rate of rates)
        for (const writeRate of rates)
          for (const sliding of [false, true])
            for (const invalidation of invalidations)
              for (const windowMs of [
                { warmupMs: 0, durationMs: 0 },
                { warmupMs: 0, durationMs: 60_000 },
                { warmupMs: 1e9, durationMs: 1 },
              ]) {
                const input = {
                  probabilities,
                  rate,
                  writeProbabilities: probabilities.slice().reverse(),
                  writeRate,
                  ttlMs,
                  sliding,
                  windowMs,
                  invalidation,
                };
                const p = predictFreshness(input);
                for (const ratio of [p.hitRatio, p.staleReadRatio, predictHitRatioWithDeletes(input)]) {
                  expect(Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 + 1e-12).toBe(true);
                }
                expect(Number.isFinite(p.sourceReadsPerSec) && p.sourceReadsPerSec >= 0).toBe(true);
                expect(p.staleReadRatio).toBeLessThanOrEqual(p.hitRatio + 1e-12);
              }
    for (const lambda of rates) {
      for (const loadMs of [0, 1, 1e6]) {
        expect(Number.isFinite(predictLoadsPerExpiry(lambda, loadMs))).toBe(true);
        for (const ttlMs of ttls) expect(Number.isFinite(predictStampedeHitRatio(lambda, ttlMs, loadMs))).toBe(true);
        expect(Number.isFinite(xfetchExpectedLeadMs(lambda, 1, loadMs))).toBe(true);
      }
    }
    expect(xfetchRecomputeProbability(1e300, 1, 1e-300)).toBe(0);
  });
});

describe('no expiry has no steady state', () => {
  it('gives the resident share and the hit ratio at an instant, climbing toward every key resident', () => {
    // Uniform over 100 keys at 50 reads/s: each key is read at 0.5/s, resident by t with probability 1 − e^{−0.5t}.
    const p = new Float64Array(100).fill(0.01);
    const at2s = predictFilling(p, 50, 2000);
    expect(at2s.residentShare).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(at2s.hitRatioNow).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(at2s.steadyHitRatio).toBeCloseTo(1, 12);
    // A key nobody reads is never resident, and takes no share of the hit ratio.
    const skew = Float64Array.from([0.9, 0.1, 0]);
    const f = predictFilling(skew, 10, 1000);
    expect(f.residentShare).toBeCloseTo((1 - Math.exp(-9) + 1 - Math.exp(-1)) / 3, 12);
    expect(f.hitRatioNow).toBeCloseTo(0.9 * (1 - Math.exp(-9)) + 0.1 * (1 - Math.exp(-1)), 12);
    expect(f.steadyHitRatio).toBeCloseTo(1, 12);
  });
});
