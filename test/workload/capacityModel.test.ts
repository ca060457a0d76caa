/**
 * The eviction model a capacity-bound row is predicted with: which model it
 * picks (Che's approximation, the exact TTL + LRU simulator, or none), that
 * Che agrees with the project's exact LRU simulator (simulator.ts) within
 * 0.01 at Zipf 0.9 with 10% of the keys fitting (issue 17), and the sizing
 * search.
 */
import { describe, expect, it } from 'vitest';
import { entriesFor, predictedHitRatioAt, predictUnderEviction } from '../../src/workload/capacityModel.ts';
import { predictLru } from '../../src/workload/che.ts';
import { createKeySampler } from '../../src/workload/keySampler.ts';
import { createRng } from '../../src/workload/rng.ts';
import { simulate } from '../../src/workload/simulator.ts';

const KEYS = 10_000;
const CAPACITY = 1_000;
const RATE = 1_000;
const sampler = createKeySampler({ kind: 'zipf', s: 0.9 }, KEYS, createRng(17).fork('keys'));
const base = {
  probabilities: sampler.probabilities,
  rate: RATE,
  sliding: false,
  policy: 'allkeys-lru',
  window: { warmupMs: 60_000, durationMs: 240_000 },
  sampler,
  rng: createRng(5),
};

describe('predictUnderEviction picks the model', () => {
  it("uses Che's approximation for LRU with no TTL or a sliding one", () => {
    for (const input of [
      { ...base, capacity: CAPACITY, ttlMs: null },
      { ...base, capacity: CAPACITY, ttlMs: 2000, sliding: true },
    ]) {
      const prediction = predictUnderEviction(input);
      const che = predictLru({
        probabilities: base.probabilities,
        rate: RATE,
        capacity: CAPACITY,
        slidingTtlMs: input.ttlMs,
      });
      expect(prediction).toEqual({ basis: 'che', hitRatio: che.hitRatio, sourceReadsPerSec: che.sourceReadsPerSec });
    }
  });

  it('simulates LRU with a fixed TTL, which has no closed form, below both its bounds', () => {
    const prediction = predictUnderEviction({
      ...base,
      capacity: CAPACITY,
      ttlMs: 2000,
      window: { warmupMs: 4000, durationMs: 20_000 },
    });
    expect(prediction.basis).toBe('simulator');
    if (prediction.basis !== 'simulator') return;
    // Neither an LRU of C with no expiry nor a TTL of 2 s sliding on every hit can hold less.
    const lruOnly = predictLru({ probabilities: base.probabilities, rate: RATE, capacity: CAPACITY });
    const slidingToo = predictLru({
      ...lruOnly,
      probabilities: base.probabilities,
      rate: RATE,
      capacity: CAPACITY,
      slidingTtlMs: 2000,
    });
    expect(prediction.hitRatio).toBeLessThan(lruOnly.hitRatio);
    expect(prediction.hitRatio).toBeLessThan(slidingToo.hitRatio + 0.005);
    expect(prediction.hitRatio).toBeGreaterThan(0.2);
  });

  it('has no model of LFU, random or volatile-ttl eviction, nor without a capacity', () => {
    for (const policy of ['allkeys-lfu', 'volatile-lfu', 'allkeys-random', 'volatile-ttl']) {
      const prediction = predictUnderEviction({ ...base, policy, capacity: CAPACITY, ttlMs: null });
      expect(prediction).toEqual({ basis: 'unavailable', reason: expect.stringContaining(policy) });
    }
    expect(predictUnderEviction({ ...base, capacity: null, ttlMs: null }).basis).toBe('unavailable');
  });
});

describe("Che's approximation against the exact LRU simulator (Zipf 0.9, 10,000 keys, 1,000 fit)", () => {
  it('agrees within 0.01', () => {
    const rng = createRng(23);
    const keys = sampler.withRng(rng.fork('draws'));
    const n = 400_000;
    const timeMs = new Float64Array(n);
    const key = new Int32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += rng.exponential(1000 / RATE);
      timeMs[i] = t;
      key[i] = keys.next();
    }
    const requests = { timeMs, key, op: new Uint8Array(n), uniqueKeys: KEYS };
    const simulated = simulate(requests, { ttlMs: null, capacity: CAPACITY, warmupMs: 50_000 });
    const che = predictLru({ probabilities: sampler.probabilities, rate: RATE, capacity: CAPACITY });
    expect(simulated.evictions).toBeGreaterThan(0);
    expect(Math.abs(che.hitRatio - simulated.hitRatio)).toBeLessThan(0.01);
  });
});

describe('entriesFor', () => {
  it('finds the fewest entries reaching a target, by bisection', () => {
    expect(entriesFor(0.5, (c) => c / 100, 100)).toBe(50);
    expect(entriesFor(0.505, (c) => c / 100, 100)).toBe(51);
    expect(entriesFor(1.1, (c) => c / 100, 100)).toBeNull();
  });

  it("with Che's approximation, lands where the prediction crosses the target", () => {
    const input = { ...base, ttlMs: null };
    const entries = entriesFor(0.6, (c) => (c < 1 ? 0 : (predictedHitRatioAt(input, c) as number)), KEYS) as number;
    expect(predictedHitRatioAt(input, entries)).toBeGreaterThanOrEqual(0.6);
    expect(predictedHitRatioAt(input, entries - 1)).toBeLessThan(0.6);
  });
});
