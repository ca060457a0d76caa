/** Each stampede strategy's semantics against a real Redis, and the pure pieces (XFetch, jitter) on seeded generators. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheAsideService } from '../../src/cache/cacheAside.ts';
import { jitteredTtl, xfetchShouldRecompute } from '../../src/cache/entry.ts';
import type { StampedeStrategy } from '../../src/config/types.ts';
import type { RedisClient } from '../../src/redis/connection.ts';
import { lockKeyFor, newRunPrefix } from '../../src/redis/keyspace.ts';
import { latencySampler } from '../../src/source/latency.ts';
import { SqliteSource } from '../../src/source/sqliteSource.ts';
import { xfetchRecomputeProbability } from '../../src/workload/model.ts';
import { createRng } from '../../src/workload/rng.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

let redis: TestRedis;
let client: RedisClient;
const slowSource = new SqliteSource({ latency: latencySampler({ kind: 'fixed', ms: 30 }, createRng(1)) });

beforeAll(async () => {
  redis = await useRedisServer();
  client = await redis.connect();
  slowSource.seed(10, 1);
});
afterAll(() => slowSource.close());

function service(stampede: StampedeStrategy, keyPrefix: string, redisClient = client) {
  return new CacheAsideService({ redis: redisClient, source: slowSource, keyPrefix, ttlMs: 10_000, stampede });
}

async function herd(services: CacheAsideService[], readers: number): Promise<number> {
  const before = slowSource.reads;
  const results = await Promise.all(services.flatMap((s) => Array.from({ length: readers }, () => s.get(3))));
  for (const r of results) expect(r.row?.id).toBe(3);
  return slowSource.reads - before;
}

describe('stampede strategies', () => {
  it('none: every concurrent miss loads', async () => {
    expect(await herd([service({ kind: 'none' }, `${newRunPrefix()}n:`)], 20)).toBe(20);
  });

  it('single-flight: concurrent misses in one process share one load', async () => {
    const s = service({ kind: 'single-flight' }, `${newRunPrefix()}s:`);
    expect(await herd([s], 20)).toBe(1);
    expect(s.counters).toMatchObject({ loads: 1, loadEpisodes: 1, misses: 20 });
  });

  it('lock: one load across two processes sharing Redis', async () => {
    const prefix = `${newRunPrefix()}l:`;
    const other = await redis.connect();
    const loads = await herd([service({ kind: 'lock' }, prefix), service({ kind: 'lock' }, prefix, other)], 10);
    expect(loads).toBe(1);
    expect(await client.exists(lockKeyFor(`${prefix}3`))).toBe(0);
  });

  it('lock: a holder that died frees the key when its lock expires', async () => {
    const prefix = `${newRunPrefix()}d:`;
    // A holder that took the lock and died: nobody will release it, it expires in 300 ms.
    await client.set(lockKeyFor(`${prefix}3`), 'dead-holder', { expiration: { type: 'PX', value: 300 } });
    const started = performance.now();
    const result = await service({ kind: 'lock' }, prefix).get(3);
    const waited = performance.now() - started;
    expect(result.row?.id).toBe(3);
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3000);
    expect(await client.exists(`${prefix}3`)).toBe(1);
  });

  it('xfetch: recomputes some reads shortly before expiry and none of an entry without expiry', async () => {
    const s = new CacheAsideService({
      redis: client,
      source: slowSource,
      keyPrefix: `${newRunPrefix()}x:`,
      ttlMs: 200,
      stampede: { kind: 'xfetch', beta: 1 },
      rng: createRng(4),
    });
    await s.get(3);
    // Δ ≈ 30 ms: from 160 ms on, reads are ≤ 40 ms before expiry and recompute with probability ≥ e^{-40/30} ≈ 0.26.
    await new Promise((r) => setTimeout(r, 170));
    for (let i = 0; i < 20; i++) await s.get(3);
    expect(s.counters.earlyRecomputes).toBeGreaterThan(0);
    expect(xfetchShouldRecompute(Date.now(), { loadMs: 30, expiresAt: null }, 1, 1e-9)).toBe(false);
  });
});

describe('xfetchShouldRecompute', () => {
  it('recomputes τ before expiry with probability exp(−τ/(βΔ)) on a seeded generator', () => {
    const rng = createRng(2024);
    for (const [tauMs, beta, deltaMs] of [
      [10, 1, 10],
      [30, 1, 10],
      [30, 2, 10],
      [5, 1, 50],
    ] as const) {
      const now = 1_000_000;
      const entry = { loadMs: deltaMs, expiresAt: now + tauMs };
      let hits = 0;
      const trials = 20_000;
      for (let i = 0; i < trials; i++) if (xfetchShouldRecompute(now, entry, beta, rng.nextOpen())) hits++;
      expect(hits / trials).toBeCloseTo(xfetchRecomputeProbability(tauMs, beta, deltaMs), 1);
      expect(Math.abs(hits / trials - Math.exp(-tauMs / (beta * deltaMs)))).toBeLessThan(0.015);
    }
  });
});

describe('jitteredTtl', () => {
  it('spreads a TTL within ±PCT, over both sides, and never below 1 ms', () => {
    const rng = createRng(8);
    const values = Array.from({ length: 5000 }, () => jitteredTtl(1000, 20, rng) as number);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...values)).toBeLessThanOrEqual(1200);
    expect(Math.min(...values)).toBeLessThan(820);
    expect(Math.max(...values)).toBeGreaterThan(1180);
    const mean = values.reduce((a, b) => a + b) / values.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(10);
    expect(jitteredTtl(1, 100, rng)).toBeGreaterThanOrEqual(1);
    expect(jitteredTtl(null, 50, rng)).toBeNull();
    expect(jitteredTtl(1000, 0, rng)).toBe(1000);
  });
});
