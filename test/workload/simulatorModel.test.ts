/**
 * The simulator against the closed forms of ttl-model.md, on seeded Poisson
 * streams: the simulator replays exact semantics, the formulas are the
 * steady-state averages, so they agree within sampling noise (loose bounds).
 */
import { describe, expect, it } from 'vitest';
import { createKeySampler } from '../../src/workload/keySampler.ts';
import {
  predictHitRatio,
  predictHitRatioWithDeletes,
  predictSourceReadsPerSec,
  predictStaleReadRatio,
  predictStampedeHitRatio,
} from '../../src/workload/model.ts';
import { createRng } from '../../src/workload/rng.ts';
import { type RequestArrays, simulate } from '../../src/workload/simulator.ts';
import { OP_READ, OP_WRITE } from '../../src/workload/trace/traceBuilder.ts';

interface Stream {
  keys: number;
  zipf: number;
  /** Reads and writes per second. */
  rate: number;
  writeRate: number;
  seconds: number;
  seed: number;
}

/** Poisson reads and writes, both on the same Zipf profile, and that profile. */
function poisson(spec: Stream): { requests: RequestArrays; probabilities: Float64Array } {
  const rng = createRng(spec.seed);
  const readKeys = createKeySampler({ kind: 'zipf', s: spec.zipf }, spec.keys, rng.fork('reads'));
  const writeKeys = readKeys.withRng(rng.fork('writes'));
  const arrivals = rng.fork('arrivals');
  const total = spec.rate + spec.writeRate;
  const n = Math.ceil(total * spec.seconds * 1.05) + 100;
  const timeMs = new Float64Array(n);
  const key = new Int32Array(n);
  const op = new Uint8Array(n);
  let t = 0;
  let i = 0;
  for (; i < n; i++) {
    t += arrivals.exponential(1000 / total);
    if (t >= spec.seconds * 1000) break;
    timeMs[i] = t;
    const write = arrivals.next() * total < spec.writeRate;
    op[i] = write ? OP_WRITE : OP_READ;
    key[i] = write ? writeKeys.next() : readKeys.next();
  }
  const requests = {
    timeMs: timeMs.subarray(0, i),
    key: key.subarray(0, i),
    op: op.subarray(0, i),
    uniqueKeys: spec.keys,
  };
  return { requests, probabilities: readKeys.probabilities };
}

const ZIPF_STREAM: Stream = { keys: 2000, zipf: 0.9, rate: 2000, writeRate: 200, seconds: 300, seed: 17 };
const WARMUP_MS = 20_000;

describe('simulator vs ttl-model.md, Zipf 0.9 over 2,000 keys', () => {
  const { requests, probabilities } = poisson(ZIPF_STREAM);
  const model = {
    probabilities,
    rate: ZIPF_STREAM.rate,
    writeProbabilities: probabilities,
    writeRate: ZIPF_STREAM.writeRate,
  };
  const durationMs = ZIPF_STREAM.seconds * 1000 - WARMUP_MS;

  it('fixed and sliding TTL: hit ratio and source reads/s', () => {
    for (const ttlMs of [100, 1000, 10_000]) {
      for (const sliding of [false, true]) {
        const r = simulate(requests, { ttlMs, sliding, warmupMs: WARMUP_MS, durationMs });
        const predicted = { ...model, ttlMs, sliding };
        expect(r.hitRatio).toBeCloseTo(predictHitRatio(predicted), 2);
        const source = predictSourceReadsPerSec(predicted);
        expect(Math.abs(r.sourceReadsPerSec - source) / source).toBeLessThan(0.03);
      }
    }
  });

  it('no expiry over a window, and no cache at TTL 0', () => {
    // The first 5 s from an empty cache: the first read of each key misses.
    const end = requests.timeMs.findIndex((t) => t >= 5000);
    const early = {
      ...requests,
      timeMs: requests.timeMs.subarray(0, end),
      key: requests.key.subarray(0, end),
      op: requests.op.subarray(0, end),
    };
    const r = simulate(early, { ttlMs: null, durationMs: 5000 });
    const predicted = predictHitRatio({ ...model, ttlMs: null, windowMs: { warmupMs: 0, durationMs: 5000 } });
    expect(predicted).toBeLessThan(0.95);
    expect(r.hitRatio).toBeCloseTo(predicted, 2);
    const off = simulate(requests, { ttlMs: 0 });
    expect(off.hitRatio).toBe(0);
    expect(off.loads).toBe(off.reads);
  });

  it('stale reads with TTL only, and the hit ratio with delete on write', () => {
    for (const ttlMs of [500, 5000]) {
      const ttl = simulate(requests, { ttlMs, warmupMs: WARMUP_MS, durationMs });
      expect(ttl.staleReadRatio).toBeCloseTo(predictStaleReadRatio({ ...model, ttlMs, invalidation: 'ttl' }), 2);
      const del = simulate(requests, { ttlMs, invalidation: 'delete', warmupMs: WARMUP_MS, durationMs });
      expect(del.hitRatio).toBeCloseTo(predictHitRatioWithDeletes({ ...model, ttlMs }), 2);
      expect(del.staleReadRatio).toBe(0);
    }
  });
});

/** One key read at λ/s and written at μ/s for long enough to average out. */
function oneKey(lambda: number, mu: number, seed: number) {
  return poisson({ keys: 1, zipf: 1, rate: lambda, writeRate: mu, seconds: 400_000 / (lambda + mu), seed }).requests;
}

describe('simulator vs ttl-model.md, one key', () => {
  it('write-through: h = A/(A + 1/(λ+μ)), A = (e^{μT} − 1)/μ; sliding: 1 − e^{−(λ+μ)T}', () => {
    const [lambda, mu, t] = [2, 0.5, 1];
    const requests = oneKey(lambda, mu, 3);
    const a = (Math.exp(mu * t) - 1) / mu;
    const fixed = simulate(requests, { ttlMs: 1000, invalidation: 'write-through', warmupMs: 10_000 });
    expect(fixed.hitRatio).toBeCloseTo(a / (a + 1 / (lambda + mu)), 2);
    const sliding = simulate(requests, { ttlMs: 1000, sliding: true, invalidation: 'write-through', warmupMs: 10_000 });
    expect(sliding.hitRatio).toBeCloseTo(1 - Math.exp(-(lambda + mu) * t), 2);
    expect(fixed.staleReadRatio + sliding.staleReadRatio).toBe(0);
  });

  it('the load race: delete on write still serves about μδh stale reads', () => {
    // ttl-model.md: λ = 50, μ = 20, T = 1 s, Δ = 2.2 ms, δ = 1.1 ms → hit 0.6925, stale 0.0152 to first order.
    const [lambda, mu, delta, small] = [50, 20, 2.2, 1.1];
    const r = simulate(oneKey(lambda, mu, 5), {
      ttlMs: 1000,
      invalidation: 'delete',
      loadMs: delta,
      readToStoreMs: small,
      warmupMs: 10_000,
    });
    const m = (lambda * (1 - Math.exp(-mu))) / mu;
    const hit = m / (1 + (lambda * delta) / 1000 + m);
    expect(r.hitRatio).toBeCloseTo(hit, 2);
    expect(r.staleReadRatio).toBeGreaterThan(0.01);
    expect(Math.abs(r.staleReadRatio - (mu * small * hit) / 1000)).toBeLessThan(0.002);
  });

  it('stampede: each expiry costs 1 + λΔ loads and h ≈ λT/(1 + λ(T + Δ))', () => {
    const [lambda, delta] = [100, 10];
    const r = simulate(oneKey(lambda, 0, 7), { ttlMs: 1000, loadMs: delta, warmupMs: 10_000 });
    // Later stores restart the TTL (uncoordinated loads), which the first-order form ignores: a few 1e-4.
    expect(r.hitRatio).toBeCloseTo(predictStampedeHitRatio(lambda, 1000, delta), 2);
    // Misses per second λ(1 + λΔ)/(1 + λ(T + Δ)): 1 + λΔ loads per expiry.
    const source = (lambda * (1 + (lambda * delta) / 1000)) / (1 + lambda * (1 + delta / 1000));
    expect(Math.abs(r.sourceReadsPerSec - source) / source).toBeLessThan(0.03);
  });
});
