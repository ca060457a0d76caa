/**
 * Che's approximation against closed forms (uniform popularity: LRU holds a
 * uniformly random C of N keys, so h = C/N) and against a true LRU cache
 * simulated here on a seeded Poisson request stream (issue 17: within 0.01
 * at Zipf 0.9 with 10% of the keys fitting).
 */
import { describe, expect, it } from 'vitest';
import { cheTime, predictLru } from '../../src/workload/che.ts';
import { createKeySampler } from '../../src/workload/keySampler.ts';
import { predictHitRatio } from '../../src/workload/model.ts';
import { createRng } from '../../src/workload/rng.ts';
import { expectClose } from '../helpers/close.ts';

const KEYS = 10_000;
const CAPACITY = 1_000;
const RATE = 1_000; // reads/s: one request per ms, so simulated times are in ms
const sampler = createKeySampler({ kind: 'zipf', s: 0.9 }, KEYS, createRng(17).fork('keys'));
const zipf = sampler.probabilities;

/**
 * A true LRU cache of `capacity` entries with an optional sliding TTL
 * (refreshed on every hit), on Poisson arrivals at RATE/s. A Map keeps
 * recency order (delete + set moves a key to the back), so the front is the
 * least recently used entry, which is also the longest idle one: expiry
 * and eviction both take from the front.
 */
function simulateLru(capacity: number, ttlMs: number, warmup: number, measured: number): number {
  const rng = createRng(17).fork(`stream ${ttlMs}`);
  const keys = sampler.withRng(rng.fork('draws'));
  const lastUse = new Map<number, number>();
  let now = 0;
  let hits = 0;
  for (let r = 0; r < warmup + measured; r++) {
    now += rng.exponential(1000 / RATE);
    for (const [key, at] of lastUse) {
      if (now - at < ttlMs) break;
      lastUse.delete(key);
    }
    const key = keys.next();
    const hit = lastUse.delete(key);
    lastUse.set(key, now);
    if (!hit && lastUse.size > capacity) lastUse.delete(lastUse.keys().next().value as number);
    if (hit && r >= warmup) hits++;
  }
  return hits / measured;
}

describe("Che's approximation, closed forms", () => {
  it('gives h = C/N and t_C = −N·ln(1 − C/N)/Λ for uniform popularity', () => {
    const n = 1000;
    const uniform = new Float64Array(n).fill(1 / n);
    for (const capacity of [1, 250, 500, 999]) {
      const result = predictLru({ probabilities: uniform, rate: 50, capacity });
      expectClose(result.hitRatio, capacity / n, 1e-9);
      expectClose(result.characteristicTimeMs, ((-n * Math.log1p(-capacity / n)) / 50) * 1000, 1e-9);
      expectClose(result.sourceReadsPerSec, 50 * (1 - capacity / n), 1e-9);
      expect(result.capacityBound).toBe(true);
    }
  });

  it('holds everything when C ≥ N and nothing when C = 0', () => {
    expect(predictLru({ probabilities: zipf, rate: RATE, capacity: KEYS })).toMatchObject({
      characteristicTimeMs: Number.POSITIVE_INFINITY,
      hitRatio: expect.closeTo(1, 12), // Σp itself is 1 only to rounding
      sourceReadsPerSec: 0,
      capacityBound: false,
    });
    expect(predictLru({ probabilities: zipf, rate: RATE, capacity: 0 })).toMatchObject({
      hitRatio: 0,
      sourceReadsPerSec: expect.closeTo(RATE, 9),
    });
  });

  it('solves the occupancy equation to full precision near 0 and near N', () => {
    for (const capacity of [1e-6, 0.5, 3, 5_000, 9_999, KEYS - 1e-3]) {
      const tau = cheTime(zipf, capacity);
      let present = 0;
      let absent = 0;
      for (const p of zipf) {
        present -= Math.expm1(-p * tau);
        absent += Math.exp(-p * tau);
      }
      // Near N the absent count N − C is the quantity to get right.
      if (capacity > KEYS / 2) expectClose(absent, KEYS - capacity, 1e-7);
      else expectClose(present, capacity, 1e-10);
    }
  });

  it('with a sliding TTL that never lets the cache fill, is the sliding TTL model', () => {
    const ttlMs = 200; // occupancy at 200 ms is well under 1,000 entries
    const result = predictLru({ probabilities: zipf, rate: RATE, capacity: CAPACITY, slidingTtlMs: ttlMs });
    expect(result.capacityBound).toBe(false);
    expect(result.idleLifetimeMs).toBe(ttlMs);
    const slidingOnly = predictHitRatio({ probabilities: zipf, rate: RATE, ttlMs, sliding: true });
    expectClose(result.hitRatio, slidingOnly, 1e-12);
  });

  it('with a sliding TTL longer than t_C, is plain LRU', () => {
    const plain = predictLru({ probabilities: zipf, rate: RATE, capacity: CAPACITY });
    const long = predictLru({
      probabilities: zipf,
      rate: RATE,
      capacity: CAPACITY,
      slidingTtlMs: 2 * plain.characteristicTimeMs,
    });
    expect(long).toEqual({ ...plain, capacityBound: true });
  });

  it('rejects a vector that is not a distribution, and a negative capacity', () => {
    expect(() => cheTime(Float64Array.of(0.5, 0.4), 1)).toThrow('probabilities must sum to 1, got 0.9');
    expect(() => cheTime(Float64Array.of(1.5, -0.5), 1)).toThrow('probabilities[1] must be finite and >= 0, got -0.5');
    expect(() => predictLru({ probabilities: zipf, rate: RATE, capacity: -1 })).toThrow(
      'capacity must be >= 0, got -1',
    );
  });
});

describe("Che's approximation against a simulated LRU (Zipf 0.9, 10,000 keys, 1,000 fit)", () => {
  const plain = predictLru({ probabilities: zipf, rate: RATE, capacity: CAPACITY });

  it('predicts plain LRU within 0.01', () => {
    const simulated = simulateLru(CAPACITY, Number.POSITIVE_INFINITY, 50_000, 300_000);
    expect(Math.abs(plain.hitRatio - simulated)).toBeLessThan(0.01);
  });

  it('predicts LRU with a sliding TTL within 0.01, on both sides of t_C and at it', () => {
    for (const factor of [0.5, 1, 2]) {
      const slidingTtlMs = factor * plain.characteristicTimeMs;
      const predicted = predictLru({ probabilities: zipf, rate: RATE, capacity: CAPACITY, slidingTtlMs });
      const simulated = simulateLru(CAPACITY, slidingTtlMs, 50_000, 200_000);
      expect(Math.abs(predicted.hitRatio - simulated), `TTL = ${factor}·t_C`).toBeLessThan(0.01);
    }
  });
});
